import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import type { AddressPolicy } from '../platform/address-policy.js';
import { recordRegistration, type RegistrationInput } from '../modules/devices/device.service.js';
import type { DeviceRow } from '../modules/devices/devices.table.js';
import { recordDeviceAudit } from '../modules/devices/device-audit.js';
import { linkInstalledFirmwareForDevice } from '../modules/upgrades/device-firmware.service.js';
import { wakeWaitingUpgrades } from '../modules/upgrades/operation.service.js';

/**
 * A router announces itself (see `registerDevice` in devices): in the same transaction, the image
 * it runs is recorded when its OS names a known build, and, since a device that announces itself
 * is online, upgrades waiting for it go now.
 */
export async function registerDevice(
  db: Kysely<Database>,
  input: RegistrationInput,
  remoteAddress: string,
  addresses: AddressPolicy,
  now = new Date(),
): Promise<{ device: DeviceRow; created: boolean; previous: DeviceRow | undefined }> {
  return db.transaction().execute(async (trx) => {
    const registered = await recordRegistration(trx, input, remoteAddress, addresses, now);
    // The router itself made the change; its address is the request's.
    const registrar = { system: 'device-registration', address: remoteAddress };
    await recordDeviceAudit(
      trx,
      registrar,
      registered.previous
        ? { action: 'device.registered', previous: registered.previous, device: registered.device }
        : { action: 'device.registered', device: registered.device },
    );
    await linkInstalledFirmwareForDevice(trx, registered.device);
    if (!registered.created) await wakeWaitingUpgrades(trx, registered.device.id);
    return registered;
  });
}
