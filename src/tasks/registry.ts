import { purgeExpiredSessionsTask } from '../modules/accounts/purge-expired-sessions.task.js';
import { purgeLoginFailuresTask } from '../modules/accounts/purge-login-failures.task.js';
import { purgeAuditLogTask } from '../modules/audit/purge-audit-log.task.js';
import { purgeBackupsTask } from '../modules/backups/purge-backups.task.js';
import { buildHousekeepingTask } from '../modules/imagebuilder/build-housekeeping.task.js';
import { purgeNotificationsTask } from '../modules/notifications/purge-notifications.task.js';
import { purgeEventsTask } from '../modules/upgrades/purge-events.task.js';
import type { ScheduledTask } from '../platform/scheduled-tasks.js';
import { checkReachabilityTask } from './check-reachability.task.js';
import { sweepStoredFilesTask } from './sweep-stored-files.task.js';
import type { TaskContext } from './task-context.js';

/** Every periodic task fleetflash runs. A new task is one file plus one line here. */
export const TASKS: readonly ScheduledTask<TaskContext>[] = [
  purgeExpiredSessionsTask,
  purgeLoginFailuresTask,
  purgeEventsTask,
  purgeAuditLogTask,
  purgeNotificationsTask,
  purgeBackupsTask,
  buildHousekeepingTask,
  sweepStoredFilesTask,
  checkReachabilityTask,
];
