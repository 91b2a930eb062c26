import type { RolloutPolicy } from './rollout-policy.js';
import type { BatchRow } from './upgrades.table.js';

/**
 * The sentences a batch pauses itself with (its pause_detail): the rule that paused it, named, and
 * the figures that rule compared, so an operator sees at once why it stopped and by how much.
 */

/** A percentage as people read it: whole when it is, else one decimal ("30 %", "33.3 %"). */
export function percentText(value: number, decimals = 1): string {
  const factor = 10 ** decimals;
  const rounded = Math.round(value * factor) / factor;
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(decimals)} %`;
}

/** `rate` beside the `limit` it passed: precise enough that the two never read the same. */
function comparedText(rate: number, limit: number): string {
  for (let decimals = 1; decimals < 4; decimals += 1) {
    if (percentText(rate, decimals) !== percentText(limit, decimals)) return percentText(rate, decimals);
  }
  return percentText(rate, 4);
}

/** Why the failure threshold paused a batch, with the figures it compared. */
export function failureThresholdDetail(
  failures: number,
  decided: number,
  rate: number,
  policy: Pick<RolloutPolicy, 'failure_threshold_percent' | 'failure_threshold_min_decided'>,
): string {
  const limit = policy.failure_threshold_percent;
  return (
    `Paused by the failure threshold: ${failures} of ${decided} decided devices failed ` +
    `(${comparedText(rate, limit)} > ${percentText(limit)}, counted once at least ` +
    `${policy.failure_threshold_min_decided} are decided). Look at the failed operations, then resume, retry the ` +
    `failed ones, or cancel.`
  );
}

/** Why a stage's success gate paused a batch, with the figures it compared. */
export function stageGateDetail(
  batch: Pick<BatchRow, 'currentStage' | 'stageSizes'>,
  successRate: number,
  policy: Pick<RolloutPolicy, 'success_gate_percent'>,
): string {
  const stage = batch.currentStage === 0 ? 'stage 0 (the canary)' : `stage ${batch.currentStage}`;
  const gate = policy.success_gate_percent;
  return (
    `Paused by the success gate: ${stage} of stages 0-${batch.stageSizes.length - 1} ended with ` +
    `${comparedText(successRate, gate)} success, below the ${percentText(gate)} gate. Resume ` +
    `to go on with the next stage anyway, retry the failed ones, or cancel.`
  );
}
