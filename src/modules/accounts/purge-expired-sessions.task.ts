import type { ScheduledTask } from '../../platform/scheduled-tasks.js';
import type { Db } from '../../database.js';
import type { Logger } from '../../platform/logger.js';
import { purgeExpiredSessions } from './auth.service.js';

/** Hourly: deletes browser sessions past their expiry, so the sessions table stays small. */
export const purgeExpiredSessionsTask: ScheduledTask<{ db: Db; logger: Logger }> = {
  name: 'accounts.purge-expired-sessions',
  intervalSeconds: 3600,
  async run({ db, logger }) {
    const removed = await purgeExpiredSessions(db);
    if (removed > 0) logger.info({ removed }, 'purged expired sessions');
  },
};
