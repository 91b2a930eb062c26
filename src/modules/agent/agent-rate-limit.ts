import { AppError } from '../../platform/errors.js';

/**
 * Requests per device and minute, counted in this process (a fixed one-minute window per device):
 * enough to stop a looping agent from hogging a node; several API nodes each count their own.
 */
export class DeviceRateLimit {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly what: string,
  ) {}

  /** Counts a request of the device; throws 429 (with `retry_after`) when its budget is spent. */
  take(deviceId: string, now = Date.now()): void {
    let window = this.windows.get(deviceId);
    if (!window || now - window.start >= 60_000) {
      if (this.windows.size > 100_000) this.prune(now);
      window = { start: now, count: 0 };
      this.windows.set(deviceId, window);
    }
    window.count += 1;
    if (window.count > this.perMinute) {
      const seconds = Math.max(1, Math.ceil((window.start + 60_000 - now) / 1000));
      throw new AppError(
        'TooManyRequests',
        `Too many ${this.what} from this device (at most ${this.perMinute} a minute): try again in ${seconds} s.`,
        undefined,
        { headers: { 'retry-after': String(seconds) } },
      );
    }
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) if (now - window.start >= 60_000) this.windows.delete(key);
  }
}
