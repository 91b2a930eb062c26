import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import type { AddressPolicy } from '../platform/address-policy.js';
import type { Actor } from '../modules/accounts/actor.js';
import { changedFacts, type DeviceInput, changeDevice } from '../modules/devices/device.service.js';
import type { DeviceRow } from '../modules/devices/devices.table.js';
import { recordDeviceAudit } from '../modules/devices/device-audit.js';
import { linkInstalledFirmwareForDevice } from '../modules/upgrades/device-firmware.service.js';
import { wakeWaitingUpgrades } from '../modules/upgrades/operation.service.js';
import { wakeDeviceWindowWait } from '../modules/upgrades/window-wait.service.js';

/**
 * Changes a device, in one transaction with what follows: a new OS, board or model may mean it runs
 * a known image (the firmware record is updated); a new address lets upgrades waiting for the device
 * while it was offline go at once; a new group or location may mean another maintenance window.
 */
export async function updateDevice(
  db: Kysely<Database>,
  actor: Actor,
  id: string,
  changes: Partial<DeviceInput>,
  addresses: AddressPolicy,
): Promise<DeviceRow> {
  return db.transaction().execute(async (trx) => {
    const change = await changeDevice(trx, actor, id, changes, addresses);
    await recordDeviceAudit(trx, actor, { action: 'device.updated', ...change });
    const changed = changedFacts(change);
    if (changed.firmware) await linkInstalledFirmwareForDevice(trx, change.device);
    if (changed.address) await wakeWaitingUpgrades(trx, change.device.id);
    // Its group or location decides its maintenance window: an upgrade waiting for the old one decides again.
    if (changes.group !== undefined || changes.location !== undefined)
      await wakeDeviceWindowWait(trx, change.device.id);
    return change.device;
  });
}
