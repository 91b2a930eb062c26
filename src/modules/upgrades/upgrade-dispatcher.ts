import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { NotificationListener } from '../../platform/db/listener.js';
import { UpgradeCancelled } from '../upgraders/upgrader.js';
import { BatchController } from './batch-controller.js';
import * as operationRepository from './operation.repository.js';
import { LeaseLost, runOperation, WorkerStopping, type RunnerDeps } from './operation-runner.js';

/**
 * The upgrade worker of one process. Operations are rows, claimed straight from PostgreSQL with
 * `FOR UPDATE SKIP LOCKED` under a lease that a heartbeat renews; a process that dies simply stops
 * renewing, and any worker claims its operations once the lease runs out. LISTEN/NOTIFY wakes the
 * worker when work is queued or cancelled; a short poll covers lost notifications and retries
 * falling due. No operation runs in two places: a worker that loses its lease stops writing.
 */
export class UpgradeDispatcher {
  readonly workerId: string;
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void>; batchId: string | null }>();
  /** Takes the next decision of mass upgrades whose operations this worker runs. */
  readonly batches: BatchController;
  private listener: NotificationListener | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;
  private wakeRequested = false;

  constructor(private readonly deps: Omit<RunnerDeps, 'workerId'>, private readonly databaseUrl: string) {
    this.workerId = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.batches = new BatchController(deps.db, deps.logger, { debounceMs: 100, sweepIntervalMs: deps.config.upgrades.rolloutCheckInterval * 1000 });
  }

  private get settings() {
    return this.deps.config.upgrades;
  }

  async start(): Promise<void> {
    this.listener = new NotificationListener(this.databaseUrl, [operationRepository.NOTIFY_CHANNEL], (_channel, payload) => this.onNotification(payload), this.deps.logger);
    await this.listener.start();
    this.heartbeat = setInterval(() => void this.renewLeases(), (this.settings.lease * 1000) / 3);
    this.loop = this.run();
    this.batches.start();
    this.deps.logger.info({ worker: this.workerId, concurrency: this.settings.concurrency }, 'upgrade worker started');
  }

  /** Stops claiming, hands running work back (unflashed to the queue, flashed to the next worker) and waits for it. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.poke();
    for (const { controller } of this.running.values()) controller.abort(new WorkerStopping());
    await this.loop;
    await Promise.allSettled([...this.running.values()].map((entry) => entry.done));
    await this.batches.stop();
    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.listener?.stop();
  }

  /** Number of operations running in this process. */
  get activeCount(): number {
    return this.running.size;
  }

  private onNotification(payload: string): void {
    let message: { type?: string; id?: string; batch?: string };
    try {
      message = JSON.parse(payload) as { type?: string; id?: string; batch?: string };
    } catch {
      return;
    }
    if (message.type === 'cancelled' && message.batch) {
      // A whole mass upgrade was cancelled: its operations here that have not started flashing stop.
      // (Flashing ones were not cancelled, and the runner's next write tells it so if they were.)
      for (const [id, entry] of this.running) {
        if (entry.batchId === message.batch) void this.abortIfCancelled(id);
      }
    } else if (message.type === 'cancelled' && message.id) {
      this.running.get(message.id)?.controller.abort(new UpgradeCancelled());
    } else {
      this.poke();
    }
  }

  private async abortIfCancelled(id: string): Promise<void> {
    const state = await operationRepository.findOperationStatus(this.deps.db, id).catch(() => undefined);
    if (state?.status === 'cancelled') this.running.get(id)?.controller.abort(new UpgradeCancelled());
  }

  private poke(): void {
    this.wakeRequested = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      this.wakeRequested = false;
      try {
        await this.claimAndStart();
      } catch (error) {
        this.deps.logger.error({ err: error }, 'upgrade worker could not claim work; retrying');
      }
      if (this.stopping) break;
      if (!this.wakeRequested) await this.idle(this.settings.pollInterval * 1000);
    }
  }

  private idle(milliseconds: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, milliseconds);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wake = null;
        resolve();
      }
      this.wake = done;
    });
  }

  private async claimAndStart(): Promise<void> {
    const free = this.settings.concurrency - this.running.size;
    if (free <= 0) return;
    const claimed = await operationRepository.claimOperations(this.deps.db, this.workerId, this.settings.lease, free, this.settings.globalConcurrency);
    for (const operation of claimed) {
      const controller = new AbortController();
      const done = runOperation({ ...this.deps, workerId: this.workerId }, operation, controller)
        .catch((error: unknown) => this.deps.logger.error({ err: error, operation: operation.id }, 'upgrade runner failed'))
        .finally(() => {
          this.running.delete(operation.id);
          if (operation.batchId !== null) this.batches.touch(operation.batchId);
          // A slot is free: look for more work now rather than at the next poll.
          this.poke();
        });
      this.running.set(operation.id, { controller, done, batchId: operation.batchId });
    }
  }

  private async renewLeases(): Promise<void> {
    const ids = [...this.running.keys()];
    if (ids.length === 0) return;
    try {
      const kept = new Set(await operationRepository.extendLeases(this.deps.db, this.workerId, ids, this.settings.lease));
      for (const id of ids) {
        // Not renewed: cancelled by a person, or (after a long pause of this process) taken over.
        if (!kept.has(id)) {
          const state = await operationRepository.findOperationStatus(this.deps.db, id);
          this.running.get(id)?.controller.abort(state?.status === 'cancelled' ? new UpgradeCancelled() : new LeaseLost());
        }
      }
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'could not renew upgrade leases');
    }
  }
}
