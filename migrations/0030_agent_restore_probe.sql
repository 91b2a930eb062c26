-- The pull agent restores configuration backups (action `restore`) and runs health-check probes after proof
-- of boot (action `probe`), besides upgrading: the job's action takes the two new values. The ticket (jsonb)
-- carries what each needs (a restore's board; the probe handed out), so no new column.
ALTER TABLE agent_jobs DROP CONSTRAINT agent_jobs_action_check;
ALTER TABLE agent_jobs
  ADD CONSTRAINT agent_jobs_action_check CHECK (action IN ('upgrade', 'restore', 'flash', 'probe', 'cancel'));
