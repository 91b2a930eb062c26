import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { Timestamp } from '../accounts/accounts.table.js';

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
  errorCode: string | null;
  flashStartedAt: NullableDate;
  leaseOwner: string | null;
  leaseExpiresAt: NullableDate;
  stoppedServices: Generated<string[]>;
  bootIdBefore: string | null;
  logSeq: Generated<number>;
  retryOf: string | null;
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

export type DeviceFirmwareRow = Selectable<DeviceFirmwaresTable>;
export type OperationRow = Selectable<UpgradeOperationsTable>;
export type NewOperationRow = Insertable<UpgradeOperationsTable>;
export type OperationLogRow = Selectable<UpgradeOperationLogsTable>;
