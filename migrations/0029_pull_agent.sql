-- The pull agent (issue 15): routers the server cannot reach run an agent that polls. A device is
-- managed over SSH (the server connects) or by its agent (the device connects).
ALTER TABLE devices
  ADD COLUMN management text NOT NULL DEFAULT 'ssh' CHECK (management IN ('ssh', 'agent')),
  ADD COLUMN agent_version text,
  ADD COLUMN agent_last_poll_at timestamptz,
  ADD COLUMN agent_boot_id text,
  ADD COLUMN agent_release text;

CREATE INDEX devices_management_idx ON devices (management) WHERE management = 'agent';

-- Device tokens, stored as SHA-256 hashes like API tokens. One active token per device; a rotated one
-- stays valid (replaced_at set) until the agent first uses its successor, so a rotation that the agent
-- never received does not lock it out. Revocation deletes every token of the device.
CREATE TABLE agent_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  device_id uuid NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  token_hash bytea NOT NULL,
  prefix text NOT NULL,
  created timestamptz NOT NULL DEFAULT now(),
  -- A rotated-in token, sealed with the server's secret key, until the agent first uses it: the polls
  -- made with the previous token hand it over (`token=`), since the hash alone cannot.
  sealed_token text,
  -- When a successor was issued (the agent still holds this one until it uses the new one).
  replaced_at timestamptz,
  -- When the agent first used it.
  first_used_at timestamptz,
  last_used_at timestamptz,
  CONSTRAINT agent_tokens_token_hash_key UNIQUE (token_hash)
);
CREATE UNIQUE INDEX agent_tokens_one_active_key ON agent_tokens (device_id) WHERE replaced_at IS NULL;

-- The job an operation offers its device's agent (written by the agent upgrader in the worker, read by
-- the device's polls). One per operation; `action` moves upgrade → flash, or to cancel.
CREATE TABLE agent_jobs (
  operation_id uuid PRIMARY KEY REFERENCES upgrade_operations (id) ON DELETE CASCADE,
  device_id uuid NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  action text NOT NULL CHECK (action IN ('upgrade', 'flash', 'cancel')),
  attempt integer NOT NULL,
  -- What the poll hands out with `action=upgrade` (sha256, size, flags, backup, release, ticket, expires).
  ticket jsonb NOT NULL,
  -- The action last handed to the agent (NULL: none yet); a poll hands out each action once.
  delivered_action text,
  picked_up_at timestamptz,
  -- The configuration backup the agent uploaded (checked as a gzip tar), until the worker keeps it.
  backup_archive bytea,
  created timestamptz NOT NULL DEFAULT now(),
  modified timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agent_jobs_device_idx ON agent_jobs (device_id);

-- What the agent reported, once per (operation, seq): a repeated report is recognised and answered alike.
CREATE TABLE agent_reports (
  operation_id uuid NOT NULL REFERENCES upgrade_operations (id) ON DELETE CASCADE,
  seq integer NOT NULL CHECK (seq > 0),
  step text NOT NULL,
  fields jsonb NOT NULL DEFAULT '{}'::jsonb,
  received timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (operation_id, seq)
);
