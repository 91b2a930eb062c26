/** The part of an upgrade's progress its image transfer covers: 25 % when it starts, 60 % once the device holds it. */
export const TRANSFER_PROGRESS = { from: 25, to: 60 } as const;

/** At most one progress write per this long during a transfer (the first at once). */
export const TRANSFER_STEP_INTERVAL_MS = 2000;

/** The progress step a transfer has reached after `bytes` of `size`: a multiple of 5 from 25 to 60. */
export function transferProgressStep(bytes: number, size: number): number {
  const { from, to } = TRANSFER_PROGRESS;
  const percent = Math.min(to, from + Math.floor((bytes / Math.max(size, 1)) * (to - from)));
  return percent - (percent % 5);
}

/**
 * Which progress steps of a transfer to write (a push counted by the worker, a pull by the API node serving
 * it): forward only, in steps of 5, and at most one per TRANSFER_STEP_INTERVAL_MS. Each write is a statement
 * and an event; a transfer of a few seconds, as on a LAN, writes one or two, a slow one every few seconds,
 * which is when a progress view needs them.
 */
export class TransferSteps {
  private reported: number = TRANSFER_PROGRESS.from;
  private writtenAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly size: number,
    private readonly options: { below?: number; intervalMs?: number; now?: () => number } = {},
  ) {}

  /** The step to write now that `bytes` arrived, or null. */
  next(bytes: number): number | null {
    const step = transferProgressStep(bytes, this.size);
    const now = (this.options.now ?? Date.now)();
    if (step <= this.reported || step >= (this.options.below ?? Number.POSITIVE_INFINITY)) return null;
    if (now - this.writtenAt < (this.options.intervalMs ?? TRANSFER_STEP_INTERVAL_MS)) return null;
    this.reported = step;
    this.writtenAt = now;
    return step;
  }
}
