import { describe, expect, it } from 'vitest';
import {
  TRANSFER_PROGRESS,
  TransferSteps,
  transferProgressStep,
} from '../src/modules/upgraders/openwrt/transfer-progress.js';

describe('the progress step of an image transfer', () => {
  it('goes from 25 to 60 % in steps of 5 as the bytes arrive', () => {
    const size = 7_000_000;
    expect(transferProgressStep(0, size)).toBe(TRANSFER_PROGRESS.from);
    expect(transferProgressStep(999_999, size)).toBe(25);
    expect(transferProgressStep(1_000_000, size)).toBe(30);
    expect(transferProgressStep(3_500_000, size)).toBe(40);
    expect(transferProgressStep(size - 1, size)).toBe(55);
    expect(transferProgressStep(size, size)).toBe(TRANSFER_PROGRESS.to);
    // A resumed download that reports past the end, and an empty image, stay within the transfer's part.
    expect(transferProgressStep(size * 2, size)).toBe(60);
    expect(transferProgressStep(0, 0)).toBe(25);
  });

  it('takes each step once however the bytes are chunked, when nothing holds them back', () => {
    const size = 3 * 1024 * 1024;
    const written: number[] = [];
    const steps = new TransferSteps(size, { intervalMs: 0 });
    for (let sent = 0; sent < size; ) {
      sent = Math.min(size, sent + 65_536);
      const step = steps.next(sent);
      if (step !== null) written.push(step);
    }
    expect(written).toEqual([30, 35, 40, 45, 50, 55, 60]);
  });

  it('writes the first step at once, then at most one per interval, and none at or past a bound', () => {
    let now = 1_000;
    const size = 7_000_000;
    const steps = new TransferSteps(size, { below: 60, intervalMs: 2000, now: () => now });
    expect(steps.next(500_000)).toBeNull();
    expect(steps.next(1_000_000)).toBe(30);
    // A fast transfer: the next steps within the interval are not written.
    now += 1_999;
    expect(steps.next(3_000_000)).toBeNull();
    now += 1;
    expect(steps.next(3_000_000)).toBe(40);
    // Forward only: fewer bytes (a resumed download from an earlier point) write nothing.
    now += 5_000;
    expect(steps.next(2_000_000)).toBeNull();
    expect(steps.next(6_999_999)).toBe(55);
    now += 5_000;
    expect(steps.next(size)).toBeNull();
  });
});
