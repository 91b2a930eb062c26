import type { Db } from '../../database.js';
import { invalid, notFound } from '../../platform/errors.js';
import { type Actor, assertCanWrite, canRead, owningOrganizationId } from '../accounts/actor.js';
import { verifyRegistrationSecret } from '../accounts/organization.service.js';
import type { AddressPolicy } from '../../platform/address-policy.js';
import { assertCredentialsUsableBy } from './credentials.service.js';
import { assertDeviceAddressAllowed, assertRegistrationAddressAllowed } from './device-address.js';
import { inTransaction } from '../../platform/db/in-transaction.js';
import { recordAudit } from '../audit/record-audit.js';
import * as deviceRepository from './device.repository.js';
import type { DeviceRow } from './devices.table.js';

/** aa:bb:cc:dd:ee:ff from "AA-BB-CC-DD-EE-FF", "aabb.ccdd.eeff", "AABBCCDDEEFF"…; null when it is not a MAC address. */
export function normalizeMac(input: string): string | null {
  const hex = input
    .trim()
    .toLowerCase()
    .replace(/[^0-9a-f]/g, '');
  if (hex.length !== 12 || !/^[0-9a-f:.\-\s]+$/i.test(input.trim())) return null;
  return hex.match(/../g)!.join(':');
}

function requireMac(input: string): string {
  const mac = normalizeMac(input);
  if (!mac)
    throw invalid(`"${input}" is not a MAC address: use six hex pairs such as 00:11:22:33:44:55.`, {
      mac_address: 'not a MAC address',
    });
  return mac;
}

/** The device if the actor's organizations include it; 404 otherwise. */
export async function getDevice(db: Db, actor: Actor, id: string): Promise<DeviceRow> {
  const row = await deviceRepository.findDeviceById(db, id);
  if (!row || !canRead(actor, row.organizationId)) throw notFound('device', id);
  return row;
}

/** For background work that acts on behalf of the system (the upgrade worker). */
export async function findDevice(db: Db, id: string): Promise<DeviceRow | undefined> {
  return deviceRepository.findDeviceById(db, id);
}

export interface DeviceInput {
  organization?: string | undefined;
  name: string;
  macAddress: string;
  model?: string | undefined;
  boardName?: string | undefined;
  os?: string | undefined;
  managementIp?: string | null | undefined;
  sshPort?: number | undefined;
  group?: string | undefined;
  location?: string | undefined;
  isActive?: boolean | undefined;
  credentials?: string | null | undefined;
}

/**
 * Adds a device; a literal IP address must pass the network rule (`addresses`), else 400 and nothing is stored.
 * (src/use-cases/create-device.ts adds what the device runs.)
 */
export async function addDevice(
  db: Db,
  actor: Actor,
  input: DeviceInput,
  addresses: AddressPolicy,
): Promise<DeviceRow> {
  const organizationId = owningOrganizationId(actor, input.organization, 'device');
  assertCanWrite(actor, organizationId, 'devices');
  assertDeviceAddressAllowed(addresses, input.managementIp);
  if (input.credentials) await assertCredentialsUsableBy(db, input.credentials, organizationId);
  const device = await deviceRepository.insertDevice(db, {
    organizationId,
    name: input.name.trim(),
    macAddress: requireMac(input.macAddress),
    model: input.model ?? '',
    boardName: input.boardName ?? '',
    os: input.os ?? '',
    managementIp: input.managementIp ?? null,
    sshPort: input.sshPort ?? 22,
    groupName: input.group ?? '',
    location: input.location ?? '',
    isActive: input.isActive ?? true,
    credentialsId: input.credentials ?? null,
  });
  return device;
}

/** A device before and after a change. */
export interface DeviceChange {
  previous: DeviceRow;
  device: DeviceRow;
}

/** What of a change concerns other modules: what the device runs, and where it is reached. */
export function changedFacts(change: DeviceChange): { firmware: boolean; address: boolean } {
  const { previous, device } = change;
  return {
    firmware: device.os !== previous.os || device.boardName !== previous.boardName || device.model !== previous.model,
    address: device.managementIp !== previous.managementIp || device.sshPort !== previous.sshPort,
  };
}

/**
 * Changes a device; a new literal IP address must pass the network rule (`addresses`).
 * (src/use-cases/update-device.ts adds what follows for firmware and upgrades.)
 */
export async function changeDevice(
  db: Db,
  actor: Actor,
  id: string,
  changes: Partial<DeviceInput>,
  addresses: AddressPolicy,
): Promise<DeviceChange> {
  const current = await getDevice(db, actor, id);
  assertCanWrite(actor, current.organizationId, 'devices');
  assertDeviceAddressAllowed(addresses, changes.managementIp);
  if (changes.organization !== undefined && changes.organization !== current.organizationId) {
    throw invalid('A device cannot move to another organization: delete it and register it there.', {
      organization: 'cannot be changed',
    });
  }
  if (changes.credentials) await assertCredentialsUsableBy(db, changes.credentials, current.organizationId);
  const row = await deviceRepository.updateDevice(db, id, {
    ...(changes.name !== undefined ? { name: changes.name.trim() } : {}),
    ...(changes.macAddress !== undefined ? { macAddress: requireMac(changes.macAddress) } : {}),
    ...(changes.model !== undefined ? { model: changes.model } : {}),
    ...(changes.boardName !== undefined ? { boardName: changes.boardName } : {}),
    ...(changes.os !== undefined ? { os: changes.os } : {}),
    ...(changes.managementIp !== undefined ? { managementIp: changes.managementIp } : {}),
    ...(changes.sshPort !== undefined ? { sshPort: changes.sshPort } : {}),
    ...(changes.group !== undefined ? { groupName: changes.group } : {}),
    ...(changes.location !== undefined ? { location: changes.location } : {}),
    ...(changes.isActive !== undefined ? { isActive: changes.isActive } : {}),
    ...(changes.credentials !== undefined ? { credentialsId: changes.credentials } : {}),
  });
  if (!row) throw notFound('device', id);
  return { previous: current, device: row };
}

