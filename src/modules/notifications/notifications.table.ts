import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Timestamp } from '../accounts/accounts.table.js';
import type { DeliveredEvent, DeliveryChannel, DeliveryStatus, NotificationEvent } from './notification-events.js';

/**
 * Tables of migrations/0014_notifications.sql, 0019_webhook_delivery_flow.sql and
 * 0020_notification_failure_folds.sql.
 */

export interface NotificationDispatchCursorTable {
  id: number;
  position: ColumnType<string, string | number, string | number>;
  modified: Timestamp;
}

export interface WebhooksTable {
  id: Generated<string>;
  organizationId: string;
  url: string;
  description: Generated<string>;
  events: NotificationEvent[];
  active: Generated<boolean>;
  secretSealed: string;
  /** The secret the last rotation replaced, still signing until `secretPreviousUntil`. */
  secretPreviousSealed: ColumnType<string | null, string | null | undefined, string | null>;
  secretPreviousUntil: ColumnType<Date | null, Date | null | undefined, Date | null>;
  circuitFailures: Generated<number>;
  circuitOpenUntil: ColumnType<Date | null, Date | null | undefined, Date | null>;
  circuitOpenings: Generated<number>;
  createdBy: string | null;
  created: Timestamp;
  modified: Timestamp;
}

export interface NotificationsTable {
  id: Generated<string>;
  event: DeliveredEvent;
  organizationId: string | null;
  sourceEventId: ColumnType<string | null, string | number | null, never>;
  dedupeKey: string | null;
  title: string;
  detail: Generated<string>;
  link: string | null;
  data: ColumnType<Record<string, unknown>, string, never>;
  occurredAt: ColumnType<Date, Date, never>;
  created: Timestamp;
}

export interface UserNotificationsTable {
  userId: string;
  notificationId: string;
  readAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created: Timestamp;
}

export interface NotificationEmailPreferencesTable {
  userId: string;
  organizationId: string | null;
  events: NotificationEvent[];
}

export interface NotificationDeliveriesTable {
  id: Generated<string>;
  notificationId: string;
  channel: DeliveryChannel;
  webhookId: string | null;
  userId: string | null;
  target: string;
  status: Generated<DeliveryStatus>;
  attempts: Generated<number>;
  nextAttemptAt: Timestamp;
  leaseOwner: string | null;
  leaseExpiresAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
  lastStatusCode: number | null;
  lastError: string | null;
  created: Timestamp;
  finishedAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface NotificationDeliveryAttemptsTable {
  deliveryId: string;
  attempt: number;
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  delivered: boolean;
  /** Host (and port) of the webhook URL the attempt was aimed at; null for emails. */
  host: ColumnType<string | null, string | null | undefined, never>;
}

export interface NotificationFoldedFailuresTable {
  operationId: string;
  batchId: string;
  organizationId: string | null;
  deviceId: string | null;
  deviceName: string;
  status: string;
  errorCode: string | null;
  occurredAt: Date;
  eventId: ColumnType<string, string | number, never>;
  notificationId: string | null;
}

export type WebhookRow = Selectable<WebhooksTable>;
export type NewWebhookRow = Insertable<WebhooksTable>;
export type WebhookUpdate = Updateable<WebhooksTable>;
export type NotificationRow = Selectable<NotificationsTable>;
export type DeliveryRow = Selectable<NotificationDeliveriesTable>;
export type DeliveryAttemptRow = Selectable<NotificationDeliveryAttemptsTable>;
export type EmailPreferenceRow = Selectable<NotificationEmailPreferencesTable>;
