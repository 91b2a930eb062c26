import type { JobContext } from '../../jobs/job-context.js';
import type { JobDefinition } from '../../platform/queue.js';
import { purgeExpiredSessions } from './auth.service.js';

/** Hourly: deletes browser sessions past their expiry, so the sessions table stays small. */
export const purgeExpiredSessionsJob: JobDefinition<Record<string, never>, JobContext> = {
  name: 'accounts.purge-expired-sessions',
  parse: () => ({}),
  async handle(_payload, { db, logger }) {
    const removed = await purgeExpiredSessions(db);
    if (removed > 0) logger.info({ removed }, 'purged expired sessions');
  },
  options: { retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 300 },
  schedule: '17 * * * *',
};
