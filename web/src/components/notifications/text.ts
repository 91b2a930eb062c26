import type { paths } from '../../api/schema';

/** The UI's one text table per notification vocabulary (the server's closed sets). */

type Json<T> = T extends { responses: { 200: { content: { 'application/json': infer Body } } } } ? Body : never;
type Delivery = Json<paths['/api/v1/webhooks/{id}/deliveries/']['get']>['results'][number];
export type NotificationEvent = Json<paths['/api/v1/webhooks/{id}/']['get']>['events'][number];
export type DeliveredEvent = Delivery['event'];
export type DeliveryStatus = Delivery['status'];

export const EVENT_LABELS: Record<DeliveredEvent, string> = {
  'batch.paused': 'Mass upgrade paused',
  'batch.finished': 'Mass upgrade finished',
  'batch.failed': 'Mass upgrade failed',
  'batch.cancelled': 'Mass upgrade cancelled',
  'operation.failed': 'Upgrade failed or aborted (single device)',
  'batch.operations_failed': 'Failed upgrades of a mass upgrade (digest)',
  'build.failed': 'Custom image build failed',
  test: 'Test',
};

/** The events one can subscribe to, in the server's order. */
export const SUBSCRIBABLE_EVENTS = Object.keys(EVENT_LABELS).filter(
  (event): event is NotificationEvent => event !== 'test',
);

export const DELIVERY_STATUS_LABELS: Record<DeliveryStatus, string> = {
  pending: 'pending',
  delivered: 'delivered',
  failed: 'failed',
  cancelled: 'cancelled',
};

/** The badge colour (class `badge-<x>`) of a delivery status. */
export const DELIVERY_STATUS_BADGE: Record<DeliveryStatus, string> = {
  pending: 'wait',
  delivered: 'ok',
  failed: 'bad',
  cancelled: 'muted',
};

type Webhook = Json<paths['/api/v1/webhooks/{id}/']['get']>;
export type CircuitState = Webhook['circuit']['state'];

/** What a webhook's circuit breaker is doing, as the webhook list says it. */
export const CIRCUIT_STATE_LABELS: Record<CircuitState, string> = {
  closed: 'receiver OK',
  open: 'paused: receiver failing',
  'half-open': 'trying again',
};

export const CIRCUIT_STATE_BADGE: Record<CircuitState, string> = {
  closed: 'ok',
  open: 'bad',
  'half-open': 'warn',
};
