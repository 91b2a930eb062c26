import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { RowWorker } from '../../platform/row-worker.js';
import { type BuildDispatcherDeps, runBuild, WorkerStopping } from './build-run.js';
import * as buildRepository from './build.repository.js';
import { ImageBuilderCache } from './imagebuilder-cache.js';
import { ImageBuilderRunner } from './imagebuilder-runner.js';
import type { AsuBuildRow } from './imagebuilder.table.js';

export type { BuildDispatcherDeps } from './build-run.js';

const POLL_MS = 2000;
/** How often this machine's disk is tidied: unused ImageBuilders, work folders of dead builds. */
const DISK_CLEANUP_MS = 60_000;

/**
 * The build worker of one process: builds are rows (asu_builds) run by the platform's row-worker,
 * claimed in fair order (each client's builds take turns) up to image_builds.concurrency at once,
 * woken by LISTEN/NOTIFY or when a delayed retry falls due. A worker that dies stops renewing; any
 * worker takes its builds over after image_builds.lease (the database side of the housekeeping,
 * `build-housekeeping.task.ts`, fails them after max_attempts). What stays per process is this
 * machine's disk: the ImageBuilder cache and the work folders, which only this process knows in use.
 */
export class BuildDispatcher {
  readonly workerId = `${os.hostname()}:${process.pid}:builds:${randomUUID().slice(0, 8)}`;
  private readonly cache: ImageBuilderCache;
  private readonly runner: ImageBuilderRunner;
  private readonly worker: RowWorker<AsuBuildRow>;
  private diskTimer: NodeJS.Timeout | null = null;
  private diskCleanup: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: BuildDispatcherDeps,
    databaseUrl: string,
  ) {
    const settings = deps.config.imageBuilds;
    this.cache = new ImageBuilderCache(settings, deps.logger);
    this.runner = new ImageBuilderRunner(settings, this.cache, deps.logger);
    const context = { deps, runner: this.runner, workerId: this.workerId, stopping: () => this.worker.stopping };
    this.worker = new RowWorker<AsuBuildRow>({
      name: 'image build',
      workerId: this.workerId,
      databaseUrl,
      logger: deps.logger,
      channels: [buildRepository.BUILD_NOTIFY_CHANNEL],
      concurrency: settings.concurrency,
      leaseSeconds: settings.lease,
      pollMs: POLL_MS,
      claim: async (limit) => {
        const rows: AsuBuildRow[] = [];
        while (rows.length < limit) {
          const row = await buildRepository.claimNextBuild(
            deps.db,
            this.workerId,
            settings.lease,
            settings.maxAttempts,
          );
          if (!row) break;
          rows.push(row);
        }
        return rows;
      },
      renew: (hashes) => buildRepository.renewHeartbeats(deps.db, this.workerId, hashes),
      keyOf: (row) => row.requestHash,
      run: (row, signal) => runBuild(context, row, signal),
      stopReason: () => new WorkerStopping('worker stopping'),
      // Another worker took it over (this one was presumed dead): stop, write nothing.
      lostReason: async () => new WorkerStopping('lease lost'),
      nextDue: () => buildRepository.nextDelayedBuild(deps.db),
      // Which process ran it: several workers, on several machines, share the queue.
      onFinished: (row) => deps.logger.info({ build: row.requestHash, worker: this.workerId }, 'image build run ended'),
    });
  }

  async start(): Promise<void> {
    await this.worker.start();
    this.diskTimer = setInterval(() => this.cleanDisk(), DISK_CLEANUP_MS);
    this.cleanDisk();
  }

  async stop(): Promise<void> {
    await this.worker.stop();
    if (this.diskTimer) clearInterval(this.diskTimer);
    await this.diskCleanup;
  }

  private cleanDisk(): void {
    this.diskCleanup = this.diskCleanup.then(async () => {
      if (this.worker.stopping) return;
      try {
        await this.cache.removeUnused();
        await this.runner.removeAbandonedWorkDirs();
      } catch (error) {
        this.deps.logger.warn({ err: error }, 'image build disk clean-up failed');
      }
    });
  }
}
