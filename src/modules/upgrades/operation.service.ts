import type { Kysely } from 'kysely';
import type { Database, Db } from '../../database.js';
import { AppError, notFound } from '../../platform/errors.js';
import { type Actor, assertCanWrite, canRead, readableOrganizationIds } from '../accounts/actor.js';
import { resolveOrganizationFilter } from '../accounts/organization.service.js';
import { findBackup } from '../backups/backup.service.js';
import { getDevice } from '../devices/device.service.js';
import type { OperationErrorCode } from '../upgraders/error-codes.js';
import { type BackupMode, DEFAULT_BACKUP_MODE } from '../upgraders/backup-modes.js';
import type { UpgraderRegistry } from '../upgraders/registry.js';
import { upsertDeviceFirmware } from './device-firmware.repository.js';
import * as operationRepository from './operation.repository.js';
import { canRetryOperation, type OperationRow, type OperationStatus } from './upgrades.table.js';
import { assertRestoreAllowed, assertUpgradeAllowed, type UpgradeRequest } from './upgrade-preconditions.js';
import { recordUpgradeAudit } from './upgrade-audit.js';
import { type StoredHealthCheck, storedHealthCheckOf } from './health-check-to-run.js';

/** Refuses to delete a device with a pending or running upgrade. */
export async function assertNoActiveUpgrade(db: Db, deviceId: string): Promise<void> {
  if (await operationRepository.findActiveOperationForDevice(db, deviceId)) {
    throw new AppError(
      'UpgradeAlreadyRunning',
      'The device has an upgrade pending or in progress: cancel it (or let it finish) before deleting the device.',
    );
  }
}

/** Refuses to delete images a pending or running upgrade is installing. */
export async function assertImagesNotInUse(db: Db, imageIds: string[]): Promise<void> {
  const active = await operationRepository.countActiveOperationsForImages(db, imageIds);
  if (active > 0) {
    const what = imageIds.length === 1 ? 'this image' : 'these images';
    throw new AppError(
      'ImageInUse',
      `${active} pending or running upgrade(s) install ${what}: cancel them or wait for them to end first.`,
    );
  }
}

/** Fields the operations of a mass upgrade sort by (`ordering`), and their order when none is asked for. */
export const OPERATION_ORDERING_FIELDS = Object.keys(
  operationRepository.OPERATION_ORDERING,
) as operationRepository.OperationOrderingField[];
export const DEFAULT_OPERATION_ORDERING = '-created';

export interface OperationListFilter {
  organization?: string | undefined;
  device?: string | undefined;
  image?: string | undefined;
  status?: OperationStatus | undefined;
  errorCode?: OperationErrorCode | undefined;
}

export async function listOperations(
  db: Db,
  actor: Actor,
  filter: OperationListFilter,
  page: { limit: number; offset: number },
) {
  const organizationId = await resolveOrganizationFilter(db, actor, filter.organization);
  if (organizationId === null) return { rows: [], count: 0 };
  const query = {
    organizationIds: readableOrganizationIds(actor),
    organizationId,
    deviceId: filter.device,
    imageId: filter.image,
    status: filter.status,
    errorCode: filter.errorCode,
  };
  const [rows, count] = await Promise.all([
    operationRepository.listOperations(db, query, page),
    operationRepository.countOperations(db, query),
  ]);
  return { rows, count };
}

export async function getOperation(db: Db, actor: Actor, id: string): Promise<operationRepository.OperationWithDevice> {
  const row = await operationRepository.findOperationById(db, id);
  if (!row || !canRead(actor, row.organizationId)) throw notFound('operation', id);
  return row;
}

export async function getOperationLog(db: Db, actor: Actor, id: string, afterSeq = 0) {
  await getOperation(db, actor, id);
  return operationRepository.listLogs(db, id, afterSeq);
}

/**
 * Creates a pending operation and wakes the workers. Runs inside the caller's transaction; the
 * one-active-operation-per-device index turns a concurrent second request into a 409.
 */
