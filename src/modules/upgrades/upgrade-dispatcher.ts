import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { RowWorker } from '../../platform/row-worker.js';
import { Semaphore } from '../../platform/semaphore.js';
import { UpgradeCancelled } from '../upgraders/upgrader.js';
import { BatchController } from './batch-controller.js';
import { capacitySettingWarnings } from './upgrade-capacity.js';
import * as operationRepository from './operation.repository.js';
import { OperationWakeups } from './operation-wakeups.js';
import { OperationWrites } from './operation-writes.js';
import { LeaseLost, runOperation, WorkerStopping, type RunnerDeps } from './operation-runner.js';

/**
 * The upgrade worker of one process: operations are rows run by the platform's row-worker (claim
 * with `FOR UPDATE SKIP LOCKED`, lease, heartbeat, LISTEN/NOTIFY, graceful stop). What is upgrade-
 * specific lives here: which rows are due (claimOperations), how a cancellation by a person reaches
 * a running operation (notification payloads), and the mass-upgrade controller that decides
 * batches as their operations end.
 */
export class UpgradeDispatcher {
  readonly workerId: string;
  /** Takes the next decision of mass upgrades whose operations this worker runs. */
  readonly batches: BatchController;
  private readonly worker: RowWorker<operationRepository.ClaimedOperation>;
  /** Image transfers running in this process at once (setting upgrade_max_transfers). */
  readonly transfers: Semaphore;
  /** Log lines and progress steps of this process's operations, grouped into shared statements. */
  private readonly writes: OperationWrites;
  /** Sleeping operations of this process that a notification may wake early. */
  private readonly wakeups = new OperationWakeups();

  constructor(
    private readonly deps: Omit<RunnerDeps, 'workerId'>,
    databaseUrl: string,
  ) {
    const workerId = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    const settings = deps.config.upgrades;
    this.workerId = workerId;
    this.transfers = new Semaphore(settings.maxTransfers);
    this.writes = new OperationWrites(deps.db, workerId);
    this.batches = new BatchController(deps.db, deps.logger, {
      debounceMs: 100,
      sweepIntervalMs: settings.rolloutCheckInterval * 1000,
    });
    this.worker = new RowWorker({
      name: 'upgrade',
      workerId,
      databaseUrl,
      logger: deps.logger,
      channels: [operationRepository.NOTIFY_CHANNEL],
      // Held operations (a waiting one costs a timer) and, within them, those talking to their devices.
      concurrency: settings.concurrency,
      activeLimit: settings.maxSshSessions,
      leaseSeconds: settings.lease,
      pollMs: settings.pollInterval * 1000,
      claim: (limit) =>
        operationRepository.claimOperations(deps.db, workerId, settings.lease, limit, settings.globalConcurrency),
      renew: (ids) => operationRepository.extendLeases(deps.db, workerId, ids, settings.lease),
      keyOf: (operation) => operation.id,
      run: (operation, signal, phase) =>
        runOperation({ ...deps, workerId }, operation, controllerOf(signal), {
          phase,
          transfers: this.transfers,
          writes: this.writes,
          wakeups: this.wakeups,
        }),
      stopReason: () => new WorkerStopping(),
      // Not renewed: cancelled by a person, or (after a long pause of this process) taken over.
      lostReason: async (id) => ((await this.isCancelled(id)) ? new UpgradeCancelled() : new LeaseLost()),
      onNotification: (_channel, payload) => this.onNotification(payload),
      onFinished: (operation) => {
        this.wakeups.forget(operation.id);
        // Which process ran it: several workers, on several machines, share the queue.
        deps.logger.info({ operation: operation.id, worker: workerId }, 'upgrade operation run ended');
        if (operation.batchId !== null) this.batches.touch(operation.batchId);
      },
    });
  }

  async start(): Promise<void> {
    await this.worker.start();
    this.batches.start();
    const { concurrency, maxSshSessions, maxTransfers } = this.deps.config.upgrades;
    this.deps.logger.info(
      { worker: this.workerId, concurrency, maxSshSessions, maxTransfers },
      'upgrade worker started',
    );
    for (const warning of capacitySettingWarnings(this.deps.config)) this.deps.logger.warn(warning);
  }

  /** Stops claiming, hands running work back (unflashed to the queue, flashed to the next worker) and waits for it. */
  async stop(): Promise<void> {
    await this.worker.stop();
    await this.batches.stop();
  }

  /** Number of operations running in this process (waiting ones included). */
  get activeCount(): number {
    return this.worker.activeCount;
  }

  /** Operations of this process waiting (a reboot, a reconnection delay): they hold no SSH session. */
  get waitingCount(): number {
    return this.worker.waitingCount;
  }

  /** Operations of this process talking to their devices. */
  get busyCount(): number {
    return this.worker.busyCount;
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
      for (const [id, operation] of this.worker.runningRows()) {
        if (operation.batchId === message.batch) void this.abortIfCancelled(id);
      }
    } else if (message.type === 'cancelled' && message.id) {
      this.worker.abort(message.id, new UpgradeCancelled());
    } else if (message.type === 'wake' && message.id) {
      const id = message.id;
      this.wakeups.wake(
        id,
        this.worker.runningRows().some(([key]) => key === id),
      );
    } else {
      this.worker.poke();
    }
  }

  private async isCancelled(id: string): Promise<boolean> {
    return (await operationRepository.findOperationStatus(this.deps.db, id))?.status === 'cancelled';
  }

  private async abortIfCancelled(id: string): Promise<void> {
    if (await this.isCancelled(id).catch(() => false)) this.worker.abort(id, new UpgradeCancelled());
  }
}

/** The runner aborts its own attempt too (task timeout, lost write): it gets a controller of its own. */
function controllerOf(signal: AbortSignal): AbortController {
  const controller = new AbortController();
  if (signal.aborted) controller.abort(signal.reason);
  else signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  return controller;
}
