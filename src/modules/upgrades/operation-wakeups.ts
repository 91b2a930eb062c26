/**
 * Early wake-ups of sleeping operations in this process: an upgrader that waits for its device (the
 * pull agent's reports) sleeps with `context.sleep`, and a `wake` notification for its operation
 * (notifyWorkers, from any API node) ends the sleep at once instead of at its timer.
 */
export class OperationWakeups {
  private readonly sleepers = new Map<string, Set<() => void>>();
  /**
   * Operations woken while awake (between reading what they wait for and sleeping again): their next
   * sleep ends at once, or the wake-up would be lost until the timer.
   */
  private readonly pending = new Set<string>();

  /** Calls `wake` at the next wake-up of the operation; returns the function that stops listening. */
  listen(operationId: string, wake: () => void): () => void {
    if (this.pending.delete(operationId)) {
      queueMicrotask(wake);
      return () => {};
    }
    let set = this.sleepers.get(operationId);
    if (!set) {
      set = new Set();
      this.sleepers.set(operationId, set);
    }
    set.add(wake);
    return () => {
      set.delete(wake);
      if (set.size === 0 && this.sleepers.get(operationId) === set) this.sleepers.delete(operationId);
    };
  }

  /** Wakes the operation's sleep; `running`: it runs here, so a wake-up while it is awake is kept for later. */
  wake(operationId: string, running: boolean): void {
    const sleepers = this.sleepers.get(operationId);
    if (sleepers) for (const wake of [...sleepers]) wake();
    else if (running) this.pending.add(operationId);
  }

  /** The operation's run ended here: nothing is kept for it. */
  forget(operationId: string): void {
    this.pending.delete(operationId);
  }
}
