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
  it('judges a stage on its decided devices once enough are judged, not on those waiting for their window', () => {
    expect(stageGate(stage({ total: 3, success: 1, waitingForWindow: 2 }), 95, 1)).toEqual({
      decided: true,
      passed: true,
      successRate: 100,
    });
    expect(stageGate(stage({ total: 3, success: 1, failed: 1, waitingForWindow: 1 }), 95, 2)).toMatchObject({
      decided: true,
      passed: false,
    });
    expect(stageGate(stage({ total: 20, success: 10, waitingForWindow: 10 }), 95, 10).decided).toBe(true);
  });

  it('holds a canary of ten with one success and nine waiting for their window (minimum ten judged)', () => {
    expect(stageGate(stage({ total: 10, success: 1, waitingForWindow: 9 }), 95, 10).decided).toBe(false);
    expect(stageGate(stage({ total: 10, success: 9, waitingForWindow: 1 }), 95, 10).decided).toBe(false);
  });

  it('asks no more judged devices than the stage can judge: cancelled and offline devices are left out', () => {
    // Five devices, two cancelled, one offline: two judgeable, both must be judged.
    const small = { total: 5, cancelled: 2, waitingOffline: 1 };
    expect(stageGate(stage({ ...small, success: 1, waitingForWindow: 1 }), 95, 10).decided).toBe(false);
    expect(stageGate(stage({ ...small, success: 2 }), 95, 10).decided).toBe(true);
  });

  it('holds the next stage while no device of the stage is decided yet and some wait for their window', () => {
    expect(stageGate(stage({ total: 2, waitingForWindow: 2 }), 95, 10).decided).toBe(false);
    expect(stageGate(stage({ total: 2, cancelled: 1, waitingForWindow: 1 }), 95, 10).decided).toBe(false);
    // Even with a minimum of none, one device must prove the build.
    expect(stageGate(stage({ total: 2, waitingForWindow: 2 }), 95, 0).decided).toBe(false);
  });

  it('keeps offline devices from holding a stage up, as before', () => {
    expect(stageGate(stage({ total: 2, waitingOffline: 2 }), 95, 10).decided).toBe(true);
  });

  it('waits for open devices whatever else waits', () => {
    expect(stageGate(stage({ total: 3, success: 1, open: 1, waitingForWindow: 1 }), 95, 1).decided).toBe(false);
  });
});
