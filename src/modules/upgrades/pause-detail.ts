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

const MAX_DECIMALS = 4;

/** The fewest decimals (1 at least) that write `limit` exactly, up to MAX_DECIMALS: a limit is never rounded. */
function exactDecimals(limit: number): number {
  for (let decimals = 1; decimals < MAX_DECIMALS; decimals += 1) {
    const factor = 10 ** decimals;
    if (Math.abs(Math.round(limit * factor) / factor - limit) < 1e-9) return decimals;
  }
  return MAX_DECIMALS;
}

/**
 * `rate` and the `limit` it passed, both with the same decimals: enough to write the limit exactly and to
 * never show the two as the same figure ("5.57 % > 5.56 %", not "5.57 % > 5.6 %").
 */
function comparedTexts(rate: number, limit: number): { rate: string; limit: string } {
  let decimals = exactDecimals(limit);
  while (decimals < MAX_DECIMALS && percentText(rate, decimals) === percentText(limit, decimals)) decimals += 1;
  return { rate: percentText(rate, decimals), limit: percentText(limit, decimals) };
}

/** Why the failure threshold paused a batch, with the figures it compared. */
export function failureThresholdDetail(
  failures: number,
  decided: number,
  rate: number,
  policy: Pick<RolloutPolicy, 'failure_threshold_percent' | 'failure_threshold_min_decided'>,
): string {
  const compared = comparedTexts(rate, policy.failure_threshold_percent);
  return (
    `Paused by the failure threshold: ${failures} of ${decided} decided devices failed ` +
    `(${compared.rate} > ${compared.limit}, counted once at least ` +
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
  const compared = comparedTexts(successRate, policy.success_gate_percent);
  return (
    `Paused by the success gate: ${stage} of stages 0-${batch.stageSizes.length - 1} ended with ` +
    `${compared.rate} success, below the ${compared.limit} gate. Resume ` +
    `to go on with the next stage anyway, retry the failed ones, or cancel.`
  );
}
