import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import type { Actor } from '../modules/accounts/actor.js';
import { recordDeviceAudit } from '../modules/devices/device-audit.js';
import { getWritableDevice, removeDevice } from '../modules/devices/device.service.js';
import { assertNoActiveUpgrade } from '../modules/upgrades/operation.service.js';

/** Deletes a device, unless an upgrade of it is pending or running (409: cancel it first). */
export async function deleteDevice(db: Kysely<Database>, actor: Actor, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const device = await getWritableDevice(trx, actor, id);
    await assertNoActiveUpgrade(trx, device.id);
    await removeDevice(trx, device.id);
    await recordDeviceAudit(trx, actor, { action: 'device.deleted', device });
  });
}
