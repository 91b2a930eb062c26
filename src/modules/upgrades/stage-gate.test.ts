import { describe, expect, it } from 'vitest';
import { stageGate, type StageCounts } from './rollout-policy.js';

const stage = (counts: Partial<StageCounts>): StageCounts => ({
  total: 0,
  success: 0,
  failed: 0,
  aborted: 0,
  cancelled: 0,
  open: 0,
  waitingOffline: 0,
  waitingForWindow: 0,
  ...counts,
});

describe('stage gates and devices waiting for their maintenance window', () => {
  it('judges a stage on its decided devices, not on those waiting for their window', () => {
    expect(stageGate(stage({ total: 3, success: 1, waitingForWindow: 2 }), 95)).toEqual({
      decided: true,
      passed: true,
      successRate: 100,
    });
    expect(stageGate(stage({ total: 3, success: 1, failed: 1, waitingForWindow: 1 }), 95)).toMatchObject({
      decided: true,
      passed: false,
    });
  });

  it('holds the next stage while no device of the stage is decided yet and some wait for their window', () => {
    expect(stageGate(stage({ total: 2, waitingForWindow: 2 }), 95).decided).toBe(false);
    expect(stageGate(stage({ total: 2, cancelled: 1, waitingForWindow: 1 }), 95).decided).toBe(false);
  });

  it('keeps offline devices from holding a stage up, as before', () => {
    expect(stageGate(stage({ total: 2, waitingOffline: 2 }), 95).decided).toBe(true);
  });

  it('waits for open devices whatever else waits', () => {
    expect(stageGate(stage({ total: 3, success: 1, open: 1, waitingForWindow: 1 }), 95).decided).toBe(false);
  });
});
