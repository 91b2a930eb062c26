import { type Static, Type } from '@sinclair/typebox';
import { DateTime, Nullable, OrganizationFilterQuery, PaginationQuery, StringEnum, Uuid } from '../../http/schemas.js';
import { DELIVERED_EVENTS, DELIVERY_CHANNELS, DELIVERY_STATUSES, NOTIFICATION_EVENTS } from './notification-events.js';
import type { UserNotificationRow } from './notification.repository.js';
import type { DeliveryAttemptRow, EmailPreferenceRow, WebhookRow } from './notifications.table.js';
import type { WebhookDeliveryRow } from './webhook.repository.js';
import { CIRCUIT_STATES, circuitState } from './webhook-circuit.js';

export const NotificationEventEnum = StringEnum(NOTIFICATION_EVENTS, {
  title: 'NotificationEvent',
  description: 'What a webhook or an email subscription is told about.',
});
const DeliveredEventEnum = StringEnum(DELIVERED_EVENTS, {
  title: 'DeliveredEvent',
  description: 'A notification event, or `test` (sent by "send test").',
});

const EventList = Type.Array(NotificationEventEnum, { minItems: 1, maxItems: NOTIFICATION_EVENTS.length });

const WebhookCircuitDto = Type.Object(
  {
    state: StringEnum(CIRCUIT_STATES, {
      title: 'WebhookCircuitState',
      description:
        'closed: deliveries are tried; open: none is tried until `until` (they wait, their attempts unused); ' +
        'half-open: the cool-down is over and the next attempt decides.',
    }),
    until: Nullable(DateTime, { description: 'End of the cool-down (open or half-open).' }),
    consecutive_failures: Type.Integer({ description: 'Failed attempts in a row (a delivered one resets it).' }),
  },
  { title: 'WebhookCircuit' },
);

export const WebhookDto = Type.Object(
  {
    id: Uuid,
    organization: Uuid,
    url: Type.String({
      description:
        'In full for admins of its organization and superusers; for operators only scheme and host, ' +
        "`https://receiver.example.com/…` (the path or query can be the receiver's credential).",
    }),
    description: Type.String(),
    events: Type.Array(NotificationEventEnum),
    active: Type.Boolean({
      description: 'Inactive webhooks get no deliveries; those pending end `cancelled` (a test still goes out).',
    }),
    circuit: WebhookCircuitDto,
    previous_secret_until: Nullable(DateTime, {
      description: 'Until when the secret replaced by the last rotation still signs deliveries, beside the new one.',
    }),
    created: DateTime,
    modified: DateTime,
  },
  { title: 'Webhook' },
);

export const WebhookWithSecretDto = Type.Composite(
  [
    WebhookDto,
    Type.Object({
      secret: Type.String({
        description: 'The signing secret: shown in this answer only. Store it with the receiver.',
      }),
    }),
  ],
  { title: 'WebhookWithSecret' },
);

export function toWebhookDto(row: WebhookRow): Static<typeof WebhookDto> {
  const now = new Date();
  return {
    id: row.id,
    organization: row.organizationId,
    url: row.url,
    description: row.description,
    events: row.events,
    active: row.active,
    circuit: {
      state: circuitState({ openUntil: row.circuitOpenUntil }, now),
      until: row.circuitOpenUntil?.toISOString() ?? null,
      consecutive_failures: row.circuitFailures,
    },
    previous_secret_until:
      row.secretPreviousUntil && row.secretPreviousUntil > now ? row.secretPreviousUntil.toISOString() : null,
    created: row.created.toISOString(),
    modified: row.modified.toISOString(),
  };
}

const Url = Type.String({ minLength: 1, maxLength: 2000, description: 'http:// or https:// URL the POSTs go to.' });
const Description = Type.String({ maxLength: 200 });

