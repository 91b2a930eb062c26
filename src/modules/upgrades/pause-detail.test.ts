import { describe, expect, it } from 'vitest';
import { failureThresholdDetail, percentText, stageGateDetail } from './pause-detail.js';

describe('pause messages', () => {
  it('write percentages whole when they are, else with one decimal', () => {
    expect(percentText(30)).toBe('30 %');
    expect(percentText(100 / 3)).toBe('33.3 %');
  });

  it('never show a rate that passed its limit as equal to it', () => {
    const text = failureThresholdDetail(1001, 5000, 20.02, {
      failure_threshold_percent: 20,
      failure_threshold_min_decided: 10,
    });
    expect(text).toContain('(20.02 % > 20 %');
    const gate = stageGateDetail({ currentStage: 2, stageSizes: [1, 4, 16, 64] }, 94.96, { success_gate_percent: 95 });
    expect(gate).toContain('stage 2 of stages 0-3 ended with 94.96 % success, below the 95 % gate');
  });

  it('write a fractional limit with the decimals of the rate beside it, never rounded', () => {
    const policy = { failure_threshold_min_decided: 10 };
    expect(failureThresholdDetail(557, 10_000, 5.57, { ...policy, failure_threshold_percent: 5.56 })).toContain(
      '(5.57 % > 5.56 %',
    );
    expect(failureThresholdDetail(7, 100, 7, { ...policy, failure_threshold_percent: 5.5 })).toContain('(7 % > 5.5 %');
    expect(failureThresholdDetail(56, 1000, 5.6, { ...policy, failure_threshold_percent: 5.555 })).toContain(
      '(5.600 % > 5.555 %',
    );
    const gate = stageGateDetail({ currentStage: 0, stageSizes: [10, 90] }, 90.04, { success_gate_percent: 90.05 });
    expect(gate).toContain('ended with 90.04 % success, below the 90.05 % gate');
  });
});
