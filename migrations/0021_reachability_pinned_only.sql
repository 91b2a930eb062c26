-- The reachability check now probes only devices with a pinned host key (it completes the SSH key
-- exchange against that key and never logs in, so a device without one has nothing to prove). Its
-- queue index gets the same predicate: unpinned devices, never marked as tried, would otherwise sit at
-- the front of the index (-infinity) and be read past on every run.
DROP INDEX devices_contact_due_idx;

CREATE INDEX devices_contact_due_idx
  ON devices ((coalesce(greatest(last_seen, contact_checked_at), '-infinity'::timestamptz)))
  WHERE is_active AND management_ip IS NOT NULL AND ssh_host_key IS NOT NULL;
