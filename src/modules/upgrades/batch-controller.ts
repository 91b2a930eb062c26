import type { Kysely } from 'kysely';
import type { Database, Db } from '../../database.js';
import { insertEvent } from '../../platform/events.js';
import type { Logger } from '../../platform/logger.js';
import * as batchRepository from './batch.repository.js';
import { checkStoredRollout } from './persisted-payloads.js';
import { notifyWorkers } from './operation.repository.js';
import { batchEventData, type BatchAggregate, type BatchCounts } from './batch-view.js';
import { failureThresholdDetail, stageGateDetail } from './pause-detail.js';
import { failureRate, stageGate, type StageCounts } from './rollout-policy.js';
import { isFailingSkip, SKIP_REASONS } from './skip-reasons.js';
import type { BatchRow, BatchStatus } from './upgrades.table.js';
import { ROLLOUT_CONTROLLER } from '../audit/record-audit.js';
import { recordBatchAudit } from './upgrade-audit.js';
import { neverOpeningPause } from './window-wait.service.js';

/**
 * The rollout controller: takes a batch's next decision from its operations' states. Starts a
 * scheduled batch when its time comes, pauses it when failures pass the threshold, opens the next
 * stage when the current one is decided, meets the success gate and has baked, and ends the batch
 * when every operation is decided. Runs under the batch row's lock, so any number of processes may
 * call it at any time: it is idempotent, and a changed aggregate is published once.
 */

function emptyStage(total = 0): StageCounts {
  return { total, success: 0, failed: 0, aborted: 0, cancelled: 0, open: 0, waitingOffline: 0, waitingForWindow: 0 };
}

export function aggregate(
  batch: Pick<BatchRow, 'id' | 'stageSizes'>,
  rows: batchRepository.StageStatusCount[],
  skips: { reason: string; count: number }[],
  planned: { batchId: string; stage: number; count: number; cancelled: boolean }[] = [],
): BatchAggregate {
  const counts: BatchCounts = {
    operations: 0,
    skipped: 0,
    pending: 0,
    in_progress: 0,
    waiting_offline: 0,
    waiting_for_window: 0,
    success: 0,
    failed: 0,
    aborted: 0,
    cancelled: 0,
    decided: 0,
  };
  const stages = batch.stageSizes.map(() => emptyStage());
  const failureReasons: BatchAggregate['failureReasons'] = {};
  // Devices whose operations the workers have not written yet count as pending operations of their stage;
  // those a cancel took out of the plan (never to be written) as cancelled ones.
  const plannedRows = planned.map((row) => ({
    ...{ batchId: row.batchId, stage: row.stage, count: row.count, reason: null },
    ...{ status: row.cancelled ? 'cancelled' : 'pending', waitingOffline: false, waitingForWindow: false },
  }));
  for (const row of [...rows, ...plannedRows]) {
    if (row.batchId !== batch.id) continue;
    const stage = stages[row.stage] ?? emptyStage();
    stages[row.stage] = stage;
    stage.total += row.count;
    counts.operations += row.count;
    switch (row.status) {
      case 'pending':
        counts.pending += row.count;
        if (row.waitingForWindow) {
          counts.waiting_for_window += row.count;
          stage.waitingForWindow += row.count;
        } else if (row.waitingOffline) {
          counts.waiting_offline += row.count;
          stage.waitingOffline += row.count;
        } else stage.open += row.count;
        break;
      case 'in-progress':
        counts.in_progress += row.count;
        stage.open += row.count;
        break;
      case 'failed':
      case 'aborted':
        if (row.reason !== null) failureReasons[row.reason] = (failureReasons[row.reason] ?? 0) + row.count;
        counts[row.status] += row.count;
        stage[row.status] += row.count;
        counts.decided += row.count;
        break;
      case 'success':
      case 'cancelled':
        counts[row.status] += row.count;
        stage[row.status] += row.count;
        counts.decided += row.count;
        break;
    }
  }
  const skipReasons: Record<string, number> = {};
  for (const skip of skips) {
    skipReasons[skip.reason] = (skipReasons[skip.reason] ?? 0) + skip.count;
    counts.skipped += skip.count;
  }
  return { counts, stages, skipReasons, failureReasons };
}

export async function loadAggregates(
  db: Db,
  batches: Pick<BatchRow, 'id' | 'stageSizes'>[],
): Promise<Map<string, BatchAggregate>> {
  if (!db.isTransaction && batches.length > 0) {
    // One snapshot for the three counts: a chunk of planned operations written between two of them would
    // count its devices twice or not at all.
    return db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute((trx) => loadAggregates(trx, batches));
  }
  const ids = batches.map((batch) => batch.id);
  const [rows, skips, planned] = await Promise.all([
    batchRepository.countOperationsByStage(db, ids),
    batchRepository.countSkips(db, ids),
    batchRepository.countPlannedByStage(db, ids),
  ]);
  return new Map(
    batches.map((batch) => [
      batch.id,
      aggregate(
        batch,
        rows,
        skips.filter((skip) => skip.batchId === batch.id),
        planned,
      ),
    ]),
  );
}