/** The device, if the actor may change or delete it (404 if not visible, 403 if read-only). */
export async function getWritableDevice(db: Db, actor: Actor, id: string): Promise<DeviceRow> {
  const current = await getDevice(db, actor, id);
  assertCanWrite(actor, current.organizationId, 'devices');
  return current;
}

/** Deletes the device row (src/use-cases/delete-device.ts checks first that no upgrade runs). */
export async function removeDevice(db: Db, id: string): Promise<void> {
  await deviceRepository.deleteDevice(db, id);
}

/** Forget the pinned host key: the next connection pins whatever key the device presents. */
export async function resetHostKey(db: Db, actor: Actor, id: string): Promise<DeviceRow> {
  const current = await getDevice(db, actor, id);
  assertCanWrite(actor, current.organizationId, 'devices');
  await inTransaction(db, async (trx) => {
    await deviceRepository.setHostKey(trx, id, null);
    await recordAudit(trx, actor, {
      action: 'device.host_key_reset',
      organizationId: current.organizationId,
      target: { type: 'device', id, label: current.name },
      details: { previous_host_key: current.sshHostKey },
    });
  });
  return { ...current, sshHostKey: null };
}

export interface RegistrationInput {
  organization: string;
  secret: string;
  macAddress: string;
  name?: string | undefined;
  model?: string | undefined;
  boardName?: string | undefined;
  os?: string | undefined;
  managementIp?: string | undefined;
  sshPort?: number | undefined;
  /**
   * An enrollment of the pull agent: the device is managed by its agent from now on. The request's
   * address is not the device's (it sits behind NAT) and is neither checked nor recorded.
   */
  agent?: { version: string; bootId: string; release: string } | undefined;
}

/**
 * A router or agent announces itself with its organization's registration secret: the device is
 * created, or found by MAC address and updated (OS, model, board, address, last seen). Returns the
 * device and whether it is new. The address (given, or the request's) must pass the network rule.
 * (src/use-cases/register-device.ts adds what follows for firmware and upgrades.)
 */
export async function recordRegistration(
  db: Db,
  input: RegistrationInput,
  remoteAddress: string,
  addresses: AddressPolicy,
  now = new Date(),
): Promise<{ device: DeviceRow; created: boolean; previous: DeviceRow | undefined }> {
  const organization = await verifyRegistrationSecret(db, input.organization, input.secret);
  const macAddress = requireMac(input.macAddress);
  if (!input.agent) assertRegistrationAddressAllowed(addresses, input.managementIp, remoteAddress);
  const reported = {
    ...(input.model !== undefined ? { model: input.model } : {}),
    ...(input.boardName !== undefined ? { boardName: input.boardName } : {}),
    ...(input.os !== undefined ? { os: input.os } : {}),
    ...(input.sshPort !== undefined ? { sshPort: input.sshPort } : {}),
    ...(input.agent
      ? {
          management: 'agent' as const,
          agentVersion: input.agent.version,
          agentBootId: input.agent.bootId,
          agentRelease: input.agent.release,
          agentLastPollAt: now,
        }
      : { managementIp: input.managementIp ?? remoteAddress }),
    lastSeen: now,
  };
  const existing = await deviceRepository.findDeviceByMac(db, organization.id, macAddress);
  let device: DeviceRow;
  let created = false;
  if (existing) {
    device = (await deviceRepository.updateDevice(db, existing.id, {
      ...reported,
      ...(input.name ? { name: input.name } : {}),
    }))!;
  } else {
    device = await deviceRepository.insertDevice(db, {
      organizationId: organization.id,
      macAddress,
      name: input.name?.trim() || macAddress,
      ...reported,
    });
    created = true;
  }
  return { device, created, previous: existing };
}

/** Pins the host key seen on a connection (replacing an older pin only when told to: after `sysupgrade -n`). */
export async function recordHostKey(db: Db, deviceId: string, fingerprint: string, replace: boolean): Promise<void> {
  if (replace) await deviceRepository.setHostKey(db, deviceId, fingerprint);
  else await deviceRepository.pinHostKeyIfUnset(db, deviceId, fingerprint);
}

/**
 * A successful SSH connection to the device (an upgrade's checks, or its proof of boot): it was just
 * seen, which the fleet view's "reachable" reads.
 */
export async function recordDeviceContact(db: Db, deviceId: string, at = new Date()): Promise<void> {
  await deviceRepository.touchDevice(db, deviceId, at);
}

/** After a successful upgrade: the OS string the device now reports, and that it was just seen. */
export async function recordDeviceSeen(
  db: Db,
  deviceId: string,
  os: string | undefined,
  at = new Date(),
): Promise<void> {
  await deviceRepository.updateDevice(db, deviceId, { lastSeen: at, ...(os ? { os } : {}) });
}
