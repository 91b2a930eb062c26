import { healthCheckForUpgrade } from './upgrade-health-check.js';
import type { Kysely } from 'kysely';
import type { Config } from '../../platform/config.js';
import type { Database, Db } from '../../database.js';
import { AppError, invalid } from '../../platform/errors.js';
import { type Actor, assertCanWrite, canRead, readableOrganizationIds } from '../accounts/actor.js';
import { resolveOrganizationFilter } from '../accounts/organization.service.js';
import type { BuildView } from '../firmware/build.service.js';
import type { OperationErrorCode } from '../upgraders/error-codes.js';
import { type BackupMode, DEFAULT_BACKUP_MODE } from '../upgraders/backup-modes.js';
import type { UpgraderRegistry } from '../upgraders/registry.js';
import type { OrderingTerm } from '../../platform/db/ordering.js';
import { evaluateBatch, loadAggregates } from './batch-controller.js';
import type { BatchAggregate } from './batch-view.js';
import type { Decision } from './batch-decisions.js';
import { planBatch, type PlanInput } from './batch-plan.js';
import * as batchRepository from './batch.repository.js';
import * as candidatesRepository from './candidates.repository.js';
import * as operationRepository from './operation.repository.js';
import { SKIP_REASONS } from './skip-reasons.js';
import { findWindowForBatch } from '../maintenance-windows/maintenance-window.service.js';
import { recordBatchAudit } from './upgrade-audit.js';
import {
  canPauseBatch,
  canResumeBatch,
  batchHasStarted,
  isBatchFinished,
  type BatchRow,
  type BatchStatus,
  type OperationStatus,
} from './upgrades.table.js';

/**
 * Mass upgrades with the seed's semantics (dry run, launch, the two device populations) and what
 * the seed lacks: a recorded decision for every candidate, staged rollouts with gates and a
 * failure threshold, pause/resume/cancel/retry-failed, and waiting for offline devices.
 */

/** Says which filter left no device, in the order they narrow the selection. */
async function explainEmpty(db: Db, query: candidatesRepository.CandidateQuery): Promise<AppError> {
  const steps: { field: string; query: candidatesRepository.CandidateQuery; text: string }[] = [
    { field: 'group', query: { ...query, location: undefined }, text: `group "${query.group}"` },
    { field: 'location', query, text: `location "${query.location}"` },
  ];
  const unfiltered = { ...query, group: undefined, location: undefined, deviceIds: undefined };
  if ((await candidatesRepository.countCandidates(db, unfiltered)) === 0) {
    return new AppError(
      'NoUpgradeCandidates',
      "No device to upgrade: no device runs an image of this build's category, and no other device has a board that " +
        'fits an image of the build.',
    );
  }
  // The selection next: every selected device is visible and in scope (batch-plan.ts checks), so none is a candidate.
  if (query.deviceIds !== undefined) {
    const selected = { ...query, group: undefined, location: undefined };
    if ((await candidatesRepository.countCandidates(db, selected)) === 0) {
      return new AppError(
        'NoUpgradeCandidates',
        `No device to upgrade: none of the ${query.deviceIds.length} selected device(s) runs an image of this ` +
          "build's category or has a board that fits an image of the build.",
        { devices: 'no selected device is a candidate' },
      );
    }
  }
  for (const step of steps) {
    const value = step.field === 'group' ? query.group : query.location;
    if (value !== undefined && (await candidatesRepository.countCandidates(db, step.query)) === 0) {
      return new AppError(
        'NoUpgradeCandidates',
        `No devices found matching the ${step.text}: adjust the ${step.field} filter.`,
        { [step.field]: 'no candidate device matches' },
      );
    }
  }
  return new AppError('NoUpgradeCandidates', 'No devices found matching the filters.');
}

export interface LaunchInput extends PlanInput {
  upgradeOptions?: Record<string, unknown> | undefined;
  /** The backup option of every operation (default `required`). */
  backup?: BackupMode | undefined;
  waitForOffline?: boolean | undefined;
  /** How long to wait for offline devices, from the start. */
  offlineDeadlineSeconds?: number | undefined;
  /** A maintenance window (id) for every device of the batch, overriding the devices' own. */
  maintenanceWindow?: string | undefined;
  /** A health check id for every operation, null for none; undefined: the build's category's default. */
  healthCheck?: string | null | undefined;
}

