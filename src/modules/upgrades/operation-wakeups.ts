/**
 * Early wake-ups of sleeping operations in this process: an upgrader that waits for its device (the
 * pull agent's reports) sleeps with `context.sleep`, and a `wake` notification for its operation
 * (notifyWorkers, from any API node) ends the sleep at once instead of at its timer.
 */
export class OperationWakeups {
  private readonly sleepers = new Map<string, Set<() => void>>();

  /** Calls `wake` at the next wake-up of the operation; returns the function that stops listening. */
  listen(operationId: string, wake: () => void): () => void {
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

  wake(operationId: string): void {
    for (const wake of [...(this.sleepers.get(operationId) ?? [])]) wake();
  }
}
