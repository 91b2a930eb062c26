import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { Config } from '../../platform/config.js';
import type { Logger } from '../../platform/logger.js';
import type { ScheduledTask } from '../../platform/scheduled-tasks.js';
import type { Storage } from '../../platform/storage.js';
import { purgeBackups } from './backup.service.js';

/**
 * Hourly: deletes configuration backups past the retention (settings `backups.keep_per_device`,
 * `backups.max_age_days`) and releases their stored archives.
 */
export const purgeBackupsTask: ScheduledTask<{
  db: Kysely<Database>;
  storage: Storage;
  config: Config;
  logger: Logger;
}> = {
  name: 'backups.purge-past-retention',
  intervalSeconds: 3600,
  async run({ db, storage, config, logger }, signal) {
    const removed = await purgeBackups(db, storage, config.backups, { signal });
    if (removed > 0) logger.info({ removed }, 'purged configuration backups past their retention');
  },
};
