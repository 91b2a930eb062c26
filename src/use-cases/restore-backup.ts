import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import { AppError } from '../platform/errors.js';
import { type Actor, assertCanWrite } from '../modules/accounts/actor.js';
import { getBackup } from '../modules/backups/backup.service.js';
import { getDevice, getWritableDevice } from '../modules/devices/device.service.js';
import type { UpgraderRegistry } from '../modules/upgraders/registry.js';
import { listRestorableFailedOperations } from '../modules/upgrades/batch.repository.js';
import { getBatch } from '../modules/upgrades/batch.service.js';
import { createRestoreOperation } from '../modules/upgrades/operation.service.js';
import { assertRestoreAllowed } from '../modules/upgrades/upgrade-preconditions.js';
import { recordBatchAudit, recordUpgradeAudit } from '../modules/upgrades/upgrade-audit.js';
import type { OperationRow } from '../modules/upgrades/upgrades.table.js';

/**
 * Restoring configuration backups: a step of two modules (the backup, kept by the backups module; the
 * operation that restores it, an upgrades-module operation of kind "restore"), so a use case above both.
 */

/** How a restore starts: `ignoreMaintenanceWindow` runs it now even if the device's window is closed. */
export interface RestoreOptions {
  ignoreMaintenanceWindow?: boolean | undefined;
}

/** Queues a restore of one of the device's backups (admins; 404 for another device's backup). */
export async function restoreBackup(
  db: Kysely<Database>,
  actor: Actor,
  registry: UpgraderRegistry,
  deviceId: string,
  backupId: string,
  options: RestoreOptions = {},
): Promise<OperationRow> {
  const ignoreMaintenanceWindow = options.ignoreMaintenanceWindow === true;
  return db.transaction().execute(async (trx) => {
    const device = await getWritableDevice(trx, actor, deviceId);
    const { backup } = await getBackup(trx, actor, device.id, backupId);
    await assertRestoreAllowed(trx, registry, device);
    const operation = await createRestoreOperation(trx, {
      deviceId: device.id,
      backup,
      createdBy: actor.userId,
      reason: ` by ${actor.username}`,
      ignoreMaintenanceWindow,
    });
    await recordUpgradeAudit(
      trx,
      actor,
      'upgrade.restore_started',
      {
        operationId: operation.id,
        organizationId: device.organizationId,
        deviceId: device.id,
        deviceName: device.name,
      },
      {
        backup: backup.id,
        release: backup.release,
        ...(ignoreMaintenanceWindow ? { ignore_maintenance_window: true } : {}),
      },
    );
    return operation;
  });
}

export interface BatchRestoreResult {
  /** The restore operations queued. */
  operations: OperationRow[];
  /** Failed devices with a backup that were left alone, and why (another operation running, deactivated…). */
  skipped: { device: string; detail: string }[];
}

/**
 * "Restore the pre-upgrade backup of the failed devices": for each failed operation of the mass
 * upgrade (the latest of its device) with a backup taken before its flash, a restore of that backup.
 * A device that cannot be restored now is reported, not fatal; none at all is a 409.
 */
export async function restoreFailedOfBatch(
  db: Kysely<Database>,
  actor: Actor,
  registry: UpgraderRegistry,
  batchId: string,
  options: RestoreOptions = {},
): Promise<BatchRestoreResult> {
  const ignoreMaintenanceWindow = options.ignoreMaintenanceWindow === true;
  return db.transaction().execute(async (trx) => {
    const { batch } = await getBatch(trx, actor, batchId);
    assertCanWrite(actor, batch.organizationId, 'mass upgrades');
    const restorable = await listRestorableFailedOperations(trx, batch.id);
    if (restorable.length === 0) {
      throw new AppError(
        'BatchStateConflict',
        'The mass upgrade has no failed operation with a configuration backup to restore (a backup is taken before ' +
          'each flash unless the backup option was "off"; one that failed with backup-failed has none).',
        { status: batch.status },
      );
    }
    const result: BatchRestoreResult = { operations: [], skipped: [] };
    for (const { deviceId, backup, operationId } of restorable) {
      const device = await getDevice(trx, actor, deviceId);
      try {
        await assertRestoreAllowed(trx, registry, device);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        result.skipped.push({ device: device.id, detail: error.message });
        continue;
      }
      result.operations.push(
        await createRestoreOperation(trx, {
          deviceId: device.id,
          backup,
          createdBy: actor.userId,
          reason: ` by ${actor.username} for operation ${operationId}, failed in mass upgrade ${batch.id}`,
          ignoreMaintenanceWindow,
        }),
      );
    }
    await recordBatchAudit(trx, actor, 'batch.restore_failed', batch, {
      restores: result.operations.length,
      skipped: result.skipped.length,
      ...(ignoreMaintenanceWindow ? { ignore_maintenance_window: true } : {}),
    });
    return result;
  });
}
