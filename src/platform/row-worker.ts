import { NotificationListener } from './db/listener.js';
import type { Logger } from './logger.js';

/**
 * What one kind of durable work tells the row-worker. The work is rows in PostgreSQL: `claim` takes
 * due rows (`FOR UPDATE SKIP LOCKED`) under a lease held by `workerId`, `renew` extends the leases
 * of the rows still running here. Whatever the domain does with a row, it does in `run`, writing
 * only while it holds the lease.
 */
export interface RowWorkerOptions<Row> {
  /** For log lines: "upgrade", "image build", "scheduled task". */
  name: string;
  workerId: string;
  databaseUrl: string;
  logger: Logger;
  /** Channels whose notifications wake the worker (or go to `onNotification`). */
  channels: readonly string[];
  /** Most rows held at once in this process, waiting ones included. */
  concurrency: number;
  /**
   * Most rows in an active phase at once (default: `concurrency`). A run starts active and may wait
   * (`RowPhase.waiting`): a waiting row keeps its lease but frees its active slot, so the worker
   * claims another row while it waits.
   */
  activeLimit?: number;
  /** Lease length; the heartbeat renews every third of it. */
  leaseSeconds: number;
  /** Longest sleep between two claims when nothing wakes the worker. */
  pollMs: number;
  /** Takes up to `limit` due rows for this worker (setting its lease), or none. */
  claim(limit: number): Promise<Row[]>;
  /** Extends the leases of `keys` that this worker still holds; returns those it still holds. */
  renew(keys: string[]): Promise<string[]>;
  keyOf(row: Row): string;
  /** Does the work of one row. Aborted (with the reason) on stop, lost lease, or by `abort`. */
  run(row: Row, signal: AbortSignal, phase: RowPhase): Promise<void>;
  /** The abort reason given to running work when the worker stops (it hands the row back). */
  stopReason(): Error;
  /** The abort reason for a row whose lease could not be renewed (default: `LeaseLost`). */
  lostReason?(key: string): Promise<Error>;
  /** When the next row falls due without a notification, if known: the worker wakes then. */
  nextDue?(): Promise<Date | null>;
  /** Handles a notification; without it, every notification wakes the worker to claim. */
  onNotification?(channel: string, payload: string): void;
  /** After a row's run ended, whatever the outcome (the slot is free again). */
  onFinished?(row: Row): void;
}

/** The abort reason of work whose lease another worker now holds: stop, write nothing. */
export class LeaseLost extends Error {
  constructor() {
    super('lease lost: another worker took over');
  }
}

/** How a run tells the worker it only waits (a timer, a reboot): its active slot is free meanwhile. */
export interface RowPhase {
  /** Runs `wait` with this row's active slot released, then takes a slot again (first come, first served). */
  waiting<T>(wait: () => Promise<T>): Promise<T>;
}

interface Running<Row> {
  row: Row;
  controller: AbortController;
  done: Promise<void>;
  active: boolean;
}

/**
 * The durable worker loop that upgrades, image builds and scheduled tasks share: claim rows up to
 * a concurrency bound, keep their leases with a heartbeat, abort work whose lease is lost, wake on
 * LISTEN/NOTIFY or when the next row falls due (a poll covers lost notifications), and on stop hand
 * running work back. A process that dies simply stops renewing; another worker claims its rows
 * once the lease runs out, so no row is worked on in two places.
 */
export class RowWorker<Row> {
  private readonly running = new Map<string, Running<Row>>();
  private listener: NotificationListener | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private loop: Promise<void> | null = null;
  private stopped = false;
  private wake: (() => void) | null = null;
  private wakeRequested = false;
  /** Rows in an active phase (or handed a slot and about to run). */
  private active = 0;
  /** Waiting rows that want their active slot back, in order. */
  private readonly resuming: (() => void)[] = [];
  private readonly activeLimit: number;

  constructor(private readonly options: RowWorkerOptions<Row>) {
    this.activeLimit = Math.min(options.activeLimit ?? options.concurrency, options.concurrency);
  }

  get workerId(): string {
    return this.options.workerId;
  }

  /** True once `stop` was called: running work is being handed back. */
  get stopping(): boolean {
    return this.stopped;
  }

  /** Number of rows running in this process (held, waiting ones included). */
  get activeCount(): number {
    return this.running.size;
  }

  /** Number of rows in an active phase (not waiting). */
  get busyCount(): number {
    return this.active;
  }

  /** Number of rows in a waiting phase. */
  get waitingCount(): number {
    return this.running.size - this.active;
  }

  /** The rows running in this process, by key. */
  runningRows(): [string, Row][] {
    return [...this.running].map(([key, entry]) => [key, entry.row]);
  }

  async start(): Promise<void> {
    const { options } = this;
    if (options.channels.length > 0) {
      this.listener = new NotificationListener(
        options.databaseUrl,
        options.channels,
        (channel, payload) => (options.onNotification ? options.onNotification(channel, payload) : this.poke()),
        options.logger,
        // Notifications sent while the connection was down are lost: look for work at once.
        () => this.poke(),
      );
      await this.listener.start();
    }
    this.heartbeat = setInterval(() => void this.renewLeases(), (options.leaseSeconds * 1000) / 3);
    this.loop = this.run();
  }

