import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import type { AddressPolicy } from '../platform/address-policy.js';
import type { Actor } from '../modules/accounts/actor.js';
import { addDevice, type DeviceInput } from '../modules/devices/device.service.js';
import type { DeviceRow } from '../modules/devices/devices.table.js';
import { recordDeviceAudit } from '../modules/devices/device-audit.js';
import { linkInstalledFirmwareForDevice } from '../modules/upgrades/device-firmware.service.js';

/**
 * Adds a device and records, in the same transaction, which image it runs when its OS string names
 * a known build (see `linkInstalledFirmwareForDevice`).
 */
export async function createDevice(
  db: Kysely<Database>,
  actor: Actor,
  input: DeviceInput,
  addresses: AddressPolicy,
): Promise<DeviceRow> {
  return db.transaction().execute(async (trx) => {
    const device = await addDevice(trx, actor, input, addresses);
    await recordDeviceAudit(trx, actor, { action: 'device.created', device });
    await linkInstalledFirmwareForDevice(trx, device);
    return device;
  });
}
