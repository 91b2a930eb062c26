-- The delivery claim counts each webhook's deliveries in flight (pending, under a lease) while it
-- holds the claim lock: this index holds only leased rows (a lease is cleared when an attempt ends),
-- so counting them does not read the whole backlog of pending deliveries.
CREATE INDEX notification_deliveries_leased_idx
  ON notification_deliveries (webhook_id, lease_expires_at)
  WHERE status = 'pending' AND lease_expires_at IS NOT NULL;