/** Refuses a launch whose options contradict each other (before anything is read). */
export function assertLaunchInput(input: LaunchInput): void {
  if (input.offlineDeadlineSeconds !== undefined && !input.waitForOffline) {
    throw invalid('offline_deadline_seconds only applies with "wait_for_offline": true.', {
      offline_deadline_seconds: 'requires wait_for_offline',
    });
  }
}

/** The build a mass upgrade installs, as the firmware module gives it. */
export interface BatchTarget {
  build: BuildView;
  /** How many images the build has (a mass upgrade needs at least one). */
  imageCount: number;
}

/**
 * Records a mass upgrade in the transaction `trx` (src/use-cases/launch-batch.ts opens it): every
 * device in scope gets an operation (in its stage) or a recorded skip; one bad device never stops
 * the others. Beyond the first `rollout_launch_chunk` devices, the operations are planned here and
 * written by the workers' rollout controller right after (batch-controller.ts). Nothing in scope, or
 * only devices that upgrade_all would include, is a 400. Returns the batch id; `startBatch` then runs
 * its first evaluation, after the commit.
 */
export async function createBatch(
  trx: Db,
  actor: Actor,
  registry: UpgraderRegistry,
  config: Config,
  target: BatchTarget,
  input: LaunchInput,
  now = new Date(),
): Promise<string> {
  const buildId = target.build.id;
  const plan = await planBatch(trx, actor, registry, config, target.build, input, 'write', now);
  const { scope, query, decisions, policy, toUpgrade, stageSizes: sizes } = plan;
  if (target.imageCount === 0) {
    const detail = `Build ${scope.build.version} has no images: upload the images of your devices' models first.`;
    throw new AppError('BuildHasNoImages', detail, { build: 'has no images' });
  }
  if (decisions.length === 0) throw await explainEmpty(trx, query);
  if (toUpgrade.length === 0 && decisions.every((decision) => decision.skip?.reason === 'not-in-category')) {
    throw new AppError(
      'NoUpgradeCandidates',
      `No device to upgrade: no device runs an image of this build's category, but ${decisions.length} other ` +
        'device(s) have a board that fits an image of the build. Set "upgrade_all": true to include them.',
      { upgrade_all: 'false: only devices that already run this category' },
    );
  }
  const options = normalizeBatchOptions(registry, decisions, input.upgradeOptions ?? {});
  const window =
    input.maintenanceWindow === undefined
      ? null
      : await findWindowForBatch(trx, actor, input.maintenanceWindow, scope.organizationId);
  const healthCheck = await healthCheckForUpgrade(trx, actor, {
    choice: input.healthCheck,
    categoryId: target.build.categoryId,
    organizationId: scope.organizationId,
  });
  const startAt = policy.start_at ? new Date(policy.start_at) : null;
  const scheduled = startAt !== null && startAt > now;
  const start = scheduled ? startAt : now;
  const batch = await batchRepository.insertBatch(trx, {
    buildId,
    buildVersion: scope.build.version,
    organizationId: scope.organizationId,
    status: scheduled ? 'scheduled' : 'in-progress',
    upgradeAll: input.upgradeAll,
    deviceIds: input.devices ? [...new Set(input.devices)] : null,
    groupName: input.group ?? null,
    location: input.location ?? null,
    upgradeOptions: JSON.stringify(options),
    rollout: JSON.stringify(policy),
    stageSizes: sizes,
    maxConcurrent: policy.max_concurrent,
    startAt,
    waitForOffline: input.waitForOffline ?? false,
    offlineDeadline: input.waitForOffline
      ? new Date(start.getTime() + (input.offlineDeadlineSeconds ?? config.upgrades.offlineDeadline) * 1000)
      : null,
    maintenanceWindowId: window?.id ?? null,
    backupMode: input.backup ?? DEFAULT_BACKUP_MODE,
    healthCheck: healthCheck ? JSON.stringify(healthCheck) : null,
    createdBy: actor.userId,
    startedAt: scheduled ? null : now,
  });
  const optionText =
    Object.entries(options)
      .filter(([, on]) => on)
      .map(([key]) => `-${key}`)
      .join(' ') || 'none';
  // Stages are 0-based in every field and every text (docs/api.md, "Mass upgrades").
  const message =
    `Upgrade requested by mass upgrade ${batch.id} (build ${scope.build.version}, stage {stage} of stages ` +
    `0-${sizes.length - 1}, 0 being the canary) by ${actor.username}` +
    `${input.allowDowngrade ? ', downgrades allowed' : ''}` +
    `${window ? `, in maintenance window "${window.name}"` : ''}; sysupgrade options: ${optionText}; ` +
    `configuration backup: ${batch.backupMode}; health check: ${healthCheck ? `"${healthCheck.name}"` : 'none'}.`;
  const planned = toUpgrade.map((decision) => ({
    deviceId: decision.deviceId,
    imageId: decision.imageId!,
    imageSha256: decision.imageSha256!,
    stage: decision.stage,
  }));
  // The first operations in rollout order now (the canary and the early stages), the rest as chunks that
  // the workers write (batch-controller.ts): the launch of 100,000 devices answers in about a second.
  const chunk = config.upgrades.launchChunk;
  const created = await batchRepository.insertBatchOperations(trx, batch.id, planned.slice(0, chunk), message);
  const later: (typeof planned)[] = [];
  for (let start = chunk; start < planned.length; start += chunk) later.push(planned.slice(start, start + chunk));
  await batchRepository.insertPlannedChunks(trx, batch.id, later, message);
  const skips: batchRepository.SkipRow[] = decisions
    .filter((decision) => decision.skip !== null)
    .map((decision) => ({ deviceId: decision.deviceId, reason: decision.skip!.reason, detail: decision.skip!.detail }));
  for (const decision of toUpgrade.slice(0, chunk)) {
    // Another upgrade of the device was queued between the selection and the insert.
    if (!created.has(decision.deviceId)) {
      const reason = 'operation-running';
      skips.push({ deviceId: decision.deviceId, reason, detail: SKIP_REASONS[reason].text });
    }
  }
  await batchRepository.insertSkips(trx, batch.id, skips);
  await recordBatchAudit(trx, actor, 'batch.launched', batch, {
    build: buildId,
    operations: created.size + Math.max(planned.length - chunk, 0),
    skipped: skips.length,
    ...{ upgrade_all: input.upgradeAll, group: input.group ?? null, location: input.location ?? null },
    ...{ options, backup: batch.backupMode, stages: sizes, start_at: startAt, maintenance_window: window?.id ?? null },
    health_check: healthCheck?.id ?? null,
  });
  return batch.id;
}

