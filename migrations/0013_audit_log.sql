-- The audit log: who changed what, when, from which address. One row per change, written in the
-- transaction that makes the change (a failed login, which changes nothing, is written on its own).
-- It is not the `events` table: events are a short-lived live feed purged after hours; audit rows
-- are kept for `audit_retention_days` and may never be altered.
--
-- No foreign keys on purpose: users and organizations can be deleted, and their rows must stay
-- (a cascade or SET NULL would be the very UPDATE/DELETE the trigger below refuses). Who and what
-- are kept as snapshots (username, target label) beside the ids.
CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  -- 'user' (a person: session, API token or the CLI acting as a named user), 'anonymous' (a failed
  -- login: actor_name is the username that was tried) or 'system' (background work).
  actor_type text NOT NULL CHECK (actor_type IN ('user', 'anonymous', 'system')),
  actor_user_id uuid,
  -- The username at the time, or the name of the system part (e.g. 'rollout-controller').
  actor_name text NOT NULL,
  -- How the actor came: 'session', 'token', 'cli', 'login' (a login attempt) or 'system'.
  actor_via text NOT NULL,
  -- The client address of the request (after the trusted-proxy rule), null for the CLI and the system.
  address inet,
  action text NOT NULL,
  organization_id uuid,
  target_type text NOT NULL,
  target_id text,
  target_label text NOT NULL DEFAULT '',
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  CHECK (actor_type <> 'user' OR actor_user_id IS NOT NULL)
);

-- Lists are newest first, by id, within an organization or across all.
CREATE INDEX audit_log_organization_id ON audit_log (organization_id, id DESC);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_action ON audit_log (action text_pattern_ops, id DESC);
CREATE INDEX audit_log_target ON audit_log (target_type, target_id);

-- Append-only, enforced here so that no code path (nor a person with psql and the app's role) can
-- edit history by accident: UPDATE and TRUNCATE are always refused; DELETE only of rows older than
-- the cut-off the retention purge announces in its own transaction with
-- `set_config('fleetflash.audit_purge_before', <timestamp>, true)` (transaction-local, gone at commit).
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  cutoff text := current_setting('fleetflash.audit_purge_before', true);
BEGIN
  IF TG_OP = 'DELETE' AND cutoff IS NOT NULL AND cutoff <> '' THEN
    IF OLD.at < cutoff::timestamptz THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege',
      HINT = 'Only the retention purge deletes entries, and only entries older than audit_retention_days.';
END $$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
