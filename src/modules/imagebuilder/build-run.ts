import { createReadStream } from 'node:fs';
import type { Kysely } from 'kysely';
import type { Config } from '../../platform/config.js';
import type { SecretBox } from '../../platform/crypto.js';
import { BLOB_REFERENCES, type Database } from '../../database.js';
import { lockBlob, releaseBlobs } from '../../platform/blob-references.js';
import type { Logger } from '../../platform/logger.js';
import { type ReceivedFile, type Storage, StorageUnavailableError } from '../../platform/storage.js';
import type { HardwareTable } from '../firmware/hardware-table.js';
import { BuildFailure } from './build-failure.js';
import * as buildRepository from './build.repository.js';
import type { CanonicalBuildRequest } from './build-request.js';
import { resultTtl } from './build.service.js';
import type { BuildOutput, ImageBuilderRunner } from './imagebuilder-runner.js';
import type { AsuBuildRow } from './imagebuilder.table.js';
import { parsePersistedRequest } from './persisted-request.js';

/**
 * One claimed build, from the stored request to a recorded outcome: run the ImageBuilder, store
 * the files, record success or failure (retrying infrastructure failures), then hand the finished
 * build to `onBuildFinished`. Every write is conditional on this worker still holding the build.
 */

export interface BuildDispatcherDeps {
  db: Kysely<Database>;
  config: Config;
  storage: Storage;
  secrets: SecretBox;
  hardwareTable: HardwareTable;
  logger: Logger;
  /**
   * What follows once a build has finished (succeeded, or failed for good): the composition root
   * attaches the custom images that wait for it (src/use-cases/attach-finished-build.ts), a step
   * above this module. Must be safe to run twice for the same build.
   */
  onBuildFinished(build: AsuBuildRow): Promise<void>;
}

export interface BuildRunContext {
  deps: BuildDispatcherDeps;
  runner: ImageBuilderRunner;
  workerId: string;
  /** True while the worker is stopping (the build is handed back then). */
  stopping(): boolean;
}

/** Abort reason of a build whose worker stops, or lost its lease: write nothing more. */
export class WorkerStopping extends Error {}

export async function runBuild(context: BuildRunContext, row: AsuBuildRow, signal: AbortSignal): Promise<void> {
  const { deps, runner, workerId } = context;
  const { db, logger } = deps;
  const started = Date.now();
  const log = logger.child({ build: row.requestHash, target: row.target, profile: row.profile, attempt: row.attempts });
  const parsed = parsePersistedRequest(row.request);
  if (!parsed.ok) {
    log.error({ detail: parsed.message }, 'stored build request is not one this version can read');
    return recordFailure(context, row, null, new BuildFailure('STORED_REQUEST_INVALID', parsed.message), started, log);
  }
  const request = parsed.request;
  let output: BuildOutput | null = null;
  try {
    const defaults = row.defaultsSealed ? deps.secrets.open(row.defaultsSealed) : null;
    output = await runner.run(
      { requestHash: row.requestHash, request, defaults },
      {
        signal,
        stage: async (stage) => {
          const held = await buildRepository.setStage(db, row.requestHash, workerId, stage);
          if (!held) throw new WorkerStopping('lease lost');
        },
      },
    );
    const ttl = resultTtl(deps.config.imageBuilds, request, false);
    const finished = await storeSuccess(context, row, output, ttl, started);
    log.info({ ms: Date.now() - started }, 'image build done');
    if (finished) await deps.onBuildFinished(finished);
  } catch (error) {
    await recordFailure(context, row, request, error, started, log);
  } finally {
    if (output) await runner.cleanup(output);
  }
}