export async function createOperation(
  trx: Db,
  input: {
    deviceId: string;
    imageId: string;
    imageSha256: string;
    options: Record<string, boolean>;
    createdBy: string | null;
    retryOf?: string | null;
    reinstall?: boolean;
    ignoreMaintenanceWindow?: boolean;
    /** Default `required`. */
    backupMode?: BackupMode | undefined;
    /** The health check to run after proof of boot (a copy); null or absent: none. */
    healthCheck?: StoredHealthCheck | null | undefined;
  },
): Promise<OperationRow> {
  const backupMode = input.backupMode ?? DEFAULT_BACKUP_MODE;
  const healthCheckName = input.healthCheck ? `"${input.healthCheck.name}"` : 'none';
  const operation = await operationRepository.insertOperation(trx, {
    deviceId: input.deviceId,
    imageId: input.imageId,
    imageSha256: input.imageSha256,
    options: JSON.stringify(input.options),
    createdBy: input.createdBy,
    retryOf: input.retryOf ?? null,
    reinstall: input.reinstall ?? false,
    ignoreMaintenanceWindow: input.ignoreMaintenanceWindow ?? false,
    backupMode,
    healthCheck: input.healthCheck ? JSON.stringify(input.healthCheck) : null,
    nextAttemptAt: new Date(),
  });
  const optionText =
    Object.entries(input.options)
      .filter(([, on]) => on)
      .map(([key]) => `-${key}`)
      .join(' ') || 'none';
  await operationRepository.appendLog(
    trx,
    operation.id,
    'info',
    `Upgrade requested${input.retryOf ? ` (retry of ${input.retryOf})` : ''}; sysupgrade options: ${optionText}; ` +
      `configuration backup: ${backupMode}; health check: ${healthCheckName}.` +
      (input.reinstall
        ? ' Re-flash requested ("installed": false): the image is flashed even if the device already runs it.'
        : '') +
      (input.ignoreMaintenanceWindow ? " Starts regardless of the device's maintenance window." : ''),
  );
  // NOTIFY is delivered on commit: workers wake when the row is visible.
  await operationRepository.notifyWorkers(trx, { type: 'due', id: operation.id });
  return operation;
}

/** A failed restore tried again: a new restore of the same backup, if it is still kept. */
async function retryRestore(
  db: Kysely<Database>,
  actor: Actor,
  registry: UpgraderRegistry,
  previous: operationRepository.OperationWithDevice,
): Promise<OperationRow> {
  const backup = previous.backupId ? await findBackup(db, previous.backupId) : undefined;
  if (!backup)
    throw new AppError('RetryNotPossible', 'The backup this operation restored was deleted: choose another backup.');
  return db.transaction().execute(async (trx) => {
    const device = await getDevice(trx, actor, previous.deviceId);
    await assertRestoreAllowed(trx, registry, device);
    const operation = await createRestoreOperation(trx, {
      deviceId: device.id,
      backup,
      createdBy: actor.userId,
      reason: ` (retry of ${previous.id})`,
      retryOf: previous.id,
      ignoreMaintenanceWindow: previous.ignoreMaintenanceWindow,
    });
    await recordUpgradeAudit(
      trx,
      actor,
      'upgrade.retried',
      { operationId: operation.id, ...previous },
      {
        retry_of: previous.id,
        backup: backup.id,
      },
    );
    return operation;
  });
}

/**
 * Creates a pending restore of a configuration backup (in the caller's transaction, after
 * `assertRestoreAllowed`) and wakes the workers. It uses the operation machinery of upgrades: statuses,
 * log, lease, retries, cancel until the restore starts, proof of boot.
 */
export async function createRestoreOperation(
  trx: Db,
  input: {
    deviceId: string;
    backup: { id: string; sha256: string; release: string; created: Date };
    createdBy: string | null;
    /** Why, for the first log line (e.g. which mass upgrade failed). */
    reason: string;
    retryOf?: string | null;
    /** Start regardless of the device's maintenance window (an admin's explicit choice). */
    ignoreMaintenanceWindow?: boolean;
  },
): Promise<OperationRow> {
  const operation = await operationRepository.insertOperation(trx, {
    deviceId: input.deviceId,
    imageId: null,
    imageSha256: input.backup.sha256,
    kind: 'restore',
    backupId: input.backup.id,
    backupMode: 'off',
    ignoreMaintenanceWindow: input.ignoreMaintenanceWindow ?? false,
    retryOf: input.retryOf ?? null,
    createdBy: input.createdBy,
    nextAttemptAt: new Date(),
  });
  await operationRepository.appendLog(
    trx,
    operation.id,
    'info',
    `Restore requested${input.reason}: the configuration backup of ${input.backup.created.toISOString()} ` +
      `(taken from ${input.backup.release}), with sysupgrade -r and a reboot.` +
      (input.ignoreMaintenanceWindow ? " Starts regardless of the device's maintenance window." : ''),
  );
  await operationRepository.notifyWorkers(trx, { type: 'due', id: operation.id });
  return operation;
}

