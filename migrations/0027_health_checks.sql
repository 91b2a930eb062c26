-- Health checks: a named list of probes (shell commands that must exit 0 within their timeout) run on a
-- router after proof of boot. Kept per organization; a firmware category may name one as its default.
CREATE TABLE health_checks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- [{"name": "...", "command": "...", "timeout_seconds": n}, ...], checked by the server.
  probes jsonb NOT NULL,
  created timestamptz NOT NULL DEFAULT now(),
  modified timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT health_checks_name_key UNIQUE (organization_id, name)
);

-- The check upgrades of the category's builds run unless the upgrade names another (or none).
ALTER TABLE firmware_categories
  ADD COLUMN health_check_id uuid REFERENCES health_checks (id) ON DELETE SET NULL;

-- What an upgrade runs after proof of boot: a copy taken when it is requested ({id, name, probes}), so
-- editing or deleting the check later does not change upgrades already requested. Null: no check.
ALTER TABLE batch_upgrade_operations ADD COLUMN health_check jsonb;
ALTER TABLE upgrade_operations ADD COLUMN health_check jsonb;
