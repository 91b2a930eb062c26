import type { Kysely } from 'kysely';
import { Gauge, type Registry } from 'prom-client';
import type { Database } from '../../database.js';
import { DELIVERY_CHANNELS, DELIVERY_STATUSES } from './notification-events.js';
import { countDeliveriesByStatus, countUndispatchedEvents } from './delivery.repository.js';

/**
 * Notification metrics, read from the database at scrape time (the same in every API process):
 * deliveries by channel and status (failed ones are kept for `notifications.retention`), and how
 * many events the dispatcher has yet to read (a growing figure: no worker process is dispatching).
 */
export function registerNotificationMetrics(registry: Registry, db: Kysely<Database>): void {
  new Gauge({
    name: 'fleetflash_notification_deliveries',
    help: 'Webhook and email deliveries kept, by channel and status.',
    labelNames: ['channel', 'status'],
    registers: [registry],
    async collect() {
      const rows = await countDeliveriesByStatus(db);
      for (const channel of DELIVERY_CHANNELS)
        for (const status of DELIVERY_STATUSES) {
          const row = rows.find((candidate) => candidate.channel === channel && candidate.status === status);
          this.set({ channel, status }, row?.count ?? 0);
        }
    },
  });
  new Gauge({
    name: 'fleetflash_notification_dispatch_lag_events',
    help: 'Events written that the notification dispatcher has not read yet.',
    registers: [registry],
    async collect() {
      this.set(await countUndispatchedEvents(db));
    },
  });
}
