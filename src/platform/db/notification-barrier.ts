import { performance } from 'node:perf_hooks';

/**
 * Tells the per-process caches (credentials, build lists) whether they may answer a request: only
 * once every notification committed before the request arrived has been handled, so a change made
 * anywhere is seen by the next request on every process, as without a cache.
 *
 * `sync` is a round trip on the listening connection (resolves true once every notification
 * committed before it was sent has been handled; false while the listener is down). Concurrent
 * callers share round trips, but each waits for one sent after it asked, or after the moment it
 * names (`since`): so the caches of one request share the round trip of its first check.
 */
export class NotificationBarrier {
  /** A sync not yet sent: callers arriving now share it. */
  private pending: Promise<boolean> | null = null;
  /** The sync on the wire, if any: the next one is sent after it. */
  private inFlight: Promise<boolean> | null = null;
  /** When the latest successful sync was sent (`performance.now()`). */
  private syncedUpTo = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly sync: () => Promise<boolean>,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * True once every notification committed before `since` (a `performance.now()` time; default:
   * this call) has been handled; false when that cannot be known (listener down).
   */
  fresh(since?: number): Promise<boolean> {
    if (since !== undefined && this.syncedUpTo >= since) return Promise.resolve(true);
    if (this.pending) return this.pending;
    const previous = this.inFlight ?? Promise.resolve(true);
    const next = previous.then(() => {
      this.pending = null;
      const sentAt = this.now();
      const sent = this.sync().then(
        (synced) => {
          if (synced && sentAt > this.syncedUpTo) this.syncedUpTo = sentAt;
          return synced;
        },
        () => false,
      );
      this.inFlight = sent;
      void sent.then(() => {
        if (this.inFlight === sent) this.inFlight = null;
      });
      return sent;
    });
    this.pending = next;
    return next;
  }
}
