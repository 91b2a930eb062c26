import type { ScheduledTask } from '../platform/scheduled-tasks.js';
import { checkDeviceReachability } from '../use-cases/check-device-reachability.js';
import type { TaskContext } from './task-context.js';

/**
 * Every `devices.reachability_check_interval` seconds (0: never), an SSH key exchange (no login) with the
 * devices not heard from lately that have a pinned host key (see check-device-reachability.ts). Here, in
 * the wiring, because the work is a use case above three modules: a module's own `*.task.ts` may not call one.
 * No secrets in its context: the check reads no credentials.
 */
export const checkReachabilityTask: ScheduledTask<Pick<TaskContext, 'db' | 'config' | 'logger'>> = {
  name: 'devices.check-reachability',
  intervalSeconds: ({ config }) => config.devices.reachabilityCheckInterval,
  enabled: ({ config }) => config.devices.reachabilityCheckInterval > 0,
  async run(context, signal) {
    await checkDeviceReachability(context, { signal });
  },
};
