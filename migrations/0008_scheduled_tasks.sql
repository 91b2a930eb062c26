-- Periodic housekeeping (purging expired sessions, failed-login counters, old events, expired image
-- builds) as rows claimed by the same row-worker that runs upgrades and builds: one row per task,
-- due at next_run_at, leased by one worker at a time, so each task runs once per interval across
-- all processes. It replaces the pg-boss job queue, whose schema goes.
CREATE TABLE scheduled_tasks (
  name text PRIMARY KEY,
  interval_seconds integer NOT NULL CHECK (interval_seconds > 0),
  next_run_at timestamptz NOT NULL DEFAULT now(),
  lease_owner text,
  lease_expires_at timestamptz,
  last_started_at timestamptz,
  last_finished_at timestamptz,
  -- The error of the last run, if it failed (null after a successful run).
  last_error text,
  CHECK ((lease_owner IS NULL) = (lease_expires_at IS NULL))
);

-- pg-boss kept its jobs, schedules and archive in this schema. A process of an older version
-- still running during a rolling upgrade logs job-queue errors from here on (its upgrades and
-- builds go on); its periodic jobs are run by the new version's task rows instead.
DROP SCHEMA IF EXISTS pgboss CASCADE;
