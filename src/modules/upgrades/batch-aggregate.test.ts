import { describe, expect, it } from 'vitest';
import { aggregate } from './batch-controller.js';
import { stageGate } from './rollout-policy.js';

/** The batch aggregate with planned operations (written later by the workers), and those a cancel took out. */
const batch = { id: 'b', stageSizes: [2, 3] };
const row = (stage: number, status: string, count: number) => ({
  batchId: 'b',
  stage,
  status,
  waitingOffline: false,
  waitingForWindow: false,
  reason: null,
  count,
});

describe('aggregate with planned operations', () => {
  it('counts planned devices as pending in their stage, so the stage cannot be decided before they are', () => {
    const result = aggregate(
      batch,
      [row(0, 'success', 1)],
      [],
      [
        { batchId: 'b', stage: 0, count: 1, cancelled: false },
        { batchId: 'b', stage: 1, count: 3, cancelled: false },
        { batchId: 'other', stage: 1, count: 7, cancelled: false },
      ],
    );
    expect(result.counts).toMatchObject({ operations: 5, pending: 4, success: 1, decided: 1, cancelled: 0 });
    expect(result.stages[0]).toMatchObject({ total: 2, success: 1, open: 1 });
    expect(result.stages[1]).toMatchObject({ total: 3, open: 3 });
    expect(stageGate(result.stages[0]!, 90, 1).decided).toBe(false);
    const written = aggregate(
      batch,
      [row(0, 'success', 2)],
      [],
      [{ batchId: 'b', stage: 1, count: 3, cancelled: false }],
    );
    expect(stageGate(written.stages[0]!, 90, 1)).toMatchObject({ decided: true, passed: true });
  });

  it('counts the devices a cancel took out of the plan as cancelled and decided', () => {
    const result = aggregate(
      batch,
      [row(0, 'cancelled', 2)],
      [],
      [{ batchId: 'b', stage: 1, count: 3, cancelled: true }],
    );
    expect(result.counts).toMatchObject({ operations: 5, pending: 0, cancelled: 5, decided: 5 });
    expect(result.stages[1]).toMatchObject({ total: 3, cancelled: 3, open: 0 });
  });
});
