import { purgeExpiredSessionsJob } from '../modules/accounts/purge-expired-sessions.job.js';
import { purgeLoginFailuresJob } from '../modules/accounts/purge-login-failures.job.js';
import { purgeEventsJob } from '../modules/upgrades/purge-events.job.js';
import type { JobDefinition } from '../platform/queue.js';
import type { JobContext } from './job-context.js';

/** Every background job fleetflash runs. A new job is one file plus one line here. */
export const JOBS: readonly JobDefinition<unknown, JobContext>[] = [
  purgeExpiredSessionsJob as JobDefinition<unknown, JobContext>,
  purgeEventsJob as JobDefinition<unknown, JobContext>,
  purgeLoginFailuresJob as JobDefinition<unknown, JobContext>,
];