/**
 * The end of a batch whose operations are all decided: `failed` when an operation failed or was
 * aborted, or a device was skipped for a reason that is a failure (skip-reasons.ts); skips that are
 * not failures (no fitting image, already on the build, deactivated, downgrade, not in the
 * category) never fail a batch.
 */
function finalStatus(result: BatchAggregate): BatchStatus {
  const failingSkips = Object.entries(result.skipReasons).some(([reason, count]) => count > 0 && isFailingSkip(reason));
  return result.counts.failed + result.counts.aborted > 0 || failingSkips ? 'failed' : 'success';
}

export interface Evaluation {
  batch: BatchRow;
  /** A stage opened or the batch started: workers should look for work. */
  released: boolean;
}

/** One decision step for a batch, in its own transaction under the batch's row lock. */
export async function evaluateBatch(
  db: Kysely<Database>,
  batchId: string,
  now = new Date(),
): Promise<Evaluation | undefined> {
  const evaluation = await db.transaction().execute(async (trx) => {
    const locked = await batchRepository.lockBatch(trx, batchId);
    if (!locked) return undefined;
    let batch = locked;
    let released = false;
    let result = (await loadAggregates(trx, [batch])).get(batch.id)!;
    const lastStage = Math.max(0, batch.stageSizes.length - 1);
    const change = async (changes: batchRepository.BatchUpdate) => {
      const pausing = changes.status === 'paused' && batch.status !== 'paused';
      batch = await batchRepository.updateBatch(trx, batch.id, changes);
      // The controller's own pauses are changes nobody asked for: the audit log names the rule.
      if (pausing)
        await recordBatchAudit(trx, ROLLOUT_CONTROLLER, 'batch.paused', batch, {
          pause_reason: changes.pauseReason,
          pause_detail: changes.pauseDetail,
        });
    };

    if (batch.status === 'scheduled' && batch.startAt !== null && batch.startAt <= now) {
      await change({ status: 'in-progress', startedAt: now });
      released = true;
    }
    // Several steps may follow one another at once (an empty or fully cancelled stage).
    for (let step = 0; step < batch.stageSizes.length + 2; step += 1) {
      if (batch.status !== 'in-progress' && batch.status !== 'paused') break;
      const { counts } = result;
      const allDecided = counts.pending === 0 && counts.in_progress === 0;
      if (allDecided && batch.currentStage >= lastStage) {
        await change({ status: finalStatus(result), finishedAt: now, pauseReason: null, pauseDetail: null });
        break;
      }
      if (batch.status !== 'in-progress') break;

      const stored = checkStoredRollout(batch.rollout);
      if (!stored.ok) {
        // Not one this version can follow (another version wrote it, or it was edited): stop here, say why.
        const pauseDetail = `Paused: ${stored.message} Cancel this mass upgrade and start it again.`;
        await change({ status: 'paused', pauseReason: 'policy-unreadable', pauseDetail });
        break;
      }
      const policy = stored.value;
      const decidedSince = counts.success + counts.failed + counts.aborted - batch.thresholdBaseDecided;
      const failuresSince = counts.failed + counts.aborted - batch.thresholdBaseFailed;
      const rate = failureRate(failuresSince, decidedSince);
      if (decidedSince >= policy.failure_threshold_min_decided && rate > policy.failure_threshold_percent) {
        await change({
          status: 'paused',
          pauseReason: 'failure-threshold',
          pauseDetail: failureThresholdDetail(failuresSince, decidedSince, rate, policy),
        });
        break;
      }

      const neverOpens = counts.waiting_for_window > 0 ? await neverOpeningPause(trx, batch.id) : null;
      if (neverOpens) {
        await change(neverOpens);
        break;
      }
      if (batch.currentStage >= lastStage) break;
      const stage = result.stages[batch.currentStage] ?? emptyStage();
      const gate = stageGate(stage, policy.success_gate_percent, policy.failure_threshold_min_decided);
      if (!gate.decided) break;
      if (!gate.passed && batch.gateOverrideStage !== batch.currentStage) {
        await change({
          status: 'paused',
          pauseReason: 'stage-gate',
          pauseDetail: stageGateDetail(batch, gate.successRate, policy),
        });
        break;
      }
      if (policy.bake_seconds > 0) {
        if (batch.stageDecidedAt === null) {
          await change({ stageDecidedAt: now });
          break;
        }
        if (now.getTime() - batch.stageDecidedAt.getTime() < policy.bake_seconds * 1000) break;
      }
      await change({ currentStage: batch.currentStage + 1, stageDecidedAt: null });
      released = true;
      result = (await loadAggregates(trx, [batch])).get(batch.id)!;
    }

    const data = batchEventData(batch, result);
    if (canonicalJson(batch.published) !== canonicalJson(data)) {
      await change({ published: JSON.stringify(data) });
      await insertEvent(trx, { type: 'batch', organizationId: batch.organizationId, batchId: batch.id, data });
    }
    if (released) await notifyWorkers(trx, { type: 'due', id: batch.id });
    return { batch, released };
  });
  return evaluation;
}

