-- The reachability check (issue 17 §1): a periodic SSH contact with devices not seen for a while, so
-- that "reachable" in the fleet view does not fade for every device 15 minutes after its last upgrade.

-- When the check last tried the device, reached or not. A device that does not answer keeps its
-- last_seen; this moves it to the back of the queue, so a thousand dead devices cannot starve the rest.
ALTER TABLE devices ADD COLUMN contact_checked_at timestamptz;

-- Each run picks the devices whose last news (seen or tried, never = -infinity) is oldest, among the
-- active ones with an address: the expression and the predicate are those of the query, so the run
-- reads the oldest entries of this index and stops at its limit.
CREATE INDEX devices_contact_due_idx
  ON devices ((coalesce(greatest(last_seen, contact_checked_at), '-infinity'::timestamptz)))
  WHERE is_active AND management_ip IS NOT NULL;
