import type { ScheduledTask } from '../platform/scheduled-tasks.js';
import { checkDeviceReachability } from '../use-cases/check-device-reachability.js';
import type { TaskContext } from './task-context.js';

/**
 * Every `devices.reachability_check_interval` seconds (0: never), an SSH contact with the devices not
 * heard from lately (see check-device-reachability.ts). Here, in the wiring, because the work is a use
 * case above three modules: a module's own `*.task.ts` may not call one.
 */
export const checkReachabilityTask: ScheduledTask<Pick<TaskContext, 'db' | 'secrets' | 'config' | 'logger'>> = {
  name: 'devices.check-reachability',
  intervalSeconds: ({ config }) => config.devices.reachabilityCheckInterval,
  enabled: ({ config }) => config.devices.reachabilityCheckInterval > 0,
  async run(context, signal) {
    await checkDeviceReachability(context, { signal });
  },
};
