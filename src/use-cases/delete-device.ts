import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import type { Storage } from '../platform/storage.js';
import type { Actor } from '../modules/accounts/actor.js';
import { listDeviceBackupFiles, releaseBackupFiles } from '../modules/backups/backup.service.js';
import { recordDeviceAudit } from '../modules/devices/device-audit.js';
import { getWritableDevice, removeDevice } from '../modules/devices/device.service.js';
import { assertNoActiveUpgrade } from '../modules/upgrades/operation.service.js';

/**
 * Deletes a device, unless an upgrade of it is pending or running (409: cancel it first). Its
 * configuration backups go with it (the rows by cascade); their stored archives are released after
 * the commit, unless another row holds the same content.
 */
export async function deleteDevice(db: Kysely<Database>, storage: Storage, actor: Actor, id: string): Promise<void> {
  const backupFiles = await db.transaction().execute(async (trx) => {
    const device = await getWritableDevice(trx, actor, id);
    await assertNoActiveUpgrade(trx, device.id);
    const files = await listDeviceBackupFiles(trx, device.id);
    await removeDevice(trx, device.id);
    await recordDeviceAudit(trx, actor, { action: 'device.deleted', device });
    return files;
  });
  await releaseBackupFiles(db, storage, backupFiles);
}
