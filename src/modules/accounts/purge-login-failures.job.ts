import type { JobContext } from '../../jobs/job-context.js';
import type { JobDefinition } from '../../platform/queue.js';
import { purgeExpiredLoginFailures } from './login-throttle.js';

/** Hourly: deletes failed-login counters whose window has passed, so the table stays small. */
export const purgeLoginFailuresJob: JobDefinition<Record<string, never>, JobContext> = {
  name: 'accounts.purge-login-failures',
  parse: () => ({}),
  async handle(_payload, { db, logger }) {
    const removed = await purgeExpiredLoginFailures(db);
    if (removed > 0) logger.info({ removed }, 'purged expired failed-login counters');
  },
  options: { retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 300 },
  schedule: '47 * * * *',
};