  /** Stops claiming, aborts running work with `stopReason()` (it hands its row back) and waits for it. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.poke();
    for (const { controller } of this.running.values()) controller.abort(this.options.stopReason());
    await this.loop;
    await Promise.allSettled([...this.running.values()].map((entry) => entry.done));
    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.listener?.stop();
  }

  /** Look for work now rather than at the next poll. */
  poke(): void {
    this.wakeRequested = true;
    this.wake?.();
  }

  /** Aborts the work on one row running here, if any. */
  abort(key: string, reason: Error): void {
    this.running.get(key)?.controller.abort(reason);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.wakeRequested = false;
      try {
        await this.claimAndStart();
      } catch (error) {
        this.options.logger.error({ err: error }, `${this.options.name} worker could not claim work; retrying`);
      }
      if (this.stopped) break;
      if (!this.wakeRequested) await this.idle();
    }
  }

  private async idle(): Promise<void> {
    let delay = this.options.pollMs;
    // With every slot taken, a row already due cannot be claimed before a run ends, and an ending run
    // pokes the loop: asking for the next due time then would only spin on a past date.
    const full = this.freeSlots() <= 0;
    const due = full ? null : await this.options.nextDue?.().catch(() => null);
    if (due) delay = Math.max(10, Math.min(delay, due.getTime() - Date.now() + 10));
    // A notification may have come while asking for the next due time.
    if (this.wakeRequested || this.stopped) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, delay);
      this.wake = done;
    });
  }

  /** Rows that may be claimed now: held slots and active slots (resuming rows go first) both free. */
  private freeSlots(): number {
    return Math.min(
      this.options.concurrency - this.running.size,
      this.activeLimit - this.active - this.resuming.length,
    );
  }

  /** An active slot was given up: a resuming row takes it, or the worker may claim. */
  private releaseActive({ poke = true } = {}): void {
    const next = this.resuming.shift();
    if (next)
      next(); // the slot passes on: `active` stays as it is
    else {
      this.active -= 1;
      if (poke) this.poke();
    }
  }

  private phaseOf(entry: () => Running<Row> | undefined): RowPhase {
    return {
      waiting: async <T>(wait: () => Promise<T>): Promise<T> => {
        const running = entry();
        if (!running?.active) return wait();
        running.active = false;
        this.releaseActive();
        try {
          return await wait();
        } finally {
          if (this.active < this.activeLimit && this.resuming.length === 0) this.active += 1;
          else await new Promise<void>((resolve) => this.resuming.push(resolve));
          running.active = true;
        }
      },
    };
  }

  private async claimAndStart(): Promise<void> {
    const free = this.freeSlots();
    if (free <= 0) return;
    // The active slots are taken before claiming: a waiting row that resumes meanwhile cannot take one twice.
    this.active += free;
    let claimed: Row[] = [];
    try {
      claimed = await this.options.claim(free);
    } finally {
      for (let unused = free - claimed.length; unused > 0; unused -= 1) this.releaseActive({ poke: false });
    }
    if (claimed.length > free) {
      // A claim query that hands out more than asked (a LIMIT inside `IN (…)` can be evaluated twice)
      // is a bug in that query; the rows are leased here all the same, so they run and are counted,
      // and the worker claims nothing more until the count is back under its bounds.
      this.options.logger.warn(
        { asked: free, claimed: claimed.length },
        `${this.options.name} claim returned too many rows`,
      );
      this.active += claimed.length - free;
    }
    for (const row of claimed) {
      const key = this.options.keyOf(row);
      const controller = new AbortController();
      let entry: Running<Row> | undefined;
      const phase = this.phaseOf(() => entry);
      const done = Promise.resolve()
        .then(() => this.options.run(row, controller.signal, phase))
        .catch((error: unknown) => this.options.logger.error({ err: error, key }, `${this.options.name} run failed`))
        .finally(() => {
          this.running.delete(key);
          if (entry?.active) this.releaseActive();
          this.options.onFinished?.(row);
          // A slot is free: look for more work now rather than at the next poll.
          this.poke();
        });
      entry = { row, controller, done, active: true };
      this.running.set(key, entry);
      // Claimed while stop() ran (after its abort pass): hand it back at once like the rest.
      if (this.stopped) controller.abort(this.options.stopReason());
    }
  }

  private async renewLeases(): Promise<void> {
    const keys = [...this.running.keys()];
    if (keys.length === 0) return;
    try {
      const kept = new Set(await this.options.renew(keys));
      for (const key of keys) {
        // Not renewed: taken from this worker (cancelled, or taken over after a long pause here).
        if (kept.has(key) || !this.running.has(key)) continue;
        const reason = this.options.lostReason ? await this.options.lostReason(key) : new LeaseLost();
        this.abort(key, reason);
      }
    } catch (error) {
      this.options.logger.warn({ err: error }, `could not renew ${this.options.name} leases`);
    }
  }
}
