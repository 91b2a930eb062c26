import { describe, expect, it } from 'vitest';
import { TRANSFER_PROGRESS, transferProgressStep } from '../src/modules/upgraders/openwrt/image-pull.js';

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

  it('takes each step once however the bytes are chunked', () => {
    const size = 3 * 1024 * 1024;
    const steps: number[] = [];
    let reported: number = TRANSFER_PROGRESS.from;
    for (let sent = 0; sent < size; ) {
      sent = Math.min(size, sent + 65_536);
      const step = transferProgressStep(sent, size);
      if (step > reported) {
        reported = step;
        steps.push(step);
      }
    }
    expect(steps).toEqual([30, 35, 40, 45, 50, 55, 60]);
  });
});
