import { invalid } from '../../platform/errors.js';

/**
 * The rollout policy of a mass upgrade: how many devices go first (the canary), how the stages
 * after it grow, when a stage may be followed by the next (its success rate meets the gate), when
 * the whole rollout pauses itself (too many failures among the decided devices, after a minimum
 * sample), how long to wait between stages, how many devices may be in flight at once, and when to
 * start. Every field is optional; defaults follow ../shared/reference/ota-peers.md's suggestions.
 */

export interface RolloutInput {
  canary_count?: number | undefined;
  canary_percent?: number | undefined;
  stage_factor?: number | undefined;
  stage_sizes?: number[] | undefined;
  success_gate_percent?: number | undefined;
  failure_threshold_percent?: number | undefined;
  failure_threshold_min_decided?: number | undefined;
  bake_seconds?: number | undefined;
  max_concurrent?: number | undefined;
  start_at?: string | undefined;
}

export interface RolloutPolicy {
  canary_count: number | null;
  canary_percent: number | null;
  stage_factor: number | null;
  stage_sizes: number[] | null;
  success_gate_percent: number;
  failure_threshold_percent: number;
  failure_threshold_min_decided: number;
  bake_seconds: number;
  max_concurrent: number;
  start_at: string | null;
}

export const ROLLOUT_DEFAULTS = {
  canaryPercent: 1,
  /** The canary has at least this many devices (or all of them, if fewer). */
  canaryMinimum: 5,
  stageFactor: 4,
  successGatePercent: 95,
  failureThresholdPercent: 5,
  failureThresholdMinDecided: 10,
  bakeSeconds: 0,
} as const;

/** Normalises a request's policy, filling in defaults; conflicting or impossible values are a 400 naming the field. */
export function normalizeRollout(
  input: RolloutInput | undefined,
  defaults: { maxConcurrent: number },
  now = new Date(),
): RolloutPolicy {
  const given = input ?? {};
  const problems: Record<string, string> = {};
  if (given.canary_count !== undefined && given.canary_percent !== undefined) {
    problems['rollout.canary_percent'] = 'Give either canary_count or canary_percent, not both.';
  }
  if (given.stage_factor !== undefined && given.stage_sizes !== undefined) {
    problems['rollout.stage_sizes'] =
      'Give either stage_factor (stages that grow by a factor) or stage_sizes (explicit sizes), not both.';
  }
  if (given.stage_sizes !== undefined && given.stage_sizes.length === 0) {
    problems['rollout.stage_sizes'] =
      'List at least one stage size (the last stage always takes the remaining devices).';
  }
  let startAt: string | null = null;
  if (given.start_at !== undefined) {
    const at = new Date(given.start_at);
    if (Number.isNaN(at.getTime()))
      problems['rollout.start_at'] = 'Not a date-time: use ISO 8601, e.g. 2026-12-01T02:00:00Z.';
    else if (at.getTime() > now.getTime() + 366 * 24 * 3600 * 1000)
      problems['rollout.start_at'] = 'The start must be within a year from now.';
    else startAt = at.toISOString();
  }
  if (Object.keys(problems).length > 0) {
    throw invalid(
      `Invalid rollout policy: ${Object.entries(problems)
        .map(([field, problem]) => `${field}: ${problem}`)
        .join(' ')}`,
      problems,
    );
  }
  return {
    canary_count: given.canary_count ?? null,
    canary_percent: given.canary_percent ?? null,
    stage_factor: given.stage_sizes !== undefined ? null : (given.stage_factor ?? ROLLOUT_DEFAULTS.stageFactor),
    stage_sizes: given.stage_sizes ?? null,
    success_gate_percent: given.success_gate_percent ?? ROLLOUT_DEFAULTS.successGatePercent,
    failure_threshold_percent: given.failure_threshold_percent ?? ROLLOUT_DEFAULTS.failureThresholdPercent,
    failure_threshold_min_decided: given.failure_threshold_min_decided ?? ROLLOUT_DEFAULTS.failureThresholdMinDecided,
    bake_seconds: given.bake_seconds ?? ROLLOUT_DEFAULTS.bakeSeconds,
    max_concurrent: given.max_concurrent ?? defaults.maxConcurrent,
    start_at: startAt,
  };
}

/**
 * Sizes of the stages for `total` devices: the canary first, then stages growing by the factor
 * (or the explicit sizes), the last stage taking whatever remains. Every stage has at least one device.
 */