/**
 * The first evaluation of a newly committed mass upgrade: a batch whose devices all skip ends at
 * once, a scheduled one waits. Returns the batch as it is then.
 */
export async function startBatch(db: Kysely<Database>, batchId: string, now = new Date()): Promise<BatchRow> {
  const evaluation = await evaluateBatch(db, batchId, now);
  return evaluation!.batch;
}

/** Options checked by the upgrader of every device that gets an operation (they must suit all of them). */
function normalizeBatchOptions(
  registry: UpgraderRegistry,
  decisions: Decision[],
  given: Record<string, unknown>,
): Record<string, boolean> {
  const upgraders = new Set(
    decisions
      .filter((decision) => decision.skip === null)
      .map((decision) => registry.forDevice(decision))
      .filter((upgrader) => upgrader !== undefined && upgrader !== null),
  );
  if (upgraders.size === 0) {
    const fallback = registry.forOs('OpenWrt');
    return fallback ? fallback.normalizeOptions(given) : {};
  }
  let normalized: Record<string, boolean> = {};
  for (const upgrader of upgraders) normalized = upgrader!.normalizeOptions(given);
  return normalized;
}

// --- reading ----------------------------------------------------------------------------------

export interface BatchView {
  batch: BatchRow;
  aggregate: BatchAggregate;
}

function canSee(actor: Actor, batch: BatchRow): boolean {
  return batch.organizationId === null ? actor.isSuperuser : canRead(actor, batch.organizationId);
}

export async function getBatch(db: Db, actor: Actor, id: string): Promise<BatchView> {
  const batch = await batchRepository.findBatch(db, id);
  if (!batch || !canSee(actor, batch)) throw new AppError('BatchNotFound', `Mass upgrade ${id} not found.`);
  return { batch, aggregate: (await loadAggregates(db, [batch])).get(batch.id)! };
}

