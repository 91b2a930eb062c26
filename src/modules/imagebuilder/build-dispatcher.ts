import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import os from 'node:os';
import type { Kysely } from 'kysely';
import type { Config } from '../../platform/config.js';
import type { SecretBox } from '../../platform/crypto.js';
import { BLOB_REFERENCES, type Database } from '../../database.js';
import { lockBlob, releaseBlobs } from '../../platform/blob-references.js';
import { NotificationListener } from '../../platform/db/listener.js';
import type { Logger } from '../../platform/logger.js';
import type { ReceivedFile, Storage } from '../../platform/storage.js';
import type { HardwareTable } from '../firmware/hardware-table.js';
import { BuildFailure } from './build-failure.js';
import * as buildRepository from './build.repository.js';
import { canonicalFromEcho, resultTtl } from './build.service.js';
import { attachFinishedBuild } from './custom-image.service.js';
import { ImageBuilderCache } from './imagebuilder-cache.js';
import { type BuildOutput, ImageBuilderRunner } from './imagebuilder-runner.js';
import type { AsuBuildRow } from './imagebuilder.table.js';

/**
 * The build worker of one process. Builds are rows (asu_builds), claimed with FOR UPDATE SKIP
 * LOCKED in fair order (each client's builds take turns) up to image_builds.concurrency at once,
 * woken by LISTEN/NOTIFY, kept by a heartbeat. A worker that dies stops renewing; any worker
 * queues its builds again after image_builds.lease (or fails them after max_attempts). The same
 * worker also does the housekeeping: expired results and their files, old statistics, unused
 * ImageBuilders.
 */

export interface BuildDispatcherDeps {
  db: Kysely<Database>;
  config: Config;
  storage: Storage;
  secrets: SecretBox;
  hardwareTable: HardwareTable;
  logger: Logger;
}

class WorkerStopping extends Error {}

const POLL_MS = 2000;
const MAINTENANCE_MS = 60_000;
/** Expired results stay a little longer, so a download that just started can finish. */
const EXPIRED_GRACE_SECONDS = 600;
const PURGE_BATCH = 500;

export class BuildDispatcher {
  readonly workerId = `${os.hostname()}:${process.pid}:builds:${randomUUID().slice(0, 8)}`;
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private readonly cache: ImageBuilderCache;
  private readonly runner: ImageBuilderRunner;
  private listener: NotificationListener | null = null;
  private timers: NodeJS.Timeout[] = [];
  private maintenance: Promise<void> = Promise.resolve();
  private loop: Promise<void> | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;
  private wakeRequested = false;

  constructor(private readonly deps: BuildDispatcherDeps, private readonly databaseUrl: string) {
    this.cache = new ImageBuilderCache(deps.config.imageBuilds, deps.logger);
    this.runner = new ImageBuilderRunner(deps.config.imageBuilds, this.cache, deps.logger);
  }

  private get settings() {
    return this.deps.config.imageBuilds;
  }

  async start(): Promise<void> {
    this.listener = new NotificationListener(this.databaseUrl, [buildRepository.BUILD_NOTIFY_CHANNEL], () => this.poke(), this.deps.logger);
    await this.listener.start();
    this.timers.push(setInterval(() => void this.renew(), (this.settings.lease * 1000) / 3));
    this.timers.push(setInterval(() => this.startMaintenance(), MAINTENANCE_MS));
    this.startMaintenance();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.poke();
    for (const { controller } of this.running.values()) controller.abort(new WorkerStopping('worker stopping'));
    await this.loop;
    await Promise.allSettled([...this.running.values()].map((entry) => entry.done));
    for (const timer of this.timers) clearInterval(timer);
    await this.maintenance;
    await this.listener?.stop();
  }

  private poke(): void {
    this.wakeRequested = true;
    this.wake?.();
  }

