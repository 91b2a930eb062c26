import type { Db } from '../../database.js';
import { AppError, invalidReference } from '../../platform/errors.js';
import { type Actor, assertCanWrite } from '../accounts/actor.js';
import { findEffectiveCredentials } from '../devices/credentials.service.js';
import { getDevice } from '../devices/device.service.js';
import type { DeviceRow } from '../devices/devices.table.js';
import { agentRestoresAndProbes, agentTooOld } from '../agent/agent-features.js';
import { boardFits } from '../firmware/board-match.js';
import { findVisibleImage, type ImageWithBuild } from '../firmware/image.service.js';
import type { UpgraderRegistry } from '../upgraders/registry.js';
import type { Upgrader } from '../upgraders/upgrader.js';
import { findActiveOperationForDevice } from './operation.repository.js';

/**
 * The checks a configuration restore must pass before it is queued (the caller checked who may write
 * the device and that the backup is the device's): active, credentials, an upgrader that can restore,
 * no other operation running.
 */
export async function assertRestoreAllowed(db: Db, registry: UpgraderRegistry, device: DeviceRow): Promise<void> {
  if (!device.isActive)
    throw new AppError(
      'DeviceDeactivated',
      'Restores are not allowed for deactivated devices: activate the device first.',
    );
  if (device.management !== 'agent' && !(await findEffectiveCredentials(db, device)))
    throw new AppError('NoCredentials', 'The device has no SSH credentials: give it credentials first.');
  const upgrader = registry.forDevice(device);
  if (device.management === 'agent' && !agentRestoresAndProbes(device.agentVersion))
    throw new AppError('NoUpgrader', agentTooOld(device.agentVersion, 'restore configuration backups'));
  if (!upgrader?.restore)
    throw new AppError(
      'NoUpgrader',
      `No upgrader that can restore configuration backups handles devices reporting the OS "${device.os}".`,
    );
  const active = await findActiveOperationForDevice(db, device.id);
  if (active) {
    throw new AppError(
      'UpgradeAlreadyRunning',
      `The device already has an operation ${active.status} (operation ${active.id}): wait for it, or cancel it first.`,
      { operation: active.id },
    );
  }
}

export interface UpgradeRequest {
  deviceId: string;
  imageId: string;
  options: Record<string, unknown>;
}

export interface AllowedUpgrade {
  device: DeviceRow;
  image: ImageWithBuild;
  upgrader: Upgrader;
  options: Record<string, boolean>;
}

/** Whether the image is built for the device (see boardFits). */
export function imageFitsDevice(image: { boards: string[] }, device: { boardName: string; model: string }): boolean {
  return boardFits(image.boards, device);
}

/**
 * Every check an upgrade must pass before it is queued, in the order a person fixes them, each
 * with an answer that says what to do: device visible and writable, image visible, same
 * organization (or shared), image fits the board, device active, credentials present, an upgrader
 * for the device's OS, valid options, no other upgrade running.
 */
export async function assertUpgradeAllowed(
  db: Db,
  actor: Actor,
  registry: UpgraderRegistry,
  request: UpgradeRequest,
): Promise<AllowedUpgrade> {
  const device = await getDevice(db, actor, request.deviceId);
  assertCanWrite(actor, device.organizationId, "the device's firmware");
  const image = await findVisibleImage(db, actor, request.imageId);
  if (!image) throw invalidReference('image', `Image ${request.imageId} does not exist or is not visible to you.`);
  if (image.organizationId !== null && image.organizationId !== device.organizationId) {
    throw new AppError(
      'ImageDoesNotFit',
      "The image belongs to another organization than the device: use an image of the device's organization or a " +
        'shared one.',
      { image: 'organization mismatch' },
    );
  }
  if (!imageFitsDevice(image, device)) {
    const reported =
      device.boardName || device.model
        ? `board "${device.boardName}"${device.model ? ` (model "${device.model}")` : ''}`
        : 'no board name';
    throw new AppError(
      'ImageDoesNotFit',
      `The image is built for ${image.boards.join(', ')}, but the device reports ${reported}. Choose the image of ` +
        `the device's model (or correct the device's board_name).`,
      { image: 'does not fit the device' },
    );
  }
  if (!device.isActive)
    throw new AppError(
      'DeviceDeactivated',
      'Firmware upgrades are not allowed for deactivated devices: activate the device first.',
    );
  // A device its pull agent manages is never connected to: it needs no SSH credentials.
  if (device.management !== 'agent' && !(await findEffectiveCredentials(db, device))) {
    throw new AppError(
      'NoCredentials',
      'The device has no SSH credentials: give it credentials, or set default credentials for its organization ' +
        '(POST /api/v1/credentials/ with "is_default": true).',
    );
  }
  const upgrader = registry.forDevice(device);
  if (!upgrader)
    throw new AppError(
      'NoUpgrader',
      `No upgrader handles devices reporting the OS "${device.os}": register a custom upgrader for it (setting ` +
        `"upgraders").`,
    );
  const options = upgrader.normalizeOptions(request.options);
  const active = await findActiveOperationForDevice(db, device.id);
  if (active) {
    throw new AppError(
      'UpgradeAlreadyRunning',
      `The device already has an upgrade ${active.status} (operation ${active.id}): wait for it, or cancel it first.`,
      { operation: active.id },
    );
  }
  return { device, image, upgrader, options };
}
