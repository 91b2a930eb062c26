import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { Config } from '../../platform/config.js';
import type { Logger } from '../../platform/logger.js';
import type { ScheduledTask } from '../../platform/scheduled-tasks.js';
import { purgeAuditLog } from './audit.service.js';

/** Hourly: deletes audit-log entries older than the `audit_retention_days` setting (none when it is 0: forever). */
export const purgeAuditLogTask: ScheduledTask<{ db: Kysely<Database>; config: Config; logger: Logger }> = {
  name: 'audit.purge-audit-log',
  intervalSeconds: 3600,
  async run({ db, config, logger }) {
    const removed = await purgeAuditLog(db, config.audit.retentionDays);
    if (removed > 0) logger.info({ removed }, 'purged audit-log entries past their retention');
  },
};