export interface BatchListInput {
  organization?: string | undefined;
  build?: string | undefined;
  status?: BatchStatus | undefined;
  finished?: boolean | undefined;
  /** Created at or after. */
  createdFrom?: Date | undefined;
  /** Created before. */
  createdBefore?: Date | undefined;
}

export async function listBatches(
  db: Db,
  actor: Actor,
  filter: BatchListInput,
  page: { limit: number; offset: number },
): Promise<{ rows: BatchView[]; count: number }> {
  const organizationId = await resolveOrganizationFilter(db, actor, filter.organization);
  if (organizationId === null) return { rows: [], count: 0 };
  const query = {
    organizationIds: readableOrganizationIds(actor),
    organizationId,
    buildId: filter.build,
    status: filter.status,
    finished: filter.finished,
    createdFrom: filter.createdFrom,
    createdBefore: filter.createdBefore,
  };
  const [batches, count] = await Promise.all([
    batchRepository.listBatches(db, query, page),
    batchRepository.countBatches(db, query),
  ]);
  const aggregates = await loadAggregates(db, batches);
  return { rows: batches.map((batch) => ({ batch, aggregate: aggregates.get(batch.id)! })), count };
}

export interface BatchOperationsFilter {
  status?: OperationStatus | undefined;
  search?: string | undefined;
  stage?: number | undefined;
  errorCode?: OperationErrorCode | undefined;
  /** One group of the batch's failure_reasons: the same rows the group counts and its retry picks. */
  failureReason?: OperationErrorCode | undefined;
}

export async function listBatchOperations(
  db: Db,
  actor: Actor,
  id: string,
  filter: BatchOperationsFilter,
  page: { limit: number; offset: number },
  ordering: readonly OrderingTerm<operationRepository.OperationOrderingField>[] = [],
) {
  await getBatch(db, actor, id);
  const query = {
    organizationIds: readableOrganizationIds(actor),
    batchId: id,
    currentOnly: true,
    status: filter.status,
    search: filter.search,
    stage: filter.stage,
    errorCode: filter.errorCode,
    failureReason: filter.failureReason,
  };
  const [rows, count] = await Promise.all([
    operationRepository.listOperations(db, query, page, ordering),
    operationRepository.countOperations(db, query),
  ]);
  return { rows, count };
}

export async function listBatchSkips(
  db: Db,
  actor: Actor,
  id: string,
  reason: string | undefined,
  page: { limit: number; offset: number },
) {
  await getBatch(db, actor, id);
  return batchRepository.listSkips(db, id, page, reason);
}

// --- controlling --------------------------------------------------------------------------------

/** A person's action on a batch: checked, made and recorded in the audit log as `action`, in one transaction. */
async function controlled(
  db: Kysely<Database>,
  actor: Actor,
  id: string,
  action: Parameters<typeof recordBatchAudit>[2],
  change: (trx: Db, batch: BatchRow) => Promise<Record<string, unknown> | undefined>,
): Promise<BatchView> {
  const view = await getBatch(db, actor, id);
  assertCanWrite(actor, view.batch.organizationId, 'mass upgrades');
  await db.transaction().execute(async (trx) => {
    const batch = await batchRepository.lockBatch(trx, id);
    if (!batch) throw new AppError('BatchNotFound', `Mass upgrade ${id} not found.`);
    const details = await change(trx, batch);
    await recordBatchAudit(trx, actor, action, batch, { previous_status: batch.status, ...details });
  });
  await evaluateBatch(db, id);
  return getBatch(db, actor, id);
}

function stateConflict(batch: BatchRow, action: string, allowed: string): AppError {
  return new AppError(
    'BatchStateConflict',
    `Cannot ${action} a mass upgrade that is "${batch.status}": only ${allowed}.`,
    { status: batch.status },
  );
}

export async function pauseBatch(db: Kysely<Database>, actor: Actor, id: string): Promise<BatchView> {
  return controlled(db, actor, id, 'batch.paused', async (trx, batch) => {
    if (!canPauseBatch(batch.status))
      throw stateConflict(batch, 'pause', 'scheduled or in-progress ones can be paused');
    await batchRepository.updateBatch(trx, id, {
      status: 'paused',
      pauseReason: 'manual',
      pauseDetail:
        `Paused by ${actor.username}: operations already running finish; no new ones start until it is ` + `resumed.`,
    });
    return undefined;
  });
}