export function stageSizes(policy: RolloutPolicy, total: number): number[] {
  if (total <= 0) return [];
  let canary: number;
  if (policy.canary_count !== null) canary = policy.canary_count;
  else if (policy.canary_percent !== null) canary = Math.ceil((total * policy.canary_percent) / 100);
  // Neither given: 1 % of the devices, but never fewer than five.
  else canary = Math.max(Math.ceil((total * ROLLOUT_DEFAULTS.canaryPercent) / 100), ROLLOUT_DEFAULTS.canaryMinimum);
  canary = Math.min(Math.max(1, canary), total);
  const sizes = [canary];
  let assigned = canary;
  if (policy.stage_sizes !== null) {
    for (const size of policy.stage_sizes) {
      if (assigned >= total) break;
      const next = Math.min(size, total - assigned);
      sizes.push(next);
      assigned += next;
    }
  } else {
    const factor = policy.stage_factor ?? ROLLOUT_DEFAULTS.stageFactor;
    let size = canary;
    while (assigned < total) {
      size = Math.max(size + 1, Math.round(size * factor));
      const next = Math.min(size, total - assigned);
      sizes.push(next);
      assigned += next;
    }
  }
  if (assigned < total) sizes.push(total - assigned);
  return sizes;
}

/** The stage of each position 0..total-1, from the stage sizes. */
export function stageOfPositions(sizes: number[]): number[] {
  // One plain loop: a plan may have 100,000 positions (an array per stage and a flatMap cost ten times more).
  const stages: number[] = [];
  sizes.forEach((size, stage) => {
    for (let position = 0; position < size; position += 1) stages.push(stage);
  });
  return stages;
}

/** `String.prototype.localeCompare` without arguments: the same default collator, so the same order. */
const compareText = new Intl.Collator().compare;

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The order devices go in: one device of each location before a second of any, so that a stage
 * never takes down every router of a site while others have none in it (topology-blind
 * rollouts are a known complaint: ota-peers.md §4.4). Within that, by name for a stable plan.
 *
 * Computed with one text sort (by name, then id), a sort of the distinct locations, and integer work
 * after that (a stable sort by location rank, then taking the locations' devices in turns): sorting
 * 100,000 devices twice by three texts took about a second. The text sort goes in two passes: first by
 * code units (cheap), then by the collator, whose merge sort (V8's TimSort) finds the runs the first pass
 * left. Names of a fleet mostly compare alike both ways ("router-0042"), so the collator then costs about
 * one comparison per device instead of seventeen; where they differ (case, accents) the result is the same,
 * only slower.
 */
export function rolloutOrder<T extends { location: string; name: string; id: string }>(devices: readonly T[]): T[] {
  const byName = [...devices]
    .sort((a, b) => compareCodeUnits(a.name, b.name) || compareCodeUnits(a.id, b.id))
    .sort((a, b) => compareText(a.name, b.name) || compareText(a.id, b.id));
  const locations = [...new Set(devices.map((device) => device.location))].sort(compareText);
  const locationRank = new Map(locations.map((location, index) => [location, index]));
  const groups: T[][] = locations.map(() => []);
  for (const device of byName) groups[locationRank.get(device.location)!]!.push(device);
  const ordered: T[] = [];
  let remaining = groups;
  for (let rank = 0; remaining.length > 0; rank += 1) {
    for (const group of remaining) ordered.push(group[rank]!);
    // Locations run out of devices one after another: drop them, so each round costs what it takes.
    remaining = remaining.filter((group) => group.length > rank + 1);
  }
  return ordered;
}

export interface StageCounts {
  total: number;
  /** success, failed, aborted (cancelled devices are decided but counted apart). */
  success: number;
  failed: number;
  aborted: number;
  cancelled: number;
  /** pending or in progress, except devices waiting to come back online. */
  open: number;
  /** pending because the device is offline and the batch waits for it. */
  waitingOffline: number;
  /** pending because the device's (or the batch's) maintenance window is closed. */
  waitingForWindow: number;
}

/** Failures (failed or aborted) ÷ decided devices, in percent, since the last resume. */
export function failureRate(failures: number, decided: number): number {
  return decided === 0 ? 0 : (failures / decided) * 100;
}

/**
 * Whether a stage's devices allow the next stage: none open (devices waiting to come back online or for
 * their maintenance window do not hold the rollout up), and successes ÷ (successes + failures) meet the
 * gate. An empty decision set (all cancelled or offline) passes. Devices waiting for their window are
 * ignored only once enough of the stage is judged: at least `minJudged` (the policy's
 * failure_threshold_min_decided), or every device the stage can judge (total − cancelled − waiting
 * offline) when it has fewer, and never none. Else one device done in an open window would let a canary
 * of ten pass while nine wait, and a canary in a closed window would let every later stage go unproven.
 */
export function stageGate(
  counts: StageCounts,
  gatePercent: number,
  minJudged: number,
): { decided: boolean; passed: boolean; successRate: number } {
  const judged = counts.success + counts.failed + counts.aborted;
  const successRate = judged === 0 ? 100 : (counts.success / judged) * 100;
  const required = Math.max(1, Math.min(minJudged, counts.total - counts.cancelled - counts.waitingOffline));
  const unproven = counts.waitingForWindow > 0 && judged < required;
  return { decided: counts.open === 0 && !unproven, passed: successRate >= gatePercent, successRate };
}