/**
 * A device came back (it registered, or its address changed): upgrades of mass upgrades waiting
 * for it while it was offline are tried at once instead of at their next backoff time.
 */
export async function wakeWaitingUpgrades(db: Db, deviceId: string): Promise<number> {
  const woken = await operationRepository.wakeOfflineOperations(db, deviceId);
  for (const id of woken) await operationRepository.notifyWorkers(db, { type: 'due', id });
  return woken.length;
}

/**
 * Cancels a pending or in-progress operation, up to the moment flashing starts (the check and the
 * change are one statement, so a worker about to flash and a person cancelling cannot both win).
 */
export async function cancelOperation(db: Kysely<Database>, actor: Actor, id: string): Promise<OperationRow> {
  const current = await getOperation(db, actor, id);
  assertCanWrite(actor, current.organizationId, 'upgrades');
  const cancelled = await db.transaction().execute(async (trx) => {
    const row = await operationRepository.cancelOperation(trx, id);
    if (row) {
      await operationRepository.appendLog(trx, id, 'warning', `Cancelled by ${actor.username}.`);
      await operationRepository.notifyWorkers(trx, { type: 'cancelled', id });
      await recordUpgradeAudit(trx, actor, 'upgrade.cancelled', { operationId: id, ...current });
    }
    return row;
  });
  if (cancelled) return cancelled;
  const now = await operationRepository.findOperationById(db, id);
  if (now?.flashStartedAt && (now.status === 'in-progress' || now.status === 'pending')) {
    throw new AppError(
      'CancelNotPossible',
      'Cannot cancel: flashing has already started on the device; interrupting it now could brick it.',
    );
  }
  throw new AppError(
    'CancelNotPossible',
    `Cannot cancel an operation whose status is "${now?.status ?? 'unknown'}": it has already ended.`,
  );
}

/** A new operation for the same device, image and options, after a failed, aborted or cancelled one. */
export async function retryOperation(
  db: Kysely<Database>,
  actor: Actor,
  registry: UpgraderRegistry,
  id: string,
): Promise<OperationRow> {
  const previous = await getOperation(db, actor, id);
  assertCanWrite(actor, previous.organizationId, 'upgrades');
  if (!canRetryOperation(previous.status)) {
    throw new AppError(
      'RetryNotPossible',
      `Only failed, aborted or cancelled operations can be retried; this one is "${previous.status}".`,
    );
  }
  if (previous.kind === 'restore') return retryRestore(db, actor, registry, previous);
  if (!previous.imageId)
    throw new AppError(
      'RetryNotPossible',
      'The image of this operation was deleted: choose another image for the device.',
    );
  const request: UpgradeRequest = { deviceId: previous.deviceId, imageId: previous.imageId, options: previous.options };
  return db.transaction().execute(async (trx) => {
    const { device, image, options } = await assertUpgradeAllowed(trx, actor, registry, request);
    await upsertDeviceFirmware(trx, device.id, image.id, false);
    const operation = await createOperation(trx, {
      deviceId: device.id,
      imageId: image.id,
      imageSha256: image.sha256,
      options,
      createdBy: actor.userId,
      retryOf: previous.id,
      reinstall: previous.reinstall,
      ignoreMaintenanceWindow: previous.ignoreMaintenanceWindow,
      backupMode: previous.backupMode,
      healthCheck: storedHealthCheckOf(previous.healthCheck),
    });
    await recordUpgradeAudit(
      trx,
      actor,
      'upgrade.retried',
      { operationId: operation.id, ...previous },
      { retry_of: previous.id, image: image.id, build_version: image.buildVersion },
    );
    return operation;
  });
}
