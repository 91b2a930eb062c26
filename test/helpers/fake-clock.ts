import type { Clock } from '../../src/platform/clock.js';

/** A clock a test sets by hand: maintenance-window decisions read it instead of the system time. */
export class FakeClock implements Clock {
  private current: Date;

  constructor(at: string) {
    this.current = new Date(at);
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: string): void {
    this.current = new Date(at);
  }
}