  private async sleep(): Promise<void> {
    if (this.wakeRequested) {
      this.wakeRequested = false;
      return;
    }
    let delay = POLL_MS;
    const due = await buildRepository.nextDelayedBuild(this.deps.db).catch(() => null);
    if (due) delay = Math.max(10, Math.min(delay, due.getTime() - Date.now() + 10));
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delay);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = null;
    this.wakeRequested = false;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        while (!this.stopping && this.running.size < this.settings.concurrency) {
          const row = await buildRepository.claimNextBuild(this.deps.db, this.workerId);
          if (!row) break;
          const controller = new AbortController();
          const done = this.runBuild(row, controller.signal).finally(() => {
            this.running.delete(row.requestHash);
            this.poke();
          });
          this.running.set(row.requestHash, { controller, done });
        }
      } catch (error) {
        this.deps.logger.error({ err: error }, 'claiming image builds failed');
      }
      await this.sleep();
    }
  }

  private async renew(): Promise<void> {
    const hashes = [...this.running.keys()];
    try {
      const kept = new Set(await buildRepository.renewHeartbeats(this.deps.db, this.workerId, hashes));
      for (const hash of hashes) {
        // Another worker took it over (this one was presumed dead): stop, write nothing.
        if (!kept.has(hash)) this.running.get(hash)?.controller.abort(new WorkerStopping('lease lost'));
      }
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'renewing image build heartbeats failed');
    }
  }

  private startMaintenance(): void {
    this.maintenance = this.maintenance.then(() => (this.stopping ? undefined : this.maintain()));
  }

  /** Housekeeping; every worker does it, and each step is safe to run concurrently. */
  async maintain(): Promise<void> {
    const { db, storage, logger } = this.deps;
    try {
      const reclaimed = await buildRepository.reclaimAbandoned(db, this.settings.lease, this.settings.maxAttempts);
      for (const hash of reclaimed.failed) {
        const row = await buildRepository.findBuild(db, hash);
        if (row) await attachFinishedBuild(this.deps, row);
      }
      const released = await buildRepository.deleteExpiredBuilds(db, EXPIRED_GRACE_SECONDS, PURGE_BATCH);
      await releaseBlobs(db, storage, BLOB_REFERENCES, released);
      await buildRepository.purgeStatistics(db, this.settings.statsRetention);
      await this.cache.removeUnused();
      await this.runner.removeAbandonedWorkDirs();
    } catch (error) {
      logger.warn({ err: error }, 'image build housekeeping failed');
    }
  }

  private async runBuild(row: AsuBuildRow, signal: AbortSignal): Promise<void> {
    const { db, logger } = this.deps;
    const started = Date.now();
    const request = canonicalFromEcho(row.request);
    const log = logger.child({ build: row.requestHash, target: row.target, profile: row.profile, attempt: row.attempts });
    let output: BuildOutput | null = null;
    try {
      const defaults = row.defaultsSealed ? this.deps.secrets.open(row.defaultsSealed) : null;
      output = await this.runner.run({ requestHash: row.requestHash, request, defaults }, {
        signal,
        stage: async (stage) => {
          if (!(await buildRepository.setStage(db, row.requestHash, this.workerId, stage))) throw new WorkerStopping('lease lost');
        },
      });
      const finished = await this.storeSuccess(row, output, resultTtl(this.settings, request, false), started);
      log.info({ ms: Date.now() - started }, 'image build done');
      if (finished) await attachFinishedBuild(this.deps, finished);
    } catch (error) {
      await this.recordFailure(row, request, error, started, log);
    } finally {
      if (output) await this.runner.cleanup(output);
    }
  }

  private async storeSuccess(row: AsuBuildRow, output: BuildOutput, ttl: number, started: number): Promise<AsuBuildRow | undefined> {
    const { db, storage } = this.deps;
    const received: (ReceivedFile & { name: string })[] = [];
    try {
      for (const file of output.files) received.push({ ...(await storage.receive(createReadStream(file.path), null)), name: file.name });
      const { finished, replaced } = await db.transaction().execute(async (trx) => {
        for (const file of received) await lockBlob(trx, file.sha256);
        const replacedHashes = await buildRepository.replaceFiles(trx, row.requestHash, received.map((file) => ({ name: file.name, sha256: file.sha256, size: file.size })));
        const done = await buildRepository.finishBuild(trx, row.requestHash, this.workerId, {
          status: 'success', expiresInSeconds: ttl, result: output.result, buildCmd: output.buildCmd, stdout: output.stdout, stderr: output.stderr,
        });
        if (!done) throw new WorkerStopping('lease lost');
        // In the same transaction: whoever sees the build finished also sees it in the statistics.
        await buildRepository.insertResultLog(trx, {
          requestHash: row.requestHash, version: row.version, target: row.target, profile: row.profile, status: 'success', errorCode: null, detail: null,
          durationMs: Date.now() - started,
        });
        for (const file of received) await storage.commit(file);
        return { finished: done, replaced: replacedHashes };
      });
      await releaseBlobs(db, storage, BLOB_REFERENCES, replaced);
      return finished;
    } finally {
      for (const file of received) await storage.discard(file);
    }
  }

  private async recordFailure(row: AsuBuildRow, request: ReturnType<typeof canonicalFromEcho>, error: unknown, started: number, log: Logger): Promise<void> {
    const { db } = this.deps;
    if (error instanceof WorkerStopping) {
      // Stopping: hand it back at once (the attempt does not count against it). Lease lost: the new owner has it.
      if (!this.stopping || !(await buildRepository.retryLater(db, row.requestHash, this.workerId, 0, 'interrupted by a worker stop', { refundAttempt: true }))) return;
      log.info('image build handed back: worker stopping');
      return;
    }
    const failure = error instanceof BuildFailure
      ? error
      : new BuildFailure('SETUP_FAILED', `The build failed on the server: ${(error as Error)?.message ?? String(error)}`);
    if (!(error instanceof BuildFailure)) log.error({ err: error }, 'image build failed unexpectedly');
    await buildRepository.insertResultLog(db, {
      requestHash: row.requestHash, version: row.version, target: row.target, profile: row.profile, status: 'failed', errorCode: failure.code,
      detail: failure.message.slice(0, 500), durationMs: Date.now() - started,
    });
    if (failure.kind === 'infrastructure' && row.attempts < this.settings.maxAttempts) {
      const delay = this.settings.retryDelay * 2 ** (row.attempts - 1);
      await buildRepository.retryLater(db, row.requestHash, this.workerId, delay, `attempt ${row.attempts} failed (${failure.code}): ${failure.message}; retrying in ${delay} s`);
      log.warn({ code: failure.code, delay }, 'image build failed; retrying');
      return;
    }
    const finished = await buildRepository.finishBuild(db, row.requestHash, this.workerId, {
      status: 'failed', expiresInSeconds: resultTtl(this.settings, request, true), errorKind: failure.kind, errorCode: failure.code, detail: failure.message,
      missing: failure.details.missing ?? [], conflicts: failure.details.conflicts ?? [], stdout: failure.details.stdout ?? '', stderr: failure.details.stderr ?? '',
    });
    log.info({ code: failure.code }, 'image build failed');
    if (finished) await attachFinishedBuild(this.deps, finished);
  }
}
