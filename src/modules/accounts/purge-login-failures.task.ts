import type { ScheduledTask } from '../../platform/scheduled-tasks.js';
import type { Db } from '../../database.js';
import type { Logger } from '../../platform/logger.js';
import { purgeExpiredLoginFailures } from './login-throttle.js';

/** Hourly: deletes failed-login counters whose window has passed, so the table stays small. */
export const purgeLoginFailuresTask: ScheduledTask<{ db: Db; logger: Logger }> = {
  name: 'accounts.purge-login-failures',
  intervalSeconds: 3600,
  async run({ db, logger }) {
    const removed = await purgeExpiredLoginFailures(db);
    if (removed > 0) logger.info({ removed }, 'purged expired failed-login counters');
  },
};
