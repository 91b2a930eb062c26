import type { Config } from '../../platform/config.js';

/**
 * How many upgrades can run at once, from the settings: what one worker process holds (waiting ones
 * included), how many of those talk to their devices and how many send images, and the cap across
 * every worker. Mass upgrades read it to tell an operator when their `max_concurrent` cannot be reached.
 */
export interface UpgradeCapacity {
  /** Operations one worker process holds at once, waiting ones included (upgrade_concurrency). */
  per_worker_operations: number;
  /** Operations of one worker process with an SSH session open at once (upgrade_max_ssh_sessions). */
  per_worker_ssh_sessions: number;
  /** Image transfers of one worker process at once (upgrade_max_transfers). */
  per_worker_transfers: number;
  /** Operations in progress at once across every worker (upgrade_global_concurrency). */
  global_operations: number;
  /** Default of a mass upgrade's max_concurrent (rollout_max_concurrent). */
  default_max_concurrent: number;
}

export function upgradeCapacity(config: Config): UpgradeCapacity {
  const settings = config.upgrades;
  return {
    per_worker_operations: settings.concurrency,
    per_worker_ssh_sessions: Math.min(settings.maxSshSessions, settings.concurrency),
    per_worker_transfers: Math.min(settings.maxTransfers, settings.maxSshSessions, settings.concurrency),
    global_operations: settings.globalConcurrency,
    default_max_concurrent: settings.rolloutMaxConcurrent,
  };
}

/** A mass upgrade's devices upgrading at once, as far as the settings let it: min(max_concurrent, global cap). */
export function effectiveMaxConcurrent(config: Config, maxConcurrent: number): number {
  return Math.min(maxConcurrent, config.upgrades.globalConcurrency);
}

/** Why a mass upgrade's max_concurrent cannot be reached (empty when it can). */
export function maxConcurrentWarnings(config: Config, maxConcurrent: number): string[] {
  const capacity = upgradeCapacity(config);
  const warnings: string[] = [];
  if (maxConcurrent > capacity.global_operations) {
    warnings.push(
      `rollout.max_concurrent ${maxConcurrent} cannot be reached: the setting upgrade_global_concurrency lets at ` +
        `most ${capacity.global_operations} upgrades run at once across every worker, so at most ` +
        `${capacity.global_operations} devices of this mass upgrade upgrade at once.`,
    );
  } else if (maxConcurrent > capacity.per_worker_operations) {
    const workers = Math.ceil(maxConcurrent / capacity.per_worker_operations);
    warnings.push(
      `rollout.max_concurrent ${maxConcurrent} needs at least ${workers} worker processes: one holds at most ` +
        `${capacity.per_worker_operations} upgrades (setting upgrade_concurrency).`,
    );
  }
  return warnings;
}

/** Settings that contradict each other: a cap that a smaller one makes unreachable. Logged when a worker starts. */
export function capacitySettingWarnings(config: Config): string[] {
  const s = config.upgrades;
  const warnings: string[] = [];
  if (s.maxTransfers > s.maxSshSessions)
    warnings.push(
      `upgrade_max_transfers ${s.maxTransfers} cannot be reached: a transfer runs in an SSH session and ` +
        `upgrade_max_ssh_sessions is ${s.maxSshSessions}.`,
    );
  if (s.maxSshSessions > s.concurrency)
    warnings.push(
      `upgrade_max_ssh_sessions ${s.maxSshSessions} cannot be reached: upgrade_concurrency is ${s.concurrency}.`,
    );
  if (s.rolloutMaxConcurrent > s.globalConcurrency)
    warnings.push(
      `rollout_max_concurrent ${s.rolloutMaxConcurrent} cannot be reached: upgrade_global_concurrency is ` +
        `${s.globalConcurrency}.`,
    );
  return warnings;
}
