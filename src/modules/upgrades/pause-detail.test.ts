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
});