export async function resumeBatch(
  db: Kysely<Database>,
  actor: Actor,
  id: string,
  now = new Date(),
): Promise<BatchView> {
  return controlled(db, actor, id, 'batch.resumed', async (trx, batch) => {
    if (!canResumeBatch(batch.status)) throw stateConflict(batch, 'resume', 'paused ones can be resumed');
    const aggregate = (await loadAggregates(trx, [batch])).get(id)!;
    const scheduled = batch.startedAt === null && batch.startAt !== null && batch.startAt > now;
    await batchRepository.updateBatch(trx, id, {
      status: scheduled ? 'scheduled' : 'in-progress',
      startedAt: batch.startedAt ?? (scheduled ? null : now),
      pauseReason: null,
      pauseDetail: null,
      // The failure threshold looks at what happens from now on; a failed gate is accepted.
      thresholdBaseDecided: aggregate.counts.success + aggregate.counts.failed + aggregate.counts.aborted,
      thresholdBaseFailed: aggregate.counts.failed + aggregate.counts.aborted,
      gateOverrideStage: batch.pauseReason === 'stage-gate' ? batch.currentStage : batch.gateOverrideStage,
    });
    return { pause_reason: batch.pauseReason };
  });
}

export async function cancelBatch(
  db: Kysely<Database>,
  actor: Actor,
  id: string,
  now = new Date(),
): Promise<BatchView> {
  return controlled(db, actor, id, 'batch.cancelled', async (trx, batch) => {
    if (isBatchFinished(batch.status))
      throw stateConflict(batch, 'cancel', 'scheduled, in-progress or paused ones can be cancelled');
    await batchRepository.cancelBatchOperations(trx, id, `Cancelled by ${actor.username} with the whole mass upgrade.`);
    // Operations the workers have not written yet never will be: they count as cancelled.
    await batchRepository.cancelPlannedOperations(trx, id);
    await batchRepository.updateBatch(trx, id, {
      status: 'cancelled',
      finishedAt: now,
      pauseReason: null,
      pauseDetail: null,
    });
    await operationRepository.notifyWorkers(trx, { type: 'cancelled', id, batch: id });
    return undefined;
  });
}

/**
 * Retries the failed and aborted operations of a batch (new operations in their stages), or with
 * `reason` only those that ended for it: one group of the batch's failure_reasons.
 */
export async function retryFailedInBatch(
  db: Kysely<Database>,
  actor: Actor,
  id: string,
  reason?: OperationErrorCode,
): Promise<BatchView> {
  return controlled(db, actor, id, 'batch.retried', async (trx, batch) => {
    // Not started: nothing to retry yet. Started with none failed: the retry below finds none and says so.
    if (!batchHasStarted(batch.status))
      throw stateConflict(batch, 'retry the failed operations of', 'started ones have failed operations');
    const aggregate = (await loadAggregates(trx, [batch])).get(id)!;
    const which = reason === undefined ? 'the failed operations' : `the operations that failed with ${reason}`;
    const retried = await batchRepository.retryFailedOperations(
      trx,
      id,
      actor.userId,
      `Upgrade requested again (retry of {previous}) by ${actor.username} with ${which} of mass upgrade ${id}.`,
      reason,
    );
    if (retried === 0) {
      const none =
        reason === undefined
          ? 'The mass upgrade has no failed or aborted operation to retry'
          : `The mass upgrade has no failed or aborted operation with the reason ${reason} to retry`;
      throw new AppError('BatchStateConflict', `${none} (devices with another upgrade going on are left alone).`, {
        status: batch.status,
      });
    }
    await batchRepository.updateBatch(trx, id, {
      status: batch.status === 'paused' ? 'paused' : 'in-progress',
      finishedAt: null,
      thresholdBaseDecided: aggregate.counts.success + aggregate.counts.failed + aggregate.counts.aborted - retried,
      thresholdBaseFailed: aggregate.counts.failed + aggregate.counts.aborted - retried,
    });
    await operationRepository.notifyWorkers(trx, { type: 'due', id });
    return reason === undefined ? { retried } : { retried, reason };
  });
}
