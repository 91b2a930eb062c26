/**
 * Where decisions that depend on the wall clock (is a maintenance window open now?) read the time: the
 * system clock in every process, a fake one in tests (so that a test need not sleep until 01:00).
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