export const CreateWebhookBody = Type.Object(
  {
    organization: Type.Optional(Uuid),
    url: Url,
    description: Type.Optional(Description),
    events: EventList,
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const UpdateWebhookBody = Type.Object(
  {
    organization: Type.Optional(Uuid),
    url: Type.Optional(Url),
    description: Type.Optional(Description),
    events: Type.Optional(EventList),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const ListWebhooksQuery = Type.Object({ ...PaginationQuery, ...OrganizationFilterQuery });

export const DeliveryAttemptDto = Type.Object(
  {
    attempt: Type.Integer(),
    started_at: DateTime,
    duration_ms: Type.Integer(),
    status_code: Nullable(Type.Integer(), { description: "The receiver's HTTP status, if it answered." }),
    error: Nullable(Type.String(), {
      description:
        'What went wrong, in our words (timeout, refused, TLS, HTTP status): never what the receiver answered.',
    }),
    delivered: Type.Boolean(),
    host: Nullable(Type.String(), {
      description: "Host (and port) of the webhook's URL at this attempt; null for email or nothing to post to.",
    }),
  },
  { title: 'DeliveryAttempt' },
);

export const DeliveryDto = Type.Object(
  {
    id: Uuid,
    notification: Uuid,
    event: DeliveredEventEnum,
    channel: StringEnum(DELIVERY_CHANNELS, { title: 'DeliveryChannel' }),
    target: Type.String({ description: "The URL posted to, redacted for operators as the webhook's `url`." }),
    status: StringEnum(DELIVERY_STATUSES, {
      title: 'DeliveryStatus',
      description:
        'pending (waiting for its first or next attempt), delivered, failed (attempts used up), or cancelled ' +
        '(ended without a post: its webhook was deactivated, `last_error` says so).',
    }),
    attempts: Type.Integer(),
    next_attempt_at: Nullable(DateTime, { description: 'When a pending delivery is tried next.' }),
    last_status_code: Nullable(Type.Integer()),
    last_error: Nullable(Type.String()),
    created: DateTime,
    finished_at: Nullable(DateTime),
    attempt_log: Type.Array(DeliveryAttemptDto),
  },
  { title: 'Delivery' },
);

export function toDeliveryDto(row: WebhookDeliveryRow, attempts: DeliveryAttemptRow[]): Static<typeof DeliveryDto> {
  return {
    id: row.id,
    notification: row.notificationId,
    event: row.event as Static<typeof DeliveredEventEnum>,
    channel: row.channel,
    target: row.target,
    status: row.status,
    attempts: row.attempts,
    next_attempt_at: row.status === 'pending' ? row.nextAttemptAt.toISOString() : null,
    last_status_code: row.lastStatusCode,
    last_error: row.lastError,
    created: row.created.toISOString(),
    finished_at: row.finishedAt?.toISOString() ?? null,
    attempt_log: attempts
      .filter((attempt) => attempt.deliveryId === row.id)
      .map((attempt) => ({
        attempt: attempt.attempt,
        started_at: attempt.startedAt.toISOString(),
        duration_ms: attempt.durationMs,
        status_code: attempt.statusCode,
        error: attempt.error,
        delivered: attempt.delivered,
        host: attempt.host,
      })),
  };
}

export const TestDeliveryDto = Type.Object({ delivery: Uuid }, { title: 'TestDelivery' });

export const NotificationDto = Type.Object(
  {
    id: Uuid,
    event: DeliveredEventEnum,
    organization: Nullable(Uuid),
    title: Type.String(),
    detail: Type.String(),
    link: Nullable(Type.String(), { description: 'Path of the UI page about it, e.g. /batches/<id>.' }),
    data: Type.Record(Type.String(), Type.Unknown()),
    occurred_at: DateTime,
    read_at: Nullable(DateTime),
  },
  { title: 'Notification' },
);

export function toNotificationDto(row: UserNotificationRow): Static<typeof NotificationDto> {
  return {
    id: row.id,
    event: row.event,
    organization: row.organizationId,
    title: row.title,
    detail: row.detail,
    link: row.link,
    data: row.data,
    occurred_at: row.occurredAt.toISOString(),
    read_at: row.readAt?.toISOString() ?? null,
  };
}

export const ListNotificationsQuery = Type.Object({
  ...PaginationQuery,
  unread: Type.Optional(Type.Boolean({ description: 'Only unread notifications.' })),
});

export const MarkedDto = Type.Object({ marked: Type.Integer(), unread: Type.Integer() }, { title: 'MarkedRead' });

const EmailSubscription = Type.Object(
  {
    organization: Nullable(Uuid, { description: 'null: every organization you can see.' }),
    events: Type.Array(NotificationEventEnum, { maxItems: NOTIFICATION_EVENTS.length }),
  },
  { additionalProperties: false },
);

export const EmailPreferencesDto = Type.Object(
  {
    email_available: Type.Boolean({ description: 'False when no SMTP server is set: no email goes out.' }),
    email: Type.String({ description: 'Your address (change it on your user); empty: no email can reach you.' }),
    subscriptions: Type.Array(EmailSubscription),
  },
  { title: 'EmailPreferences' },
);

export const EmailPreferencesBody = Type.Object(
  { subscriptions: Type.Array(EmailSubscription, { maxItems: 500 }) },
  { additionalProperties: false },
);

export function toSubscriptions(rows: EmailPreferenceRow[]) {
  return rows.map((row) => ({ organization: row.organizationId, events: row.events }));
}
