import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import type { AddressPolicy } from '../platform/address-policy.js';
import { AppError } from '../platform/errors.js';
import { checkRegistrationSecret } from '../modules/accounts/organization.service.js';
import { recordAudit, type SystemActor } from '../modules/audit/record-audit.js';
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
  try {
    return await registerInTransaction(db, input, remoteAddress, addresses, now);
  } catch (error) {
    if (error instanceof AppError && error.code === 'InvalidRegistrationSecret')
      await recordRefusedRegistration(db, input, remoteAddress);
    throw error;
  }
}

/**
 * A registration refused for its slug or secret, recorded like a failed login: in an insert of its
 * own (the refused change rolled back), under the organization when the slug names one, with the
 * reason and the router's address; never the secret that was tried.
 */
async function recordRefusedRegistration(db: Kysely<Database>, input: RegistrationInput, remoteAddress: string) {
  const { organization, refusal } = await checkRegistrationSecret(db, input.organization, input.secret);
  await recordAudit(db, registrar(remoteAddress), {
    action: 'device.registration_refused',
    organizationId: organization?.id ?? null,
    target: { type: 'device', id: null, label: input.macAddress },
    details: { reason: refusal ?? 'wrong_secret', mac_address: input.macAddress },
  });
}

/** The router itself makes the change; its address is the request's. */
function registrar(remoteAddress: string): SystemActor {
  return { system: 'device-registration', address: remoteAddress };
}

async function registerInTransaction(
  db: Kysely<Database>,
  input: RegistrationInput,
  remoteAddress: string,
  addresses: AddressPolicy,
  now: Date,
): Promise<{ device: DeviceRow; created: boolean; previous: DeviceRow | undefined }> {
  return db.transaction().execute(async (trx) => {
    const registered = await recordRegistration(trx, input, remoteAddress, addresses, now);
    await recordDeviceAudit(
      trx,
      registrar(remoteAddress),
      registered.previous
        ? { action: 'device.registered', previous: registered.previous, device: registered.device }
        : { action: 'device.registered', device: registered.device },
    );
    await linkInstalledFirmwareForDevice(trx, registered.device);
    if (!registered.created) await wakeWaitingUpgrades(trx, registered.device.id);
    return registered;
  });
}
