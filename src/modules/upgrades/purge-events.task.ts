import { purgeEvents } from '../../platform/events.js';
import type { ScheduledTask } from '../../platform/scheduled-tasks.js';
import type { Db } from '../../database.js';
import type { Config } from '../../platform/config.js';
import type { Logger } from '../../platform/logger.js';

/** Hourly: deletes live events older than the `event_retention` setting (they only serve resuming clients). */
export const purgeEventsTask: ScheduledTask<{ db: Db; config: Config; logger: Logger }> = {
  name: 'upgrades.purge-events',
  intervalSeconds: 3600,
  async run({ db, config, logger }) {
    const removed = await purgeEvents(db, config.events.retention);
    if (removed > 0) logger.info({ removed }, 'purged old events');
  },
};
