import type { Db } from '../../database.js';
import type { Config } from '../../platform/config.js';
import type { Logger } from '../../platform/logger.js';
import type { ScheduledTask } from '../../platform/scheduled-tasks.js';
import { purgeNotifications } from './notification.repository.js';

/**
 * Hourly: deletes notifications older than `notifications.retention`, with their in-app rows,
 * deliveries and delivery attempts (a notification with a delivery still pending is kept).
 */
export const purgeNotificationsTask: ScheduledTask<{ db: Db; config: Config; logger: Logger }> = {
  name: 'notifications.purge',
  intervalSeconds: 3600,
  async run({ db, config, logger }) {
    const removed = await purgeNotifications(db, config.notifications.retention);
    if (removed > 0) logger.info({ removed }, 'purged old notifications');
  },
};
