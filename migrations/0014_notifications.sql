-- Notifications (src/modules/notifications/): webhooks per organization, email per user opt-in and
-- in-app notifications, all produced from the events table by one durable dispatcher.

-- Where the dispatcher stands in the events table. One row; the dispatcher locks it (FOR UPDATE
-- SKIP LOCKED) for a round, so two workers never dispatch the same event, and moves it in the
-- transaction that writes what the events produced.
CREATE TABLE notification_dispatch_cursor (
  id integer PRIMARY KEY CHECK (id = 1),
  position bigint NOT NULL,
  modified timestamptz NOT NULL DEFAULT now()
);
-- A new installation notifies about what happens from now on, not about the history before it.
INSERT INTO notification_dispatch_cursor (id, position) SELECT 1, COALESCE(max(id), 0) FROM events;

-- The dispatcher tells a change of a batch's or an image build's status from a repeated aggregate
-- by the previous event of the same batch or build: these find it without reading the log events.
CREATE INDEX events_batch_idx ON events (batch_id, id) WHERE type = 'batch';
CREATE INDEX events_build_idx ON events (build_hash, id) WHERE type = 'build';

CREATE TABLE webhooks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  url text NOT NULL,
  description text NOT NULL DEFAULT '',
  events text[] NOT NULL,
  active boolean NOT NULL DEFAULT true,
  -- The signing secret, sealed with the server's secret key (AES-256-GCM): shown once, never again.
  secret_sealed text NOT NULL,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created timestamptz NOT NULL DEFAULT now(),
  modified timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhooks_organization_idx ON webhooks (organization_id, created);

-- One row per thing worth telling (a batch paused, an operation failed, ...) and organization: what
-- webhooks receive as `id`, what in-app notifications and emails show.
CREATE TABLE notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  event text NOT NULL,
  organization_id uuid REFERENCES organizations (id) ON DELETE CASCADE,
  -- The events row it came from (null for a webhook test).
  source_event_id bigint,
  -- Set where one subject can only produce the notification once (an operation fails once).
  dedupe_key text UNIQUE,
  title text NOT NULL,
  detail text NOT NULL DEFAULT '',
  -- Path of the UI page about it, e.g. /batches/<id>.
  link text,
  data jsonb NOT NULL,
  occurred_at timestamptz NOT NULL,
  created timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notifications_created_idx ON notifications (created);

-- In-app: one row per user told.
CREATE TABLE user_notifications (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  notification_id uuid NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
  read_at timestamptz,
  created timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, notification_id)
);
CREATE INDEX user_notifications_list_idx ON user_notifications (user_id, created DESC, notification_id);
CREATE INDEX user_notifications_unread_idx ON user_notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX user_notifications_notification_idx ON user_notifications (notification_id);

-- Which events a user wants by email: for one organization, or (organization null) for every
-- organization the user can see.
CREATE TABLE notification_email_preferences (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  organization_id uuid REFERENCES organizations (id) ON DELETE CASCADE,
  events text[] NOT NULL
);
CREATE UNIQUE INDEX notification_email_preferences_key
  ON notification_email_preferences (user_id, COALESCE(organization_id, '00000000-0000-0000-0000-000000000000'::uuid));

-- Webhook POSTs and emails to send: the row is the job (claimed under a lease by the delivery worker,
-- tried again with exponential backoff up to a bound, then 'failed'). Never left "in progress": a
-- worker that dies stops renewing its lease and another takes the row over.
CREATE TABLE notification_deliveries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  notification_id uuid NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
  channel text NOT NULL CHECK (channel IN ('webhook', 'email')),
  webhook_id uuid REFERENCES webhooks (id) ON DELETE CASCADE,
  user_id uuid REFERENCES users (id) ON DELETE CASCADE,
  -- The URL or address it goes to, as it was when the delivery was made.
  target text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  -- Attempts started (counted when claimed, so a worker dying mid-attempt still uses one up).
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  lease_owner text,
  lease_expires_at timestamptz,
  last_status_code integer,
  last_error text,
  created timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  CHECK ((channel = 'webhook') = (webhook_id IS NOT NULL)),
  CHECK ((status = 'pending') = (finished_at IS NULL))
);
CREATE INDEX notification_deliveries_due_idx ON notification_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX notification_deliveries_webhook_idx ON notification_deliveries (webhook_id, created DESC);
CREATE INDEX notification_deliveries_notification_idx ON notification_deliveries (notification_id);

-- Every attempt: when, how long, what the receiver answered or what went wrong.
CREATE TABLE notification_delivery_attempts (
  delivery_id uuid NOT NULL REFERENCES notification_deliveries (id) ON DELETE CASCADE,
  attempt integer NOT NULL,
  started_at timestamptz NOT NULL,
  duration_ms integer NOT NULL,
  status_code integer,
  error text,
  delivered boolean NOT NULL,
  PRIMARY KEY (delivery_id, attempt)
);