/**
 * Writes the operations a launch left planned (batch.service.ts, createBatch), chunk by chunk in rollout
 * order, each chunk in its own transaction under the batch's lock: a cancel or a pause waits for the chunks
 * being written (one per writing process) at most, and several processes may call it at once (each takes
 * the next chunk). A cancel deletes the chunks; a cancelled batch is never written to, whatever is left.
 * Returns how many operations it created.
 */
export async function writePlannedOperations(
  db: Kysely<Database>,
  batchId: string,
  stopped: () => boolean = () => false,
): Promise<number> {
  const skipDetail = {
    imageGone: "The build's image for the device was deleted before its operation was written.",
    operationRunning: SKIP_REASONS['operation-running'].text,
  };
  let total = 0;
  while (!stopped()) {
    const created = await db.transaction().execute(async (trx) => {
      const batch = await batchRepository.lockBatch(trx, batchId);
      if (!batch || batch.status === 'cancelled') return null;
      const count = await batchRepository.writePlannedChunk(trx, batchId, skipDetail);
      if (count !== null && count > 0 && batch.status === 'in-progress')
        await notifyWorkers(trx, { type: 'due', id: batchId });
      return count;
    });
    if (created === null) break;
    total += created;
  }
  return total;
}

/** JSON with object keys sorted: jsonb does not keep key order, so compare this way. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

/**
 * The worker side: evaluates a batch shortly after one of its operations changes (coalescing
 * bursts: a thousand operations ending in a second cost a handful of evaluations, not a thousand)
 * and sweeps every active batch periodically, for start times, bake times and changes made elsewhere.
 */
export class BatchController {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private sweepTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Whether this process is writing a batch's planned operations (one batch at a time). */
  private writing = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly logger: Logger,
    private readonly options: { debounceMs: number; sweepIntervalMs: number },
  ) {}

  start(): void {
    this.sweepTimer = setInterval(() => this.track(this.sweep()), this.options.sweepIntervalMs);
    this.track(this.sweep());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  /** An operation of the batch changed: look at the batch soon. */
  touch(batchId: string): void {
    if (this.stopped || this.pending.has(batchId)) return;
    this.pending.set(
      batchId,
      setTimeout(() => {
        this.pending.delete(batchId);
        this.track(this.evaluate(batchId));
      }, this.options.debounceMs),
    );
  }

  private track(promise: Promise<unknown>): void {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
  }

  private async evaluate(batchId: string): Promise<void> {
    try {
      await evaluateBatch(this.db, batchId);
    } catch (error) {
      this.logger.warn({ err: error, batch: batchId }, 'could not evaluate a mass upgrade; the next sweep will');
    }
  }

  /**
   * Writes the planned operations of the oldest batch that has some, in the background (the sweep goes on
   * with the other batches); then looks at that batch. One batch at a time in this process: a writer holds a
   * pooled connection, which claims and lease renewals share. Other processes writing the same batch take
   * its next chunks.
   */
  private async writePlanned(): Promise<void> {
    this.writing = true;
    let batchId: string | undefined;
    try {
      [batchId] = await batchRepository.listBatchesWithPlannedChunks(this.db);
      if (batchId !== undefined) await writePlannedOperations(this.db, batchId, () => this.stopped);
    } catch (error) {
      this.logger.warn(
        { err: error, batch: batchId },
        "could not write a mass upgrade's planned operations; the next sweep will",
      );
    } finally {
      this.writing = false;
    }
    if (batchId !== undefined) this.touch(batchId);
  }

  async sweep(): Promise<void> {
    if (this.stopped) return;
    // writePlanned sets `writing` before its first await: overlapping sweeps never start two writers.
    if (!this.writing) this.track(this.writePlanned());
    try {
      const ids = await batchRepository.listActiveBatchIds(this.db);
      for (const id of ids) {
        if (this.stopped) return;
        await this.evaluate(id);
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'could not sweep mass upgrades');
    }
  }
}
