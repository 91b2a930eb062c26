import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { AnyDb } from './db/database.js';
import type { Logger } from './logger.js';
import { RowWorker } from './row-worker.js';
import * as taskRepository from './scheduled-task.repository.js';

/**
 * A periodic task (housekeeping): one file per task exporting its definition, all listed in
 * `src/tasks/registry.ts`. Each task is a row of scheduled_tasks run by the row-worker, so it runs
 * once per interval across every process, whichever process is free. A run must be safe to repeat:
 * after a crash mid-run the task runs again once its lease runs out.
 */
export interface ScheduledTask<Context> {
  /** Stable: the row's key. Renaming a task leaves its old row behind (harmless). */
  name: string;
  /** Seconds from the end of one run to the next; a function when a setting decides it. */
  intervalSeconds: number | ((context: Context) => number);
  /** Whether this process may run the task (e.g. image builds are enabled). Default: yes. */
  enabled?(context: Context): boolean;
  /** The work. Aborted only when the worker stops (the task is then given back unfinished). */
  run(context: Context, signal: AbortSignal): Promise<void>;
}

/** A failed run is tried again after this long, or after the interval when that is shorter. */
const RETRY_SECONDS = 60;
/** Longest a run may go without a heartbeat before another worker runs the task again. */
const LEASE_SECONDS = 120;
/** Sleep bound when no task is due sooner: new rows from a newer process are noticed by then. */
const POLL_MS = 300_000;

class TaskWorkerStopping extends Error {}

export interface TaskSchedulerOptions<Context> {
  db: AnyDb;
  databaseUrl: string;
  logger: Logger;
  tasks: readonly ScheduledTask<Context>[];
  context: Context;
}

/** Runs this process's share of the periodic tasks: registers their rows, then claims them when due. */
export class TaskScheduler<Context> {
  readonly workerId = `${os.hostname()}:${process.pid}:tasks:${randomUUID().slice(0, 8)}`;
  private readonly worker: RowWorker<string>;
  private readonly tasks: Map<string, ScheduledTask<Context>>;
  /** Each task's interval, read once: a setting changes with a restart, as every setting does. */
  private readonly intervals: Map<string, number>;

  constructor(private readonly options: TaskSchedulerOptions<Context>) {
    const { db, context } = options;
    const enabled = options.tasks.filter((task) => task.enabled?.(context) ?? true);
    this.tasks = new Map(enabled.map((task) => [task.name, task]));
    this.intervals = new Map(
      enabled.map((task) => {
        const { intervalSeconds } = task;
        return [task.name, typeof intervalSeconds === 'number' ? intervalSeconds : intervalSeconds(context)];
      }),
    );
    const names = [...this.tasks.keys()];
    this.worker = new RowWorker<string>({
      name: 'scheduled task',
      workerId: this.workerId,
      databaseUrl: options.databaseUrl,
      logger: options.logger,
      // Tasks are due by the clock, not by anyone's request: no notification channel, no listener connection.
      channels: [],
      concurrency: 1,
      leaseSeconds: LEASE_SECONDS,
      pollMs: POLL_MS,
      claim: (limit) => taskRepository.claimDueTasks(db, this.workerId, names, LEASE_SECONDS, limit),
      renew: (keys) => taskRepository.renewTaskLeases(db, this.workerId, keys, LEASE_SECONDS),
      keyOf: (name) => name,
      run: (name, signal) => this.runTask(this.tasks.get(name)!, signal),
      stopReason: () => new TaskWorkerStopping('worker stopping'),
      nextDue: () => taskRepository.nextTaskDue(db, names),
    });
  }

  get activeCount(): number {
    return this.worker.activeCount;
  }

  async start(): Promise<void> {
    const rows = [...this.intervals].map(([name, intervalSeconds]) => ({ name, intervalSeconds }));
    await taskRepository.registerScheduledTasks(this.options.db, rows);
    await this.worker.start();
  }

  /** Waits for a running task; one that gives up on the abort is handed back to run elsewhere. */
  async stop(): Promise<void> {
    await this.worker.stop();
  }

  private async runTask(task: ScheduledTask<Context>, signal: AbortSignal): Promise<void> {
    const { db, logger } = this.options;
    const started = Date.now();
    const intervalSeconds = this.intervals.get(task.name)!;
    try {
      await task.run(this.options.context, signal);
    } catch (error) {
      if (signal.aborted && signal.reason instanceof TaskWorkerStopping) {
        await taskRepository.releaseTask(db, this.workerId, task.name);
        return;
      }
      logger.warn({ err: error, task: task.name }, 'scheduled task failed; trying again later');
      const message = (error as Error)?.message ?? String(error);
      const retryIn = Math.min(intervalSeconds, RETRY_SECONDS);
      await taskRepository.finishTask(db, this.workerId, task.name, retryIn, message);
      return;
    }
    logger.debug({ task: task.name, ms: Date.now() - started }, 'scheduled task done');
    await taskRepository.finishTask(db, this.workerId, task.name, intervalSeconds, null);
  }
}
