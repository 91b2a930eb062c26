import type { JobContext } from '../../jobs/job-context.js';
import { purgeEvents } from '../../platform/events.js';
import type { JobDefinition } from '../../platform/queue.js';

/** Hourly: deletes live events older than the `event_retention` setting (they only serve resuming clients). */
export const purgeEventsJob: JobDefinition<Record<string, never>, JobContext> = {
  name: 'upgrades.purge-events',
  parse: () => ({}),
  async handle(_payload, { db, config, logger }) {
    const removed = await purgeEvents(db, config.events.retention);
    if (removed > 0) logger.info({ removed }, 'purged old events');
  },
  options: { retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 300 },
  schedule: '41 * * * *',
};
