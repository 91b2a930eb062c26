import { purgeEvents } from '../../platform/events.js';
import type { ScheduledTask } from '../../platform/scheduled-tasks.js';
import type { TaskContext } from '../../tasks/task-context.js';

/** Hourly: deletes live events older than the `event_retention` setting (they only serve resuming clients). */
export const purgeEventsTask: ScheduledTask<TaskContext> = {
  name: 'upgrades.purge-events',
  intervalSeconds: 3600,
  async run({ db, config, logger }) {
    const removed = await purgeEvents(db, config.events.retention);
    if (removed > 0) logger.info({ removed }, 'purged old events');
  },
};
