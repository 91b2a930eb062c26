-- Maintenance windows: weekly hours in a time zone in which upgrades of an organization's devices may
-- start. A window names the device groups and locations it covers; a mass upgrade may name one that
-- overrides its devices' own.
CREATE TABLE maintenance_windows (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- An IANA time zone name (e.g. Europe/Berlin), checked by the server against its time-zone database.
  time_zone text NOT NULL CHECK (length(time_zone) BETWEEN 1 AND 64),
  -- [{"days": ["mon", ...], "start": "HH:MM", "end": "HH:MM"}, ...]; an end before the start crosses midnight.
  schedule jsonb NOT NULL,
  -- Devices whose group (or, failing that, location) is listed here upgrade in this window. A group or a
  -- location is covered by at most one window of an organization (the server checks it, under a lock).
  groups text[] NOT NULL DEFAULT '{}',
  locations text[] NOT NULL DEFAULT '{}',
  created timestamptz NOT NULL DEFAULT now(),
  modified timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT maintenance_windows_name_key UNIQUE (organization_id, name)
);

-- A mass upgrade's own window (the plan option maintenance_window): it overrides the devices' windows.
-- A deleted window leaves finished batches as they were (the server refuses to delete one a running
-- batch uses).
ALTER TABLE batch_upgrade_operations
  ADD COLUMN maintenance_window_id uuid REFERENCES maintenance_windows (id) ON DELETE SET NULL;

ALTER TABLE upgrade_operations
  -- A single upgrade an admin started regardless of the device's window.
  ADD COLUMN ignore_maintenance_window boolean NOT NULL DEFAULT false,
  -- Pending until its window opens: which window, and when it opens (next_attempt_at is that moment).
  -- Cleared when a worker claims it again.
  ADD COLUMN waiting_window_id uuid REFERENCES maintenance_windows (id) ON DELETE SET NULL,
  ADD COLUMN window_opens_at timestamptz;

-- Operations waiting for a window, found when the window changes (they are woken to decide again).
CREATE INDEX upgrade_operations_waiting_window_idx ON upgrade_operations (waiting_window_id)
  WHERE waiting_window_id IS NOT NULL;
