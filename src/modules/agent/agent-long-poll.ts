/**
 * Held polls of this API process, by device: a job change announced for a device (EventPump's
 * `onAgentJob`, from any node) wakes its polls, which then read the job again.
 */
export class LongPolls {
  private readonly waiting = new Map<string, Set<() => void>>();

  /**
   * A wake-up for the device's polls, armed before the job is read (a change announced between the read
   * and the wait is not lost). `wait` resolves at the wake-up, after `ms`, or at once if it already came.
   */
  arm(deviceId: string): { wait(ms: number, abort: AbortSignal): Promise<void>; disarm(): void } {
    let woken = false;
    let resolveWait: (() => void) | null = null;
    const wake = () => {
      woken = true;
      resolveWait?.();
    };
    let set = this.waiting.get(deviceId);
    if (!set) {
      set = new Set();
      this.waiting.set(deviceId, set);
    }
    set.add(wake);
    const disarm = () => {
      set.delete(wake);
      if (set.size === 0 && this.waiting.get(deviceId) === set) this.waiting.delete(deviceId);
    };
    return {
      disarm,
      wait: (ms, abort) =>
        new Promise<void>((resolve) => {
          if (woken || abort.aborted) return resolve();
          const timer = setTimeout(finish, ms);
          function finish() {
            clearTimeout(timer);
            abort.removeEventListener('abort', finish);
            resolve();
          }
          resolveWait = finish;
          abort.addEventListener('abort', finish, { once: true });
        }),
    };
  }

  /** Wakes the polls of one device, or of every device (null: notifications may have been lost). */
  wake(deviceId: string | null): void {
    const sets = deviceId === null ? [...this.waiting.values()] : [this.waiting.get(deviceId) ?? new Set()];
    for (const set of sets) for (const wake of [...set]) wake();
  }
}