async function storeSuccess(
  context: BuildRunContext,
  row: AsuBuildRow,
  output: BuildOutput,
  ttl: number,
  started: number,
): Promise<AsuBuildRow | undefined> {
  const { db, storage } = context.deps;
  const received: (ReceivedFile & { name: string })[] = [];
  try {
    for (const file of output.files) {
      received.push({ ...(await storage.receive(createReadStream(file.path), null)), name: file.name });
    }
    const { finished, replaced } = await db.transaction().execute(async (trx) => {
      for (const file of received) await lockBlob(trx, file.sha256);
      const files = received.map((file) => ({ name: file.name, sha256: file.sha256, size: file.size }));
      const replacedHashes = await buildRepository.replaceFiles(trx, row.requestHash, files);
      const done = await buildRepository.finishBuild(trx, row.requestHash, context.workerId, {
        status: 'success',
        expiresInSeconds: ttl,
        result: output.result,
        buildCmd: output.buildCmd,
        stdout: output.stdout,
        stderr: output.stderr,
      });
      if (!done) throw new WorkerStopping('lease lost');
      // In the same transaction: whoever sees the build finished also sees it in the statistics.
      await buildRepository.insertResultLog(trx, {
        requestHash: row.requestHash,
        version: row.version,
        target: row.target,
        profile: row.profile,
        status: 'success',
        errorCode: null,
        detail: null,
        durationMs: Date.now() - started,
      });
      for (const file of received) await storage.commit(file);
      return { finished: done, replaced: replacedHashes };
    });
    await releaseBlobs(db, storage, BLOB_REFERENCES, replaced);
    return finished;
  } finally {
    // A temporary object the store could not delete now goes with the storage housekeeping: the error
    // that brought us here is the one to report.
    for (const file of received) await storage.discard(file).catch(() => {});
  }
}

/** `request` is null when the stored request could not be read (that failure is not retried). */
async function recordFailure(
  context: BuildRunContext,
  row: AsuBuildRow,
  request: CanonicalBuildRequest | null,
  error: unknown,
  started: number,
  log: Logger,
): Promise<void> {
  const { db } = context.deps;
  const settings = context.deps.config.imageBuilds;
  const { workerId } = context;
  if (error instanceof WorkerStopping) {
    // Stopping: hand it back at once (the attempt does not count against it). Lease lost: the new owner has it.
    if (!context.stopping()) return;
    const handedBack = await buildRepository.retryLater(
      db,
      row.requestHash,
      workerId,
      0,
      'interrupted by a worker stop',
      { refundAttempt: true },
    );
    if (handedBack) log.info('image build handed back: worker stopping');
    return;
  }
  const failure =
    error instanceof BuildFailure
      ? error
      : error instanceof StorageUnavailableError
        ? new BuildFailure('STORAGE_UNAVAILABLE', error.message)
        : new BuildFailure(
            'SETUP_FAILED',
            `The build failed on the server: ${(error as Error)?.message ?? String(error)}`,
          );
  if (!(error instanceof BuildFailure) && !(error instanceof StorageUnavailableError))
    log.error({ err: error }, 'image build failed unexpectedly');
  await buildRepository.insertResultLog(db, {
    requestHash: row.requestHash,
    version: row.version,
    target: row.target,
    profile: row.profile,
    status: 'failed',
    errorCode: failure.code,
    detail: failure.message.slice(0, 500),
    durationMs: Date.now() - started,
  });
  if (request && failure.kind === 'infrastructure' && row.attempts < settings.maxAttempts) {
    const delay = settings.retryDelay * 2 ** (row.attempts - 1);
    const detail = `attempt ${row.attempts} failed (${failure.code}): ${failure.message}; retrying in ${delay} s`;
    await buildRepository.retryLater(db, row.requestHash, workerId, delay, detail);
    log.warn({ code: failure.code, delay }, 'image build failed; retrying');
    return;
  }
  const finished = await buildRepository.finishBuild(db, row.requestHash, workerId, {
    status: 'failed',
    expiresInSeconds: request ? resultTtl(settings, request, true) : settings.userErrorTtl,
    errorKind: failure.kind,
    errorCode: failure.code,
    detail: failure.message,
    missing: failure.details.missing ?? [],
    conflicts: failure.details.conflicts ?? [],
    stdout: failure.details.stdout ?? '',
    stderr: failure.details.stderr ?? '',
  });
  log.info({ code: failure.code }, 'image build failed');
  if (finished) await context.deps.onBuildFinished(finished);
}
