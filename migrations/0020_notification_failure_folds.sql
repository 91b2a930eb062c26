-- Failed operations of a mass upgrade are told as one digest per batch and fold window
-- (`batch.operations_failed`, setting notifications.batch_failure_fold) instead of one notice each:
-- a failing 1,000-device batch must not send 1,000 webhooks, emails and bell entries.

-- Each failed (or aborted) operation of a batch, once: waiting for its fold window to close
-- (notification_id null), then linked to the notice that told it (and purged with that notice).
CREATE TABLE notification_folded_failures (
  operation_id uuid PRIMARY KEY,
  batch_id uuid NOT NULL,
  organization_id uuid REFERENCES organizations (id) ON DELETE CASCADE,
  device_id uuid,
  device_name text NOT NULL,
  status text NOT NULL,
  error_code text,
  occurred_at timestamptz NOT NULL,
  -- The event that told the failure: digests name devices in the order they failed.
  event_id bigint NOT NULL,
  notification_id uuid REFERENCES notifications (id) ON DELETE CASCADE
);
CREATE INDEX notification_folded_failures_waiting_idx
  ON notification_folded_failures (batch_id, occurred_at) WHERE notification_id IS NULL;
CREATE INDEX notification_folded_failures_notification_idx ON notification_folded_failures (notification_id);

-- Who chose operation.failed keeps hearing about failures of mass upgrades, now as the digest (the
-- lists stay in the vocabulary's order, as the server writes them).
UPDATE webhooks SET events = ARRAY(
    SELECT e FROM unnest(events || 'batch.operations_failed'::text) AS e
    ORDER BY array_position(ARRAY['batch.paused', 'batch.finished', 'batch.failed', 'batch.cancelled',
      'operation.failed', 'batch.operations_failed', 'build.failed'], e))
  WHERE 'operation.failed' = ANY (events) AND NOT 'batch.operations_failed' = ANY (events);
UPDATE notification_email_preferences SET events = ARRAY(
    SELECT e FROM unnest(events || 'batch.operations_failed'::text) AS e
    ORDER BY array_position(ARRAY['batch.paused', 'batch.finished', 'batch.failed', 'batch.cancelled',
      'operation.failed', 'batch.operations_failed', 'build.failed'], e))
  WHERE 'operation.failed' = ANY (events) AND NOT 'batch.operations_failed' = ANY (events);
