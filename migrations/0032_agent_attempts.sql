-- The pull agent's reports name the attempt they belong to (agents from 1.1.0; 1.0.x send none, stored as
-- NULL): a late report of an earlier attempt is refused rather than deciding the next one. The job records
-- when its action was last handed out, so a `flash` answer lost on the way is handed out again, at most once
-- per long poll to an agent that does not say its phase.
ALTER TABLE agent_reports ADD COLUMN attempt integer CHECK (attempt > 0);
ALTER TABLE agent_jobs ADD COLUMN delivered_at timestamptz;
