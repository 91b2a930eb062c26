import { storedHealthCheckOf } from './health-check-to-run.js';
import type { Static } from '@sinclair/typebox';
import type { OperationErrorCode } from '../upgraders/error-codes.js';
import type { BatchDto } from './batch.schema.js';
import { checkStoredRollout } from './persisted-payloads.js';
import type { StageCounts } from './rollout-policy.js';
import {
  canPauseBatch,
  canResumeBatch,
  canRetryFailedOfBatch,
  isBatchFinished,
  type BatchRow,
} from './upgrades.table.js';

/**
 * The one shape of a mass upgrade, for the REST answer and the live `batch` event alike, so that
 * `progress`, `stages`, `counts` and `current_stage` mean the same wherever a client reads them.
 * Kept apart from the schema (which the controller cannot import without a cycle).
 */

export interface BatchCounts {
  /** Operations (a retried operation counts as its retry). */
  operations: number;
  skipped: number;
  pending: number;
  in_progress: number;
  /** Pending because the device is offline and the batch waits for it (part of `pending`). */
  waiting_offline: number;
  /** Pending because its maintenance window is closed (part of `pending`). */
  waiting_for_window: number;
  success: number;
  failed: number;
  aborted: number;
  cancelled: number;
  /** success + failed + aborted + cancelled. */
  decided: number;
}

export interface BatchAggregate {
  counts: BatchCounts;
  stages: StageCounts[];
  skipReasons: Record<string, number>;
  /** Failed and aborted operations (retried ones replaced by their retry) per reason. */
  failureReasons: Partial<Record<OperationErrorCode, number>>;
}

export type BatchView = Static<typeof BatchDto>;

const rate = (count: number, total: number) => (total === 0 ? 0 : Math.round((count / total) * 10_000) / 100);

export function progressReport(counts: BatchCounts): {
  completed: number;
  total: number;
  percent: number;
  text: string;
} {
  const percent = counts.operations === 0 ? 100 : Math.floor((counts.decided / counts.operations) * 100);
  return {
    completed: counts.decided,
    total: counts.operations,
    percent,
    text: `${counts.decided} out of ${counts.operations}`,
  };
}

export function toBatchDto(batch: BatchRow, aggregate: BatchAggregate): BatchView {
  const { counts } = aggregate;
  const progress = progressReport(counts);
  // A stored policy of a shape this version cannot read is shown as null (never a 500): the
  // controller pauses that batch with pause_reason policy-unreadable, saying why.
  const rollout = checkStoredRollout(batch.rollout);
  return {
    id: batch.id,
    build: batch.buildId,
    build_version: batch.buildVersion,
    organization: batch.organizationId,
    status: batch.status,
    finished: isBatchFinished(batch.status),
    actions: {
      pause: canPauseBatch(batch.status),
      resume: canResumeBatch(batch.status),
      cancel: !isBatchFinished(batch.status),
      retry_failed: canRetryFailedOfBatch(batch.status, counts.failed + counts.aborted),
    },
    pause_reason: batch.pauseReason,
    pause_detail: batch.pauseDetail,
    upgrade_all: batch.upgradeAll,
    selected_devices: batch.selectedDevices,
    group: batch.groupName,
    location: batch.location,
    upgrade_options: batch.upgradeOptions,
    backup: batch.backupMode,
    rollout: rollout.ok ? rollout.value : null,
    stages: batch.stageSizes.map((size, index) => {
      const stage = aggregate.stages[index];
      return {
        stage: index,
        size,
        success: stage?.success ?? 0,
        failed: stage?.failed ?? 0,
        aborted: stage?.aborted ?? 0,
        cancelled: stage?.cancelled ?? 0,
        open: stage?.open ?? 0,
        waiting_offline: stage?.waitingOffline ?? 0,
        waiting_for_window: stage?.waitingForWindow ?? 0,
      };
    }),
    current_stage: batch.currentStage,
    wait_for_offline: batch.waitForOffline,
    offline_deadline: batch.offlineDeadline?.toISOString() ?? null,
    maintenance_window: batch.maintenanceWindowId,
    health_check: storedHealthCheckOf(batch.healthCheck),
    total_operations: counts.operations,
    counts,
    skip_reasons: aggregate.skipReasons,
    failure_reasons: aggregate.failureReasons,
    progress: progress.percent,
    progress_report: progress.text,
    success_rate: rate(counts.success, counts.operations),
    failed_rate: rate(counts.failed, counts.operations),
    aborted_rate: rate(counts.aborted, counts.operations),
    cancelled_rate: rate(counts.cancelled, counts.operations),
    created_by: batch.createdBy,
    start_at: batch.startAt?.toISOString() ?? null,
    started_at: batch.startedAt?.toISOString() ?? null,
    finished_at: batch.finishedAt?.toISOString() ?? null,
    created: batch.created.toISOString(),
    modified: batch.modified.toISOString(),
  };
}

/**
 * What a `batch` event carries: the REST answer's fields, but for `modified` (it changes with every
 * write, including the write that records what was published, so it would make every evaluation
 * look like a change).
 */
export function batchEventData(batch: BatchRow, aggregate: BatchAggregate): Record<string, unknown> {
  const { modified: _modified, ...fields } = toBatchDto(batch, aggregate);
  return fields;
}
