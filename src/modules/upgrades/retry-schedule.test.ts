import { describe, expect, it } from 'vitest';
import { canRetry, retryDelaySeconds } from './retry-schedule.js';

const defaults = { maxRetries: 4, retryBackoff: 60, retryBackoffMax: 600, retryJitter: false };

describe('retry schedule', () => {
  it('doubles from retry_backoff and stops at retry_backoff_max', () => {
    expect([1, 2, 3, 4, 5, 6].map((attempt) => retryDelaySeconds(attempt, defaults))).toEqual([
      60, 120, 240, 480, 600, 600,
    ]);
  });

  it('with jitter, waits a random time between zero and the delay', () => {
    expect(retryDelaySeconds(3, { ...defaults, retryJitter: true }, () => 0.5)).toBe(120);
    expect(retryDelaySeconds(9, { ...defaults, retryJitter: true }, () => 0.999)).toBeLessThanOrEqual(600);
  });

  it('allows the first attempt and max_retries retries', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => canRetry(attempt, defaults))).toEqual([true, true, true, true, false]);
    expect(canRetry(1, { ...defaults, maxRetries: 0 })).toBe(false);
  });
});
