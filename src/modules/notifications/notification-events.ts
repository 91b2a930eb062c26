/**
 * The closed vocabularies of notifications. `NOTIFICATION_EVENTS` are what webhooks subscribe to and
 * users choose for email; `test` is what "send test" delivers (to one webhook, whatever it subscribes to).
 */
export const NOTIFICATION_EVENTS = [
  'batch.paused',
  'batch.finished',
  'batch.failed',
  'batch.cancelled',
  'operation.failed',
  'batch.operations_failed',
  'build.failed',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

/** Every event a delivery or an in-app notification can carry. */
export const DELIVERED_EVENTS = [...NOTIFICATION_EVENTS, 'test'] as const;
export type DeliveredEvent = (typeof DELIVERED_EVENTS)[number];

/** `cancelled`: ended without a post, its webhook deactivated (the reason is in `last_error`). */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const DELIVERY_CHANNELS = ['webhook', 'email'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/** The batch status each batch event stands for (a batch entering it). */
export const BATCH_STATUS_EVENTS: Readonly<Record<string, NotificationEvent>> = {
  paused: 'batch.paused',
  success: 'batch.finished',
  failed: 'batch.failed',
  cancelled: 'batch.cancelled',
};

/** Operation statuses that end it as failed: failed after flashing, or aborted with the device untouched. */
export const FAILED_OPERATION_STATUSES = ['failed', 'aborted'] as const;

/** Keeps the known events of a list, in vocabulary order, each once. */
export function normaliseEvents(events: readonly string[]): NotificationEvent[] {
  return NOTIFICATION_EVENTS.filter((event) => events.includes(event));
}
