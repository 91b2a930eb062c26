-- Webhook deliveries that one bad receiver cannot flood or stall (src/modules/notifications/):
-- a circuit breaker per webhook, a previous secret kept for an overlap after a rotation, deliveries
-- of a deactivated webhook ended as `cancelled`, and the host each attempt was posted to.

-- The circuit of a webhook: `circuit_failures` consecutive failed attempts (reset by a success);
-- `circuit_open_until` set: open until then (no attempts), half-open once passed (one attempt
-- decides); `circuit_openings`: times it opened since it last closed (the cool-down doubles with it).
ALTER TABLE webhooks
  ADD COLUMN circuit_failures integer NOT NULL DEFAULT 0,
  ADD COLUMN circuit_open_until timestamptz,
  ADD COLUMN circuit_openings integer NOT NULL DEFAULT 0,
  -- The secret replaced by the last rotation, sealed like `secret_sealed`: deliveries carry a
  -- signature with it too until `secret_previous_until`, so receivers can switch without a gap.
  ADD COLUMN secret_previous_sealed text,
  ADD COLUMN secret_previous_until timestamptz,
  ADD CHECK ((secret_previous_sealed IS NULL) = (secret_previous_until IS NULL));

-- `cancelled`: ended without a post (its webhook was deactivated); the reason is in last_error.
ALTER TABLE notification_deliveries DROP CONSTRAINT notification_deliveries_status_check;
ALTER TABLE notification_deliveries
  ADD CONSTRAINT notification_deliveries_status_check
  CHECK (status IN ('pending', 'delivered', 'failed', 'cancelled'));

-- The claim picks per webhook, oldest first, and counts each webhook's deliveries in flight.
CREATE INDEX notification_deliveries_pending_webhook_idx
  ON notification_deliveries (webhook_id, next_attempt_at) WHERE status = 'pending';

-- The host (name and port, never path or query: they may hold tokens) an attempt was aimed at, as
-- the webhook's URL was at that moment: an URL changed between two retries shows. Null for emails
-- and attempts that had nothing to post to (the webhook or notification gone).
ALTER TABLE notification_delivery_attempts ADD COLUMN host text;
