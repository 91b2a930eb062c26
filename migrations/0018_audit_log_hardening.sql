-- The audit log's append-only trigger, tightened (migration 0013 let a session announce any purge
-- cut-off, even 'infinity', and so delete every row; and let an insert choose its own `at`, so a row
-- could be backdated into the purge window and deleted at once).
--
-- 1. The purge cut-off must lie at least a day in the past (by the database's clock): no retention is
--    shorter than a day (`audit_retention_days` is a whole number from 1), so nothing newer than a day
--    is ever deleted, whatever a session announces.
-- 2. Every insert is stamped `at = now()` here, whatever it asks for: the application never sets `at`.
--
-- What this does not stop: the table's owner (the role the application connects as, unless a
-- deployment separates them) can DROP or DISABLE the triggers, and a database superuser can do
-- anything. See docs/operations.md#audit-log for a deployment that holds against that.

CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  cutoff text := current_setting('fleetflash.audit_purge_before', true);
BEGIN
  IF TG_OP = 'DELETE' AND cutoff IS NOT NULL AND cutoff <> '' THEN
    IF cutoff::timestamptz > now() - interval '1 day' THEN
      RAISE EXCEPTION 'audit_log is append-only: the purge cut-off % is later than a day ago', cutoff
        USING ERRCODE = 'insufficient_privilege',
          HINT = 'The retention purge deletes only entries older than audit_retention_days (at least a day).';
    END IF;
    IF OLD.at < cutoff::timestamptz THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege',
      HINT = 'Only the retention purge deletes entries, and only entries older than audit_retention_days.';
END $$;

CREATE FUNCTION audit_log_stamp_now() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.at := now();
  RETURN NEW;
END $$;

CREATE TRIGGER audit_log_stamp_now BEFORE INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_stamp_now();

-- The actor filter compares lower(actor_name) (audit.repository.ts), newest first.
CREATE INDEX audit_log_actor_name ON audit_log (lower(actor_name), id DESC);
