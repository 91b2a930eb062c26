import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { Timestamp } from '../accounts/accounts.table.js';
import type { BackupMode } from '../upgraders/backup-modes.js';
import type { OperationErrorCode } from '../upgraders/error-codes.js';
import type { RolloutPolicy } from './rollout-policy.js';

export const OPERATION_STATUS = {
  pending: 'pending',
  inProgress: 'in-progress',
  success: 'success',
  failed: 'failed',
  aborted: 'aborted',
  cancelled: 'cancelled',
} as const;
export type OperationStatus = (typeof OPERATION_STATUS)[keyof typeof OPERATION_STATUS];
export const ACTIVE_STATUSES: readonly OperationStatus[] = ['pending', 'in-progress'];
export const TERMINAL_STATUSES: readonly OperationStatus[] = ['success', 'failed', 'aborted', 'cancelled'];
/** Finished operations that can be tried again (as a new operation): every final status but success. */
export const RETRYABLE_STATUSES: readonly OperationStatus[] = ['failed', 'aborted', 'cancelled'];

/** The one rule of which operation statuses are final. */
export function isOperationFinished(status: OperationStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** The one rule of which operations can be retried. */
export function canRetryOperation(status: OperationStatus): boolean {
  return RETRYABLE_STATUSES.includes(status);
}

/** What an operation does: install an image, or put a configuration backup back (restore). */
export const OPERATION_KINDS = ['upgrade', 'restore'] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

type NullableDate = ColumnType<Date | null, Date | null | undefined, Date | null>;

export interface DeviceFirmwaresTable {
  deviceId: string;
  imageId: string;
  installed: Generated<boolean>;
  created: Timestamp;
  modified: Timestamp;
}

export interface UpgradeOperationsTable {
  id: Generated<string>;
  deviceId: string;
  imageId: string | null;
  imageSha256: string;
  status: Generated<OperationStatus>;
  progress: Generated<number>;
  options: ColumnType<Record<string, boolean>, string | undefined, string>;
  attempt: Generated<number>;
  nextAttemptAt: Timestamp;
  /** A code of the closed set; rows written by older versions may hold others (the API maps them). */
  errorCode: OperationErrorCode | null;
  flashStartedAt: NullableDate;
  leaseOwner: string | null;
  leaseExpiresAt: NullableDate;
  stoppedServices: Generated<string[]>;
  bootIdBefore: string | null;
  logSeq: Generated<number>;
  retryOf: string | null;
  batchId: string | null;
  stage: Generated<number>;
  retried: Generated<boolean>;
  offlineWaits: Generated<number>;
  /** Flash even if the device already runs the image ("installed": false). */
  reinstall: Generated<boolean>;
  /** A single upgrade an admin started regardless of the device's maintenance window. */
  ignoreMaintenanceWindow: Generated<boolean>;
  /** Pending until this maintenance window opens (at windowOpensAt; null: it never opens in the coming week). */
  waitingWindowId: string | null;
  windowOpensAt: NullableDate;
  /** What to do about a configuration backup before flashing (backup-modes.ts). */
  backupMode: Generated<BackupMode>;
  /** The health check to run after proof of boot, copied when requested (StoredHealthCheck JSON); null: none. */
  healthCheck: ColumnType<unknown, string | null | undefined, string | null>;
  kind: Generated<OperationKind>;
  /** The backup a restore puts back (null for upgrades, or once the backup is deleted). */
  backupId: string | null;
  createdBy: string | null;
  startedAt: NullableDate;
  finishedAt: NullableDate;
  created: Timestamp;
  modified: Timestamp;
}

export interface UpgradeOperationLogsTable {
  operationId: string;
  seq: number;
  at: Timestamp;
  level: Generated<'info' | 'warning' | 'error'>;
  message: string;
}

export const BATCH_STATUSES = ['scheduled', 'in-progress', 'paused', 'success', 'failed', 'cancelled'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];
/** Batches still running: the controller looks at them, and they can be cancelled. */
export const RUNNING_BATCH_STATUSES: readonly BatchStatus[] = ['scheduled', 'in-progress', 'paused'];

/** The one rule of which batch statuses are final. */
export function isBatchFinished(status: BatchStatus): boolean {
  return !RUNNING_BATCH_STATUSES.includes(status);
}

/** A person may pause a batch that is scheduled or in progress. */
export function canPauseBatch(status: BatchStatus): boolean {
  return status === 'scheduled' || status === 'in-progress';
}

/** A person may resume a paused batch. */
export function canResumeBatch(status: BatchStatus): boolean {
  return status === 'paused';
}

/** A batch past its scheduled start: only such a batch can have failed operations. */
export function batchHasStarted(status: BatchStatus): boolean {
  return status !== 'scheduled';
}

/** Retrying the failed operations needs a started batch with some to retry. */
export function canRetryFailedOfBatch(status: BatchStatus, failedOrAborted: number): boolean {
  return batchHasStarted(status) && failedOrAborted > 0;
}

/** Why a batch paused: by a person, above its failure threshold, or at a stage gate it did not pass. */
export const PAUSE_REASONS = [
  'manual',
  'failure-threshold',
  'stage-gate',
  'policy-unreadable',
  // A device's maintenance window has no period longer than the end margin (the setting grew since).
  'window-never-opens',
] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

export interface BatchUpgradeOperationsTable {
  id: Generated<string>;
  buildId: string | null;
  buildVersion: string;
  organizationId: string | null;
  status: Generated<BatchStatus>;
  upgradeAll: Generated<boolean>;
  /** Launched for a selection of devices: only these were candidates; null for filters alone. */
  deviceIds: string[] | null;
  groupName: string | null;
  location: string | null;
  upgradeOptions: ColumnType<Record<string, boolean>, string | undefined, string>;
  rollout: ColumnType<RolloutPolicy, string, string>;
  stageSizes: number[];
  currentStage: Generated<number>;
  stageDecidedAt: NullableDate;
  gateOverrideStage: number | null;
  maxConcurrent: number;
  startAt: NullableDate;
  waitForOffline: Generated<boolean>;
  offlineDeadline: NullableDate;
  /** The mass upgrade's own maintenance window, overriding its devices' windows. */
  maintenanceWindowId: string | null;
  /** The backup option every operation of the mass upgrade gets (backup-modes.ts). */
  backupMode: Generated<BackupMode>;
  /** The health check every operation of the mass upgrade gets (a copy, as on the operations); null: none. */
  healthCheck: ColumnType<unknown, string | null | undefined, string | null>;
  pauseReason: PauseReason | null;
  pauseDetail: string | null;
  thresholdBaseDecided: Generated<number>;
  thresholdBaseFailed: Generated<number>;
  published: ColumnType<unknown, string | null | undefined, string | null>;
  createdBy: string | null;
  startedAt: NullableDate;
  finishedAt: NullableDate;
  created: Timestamp;
  modified: Timestamp;
  /** Devices per stage whose planned operations a cancel took out (migration 0033); null: none. */
  plannedCancelled: number[] | null;
}

export interface BatchSkippedDevicesTable {
  batchId: string;
  deviceId: string;
  reason: string;
  detail: string;
}

/**
 * A batch as it is read: a selection's device ids (up to 10,000 uuids) stay in the table, only their number
 * is read (only the launch needs the ids, and it has them from the request).
 */
export type BatchRow = Omit<Selectable<BatchUpgradeOperationsTable>, 'deviceIds'> & {
  /** How many devices the selection named; null for filters alone. */
  selectedDevices: number | null;
};
export type NewBatchRow = Insertable<BatchUpgradeOperationsTable>;

export type DeviceFirmwareRow = Selectable<DeviceFirmwaresTable>;
export type OperationRow = Selectable<UpgradeOperationsTable>;
export type NewOperationRow = Insertable<UpgradeOperationsTable>;
export type OperationLogRow = Selectable<UpgradeOperationLogsTable>;
