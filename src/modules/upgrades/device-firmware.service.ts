import type { Kysely } from 'kysely';
import type { Database, Db } from '../../database.js';
import { AppError, invalidReference } from '../../platform/errors.js';
import { type Actor, assertCanWrite } from '../accounts/actor.js';
import { getDevice } from '../devices/device.service.js';
import type { DeviceRow } from '../devices/devices.table.js';
import { findVisibleImage, type ImageWithBuild } from '../firmware/image.service.js';
import type { BackupMode } from '../upgraders/backup-modes.js';
import type { UpgraderRegistry } from '../upgraders/registry.js';
import * as deviceFirmwareRepository from './device-firmware.repository.js';
import { findActiveOperationForDevice, findLatestOperationForDevice } from './operation.repository.js';
import { healthCheckForUpgrade } from './upgrade-health-check.js';
import { createOperation } from './operation.service.js';
import { assertUpgradeAllowed, imageFitsDevice } from './upgrade-preconditions.js';
import type { DeviceFirmwareRow, OperationRow } from './upgrades.table.js';
import { recordUpgradeAudit } from './upgrade-audit.js';
import { recordAudit } from '../audit/record-audit.js';
import { inTransaction } from '../../platform/db/in-transaction.js';

/**
 * Which image a device runs, and the seed's rule against accidental repeated upgrades: setting a
 * new image (or marking the current one not installed) starts exactly one upgrade; setting the
 * image that is already installed does nothing.
 */

export interface DeviceFirmwareView {
  record: DeviceFirmwareRow;
  latestOperation: OperationRow | undefined;
}

export async function getDeviceFirmware(db: Db, actor: Actor, deviceId: string): Promise<DeviceFirmwareView> {
  await getDevice(db, actor, deviceId);
  const record = await deviceFirmwareRepository.findDeviceFirmware(db, deviceId);
  if (!record)
    throw new AppError(
      'DeviceFirmwareNotFound',
      'The device has no firmware record yet: PUT {"image": "<id>"} to upgrade it, or {"image": "<id>", ' +
        '"installed": true} to record what it runs.',
    );
  return { record, latestOperation: await findLatestOperationForDevice(db, deviceId) };
}

export interface SetFirmwareInput {
  image: string;
  /** true: only record that the device runs this image. false: upgrade even if it is recorded as installed. */
  installed?: boolean | undefined;
  upgradeOptions?: Record<string, unknown> | undefined;
  /** Start regardless of the device's maintenance window. */
  ignoreMaintenanceWindow?: boolean | undefined;
  /** The upgrade's backup option (default `required`). */
  backup?: BackupMode | undefined;
  /** A health check id, null for none; undefined: the category's default. */
  healthCheck?: string | null | undefined;
}

export interface SetFirmwareResult {
  record: DeviceFirmwareRow;
  created: boolean;
  /** The upgrade started by this request, if any. */
  operation: OperationRow | undefined;
}

export async function setDeviceFirmware(
  db: Kysely<Database>,
  actor: Actor,
  registry: UpgraderRegistry,
  deviceId: string,
  input: SetFirmwareInput,
): Promise<SetFirmwareResult> {
  const device = await getDevice(db, actor, deviceId);
  assertCanWrite(actor, device.organizationId, "the device's firmware");
  const existing = await deviceFirmwareRepository.findDeviceFirmware(db, deviceId);

  if (input.installed === true) {
    // Recording what the device runs: no upgrade, but the image must still be one that fits it.
    const image = await requireFittingImage(db, actor, device, input.image);
    const record = await db.transaction().execute(async (trx) => {
      const upserted = await deviceFirmwareRepository.upsertDeviceFirmware(trx, deviceId, image.id, true);
      await recordAudit(trx, actor, {
        action: 'device.firmware_set',
        organizationId: device.organizationId,
        target: { type: 'device', id: device.id, label: device.name },
        details: { image: image.id, build_version: image.buildVersion, installed: true },
      });
      return upserted;
    });
    return { record, created: !existing, operation: undefined };
  }
  const unchanged = existing && existing.imageId === input.image && existing.installed && input.installed === undefined;
  if (unchanged) return { record: existing, created: false, operation: undefined };

  return db.transaction().execute(async (trx) => {
    const { image, options } = await assertUpgradeAllowed(trx, actor, registry, {
      deviceId,
      imageId: input.image,
      options: input.upgradeOptions ?? {},
    });
    const healthCheck = await healthCheckForUpgrade(trx, actor, {
      choice: input.healthCheck,
      categoryId: image.categoryId,
      organizationId: device.organizationId,
    });
    const record = await deviceFirmwareRepository.upsertDeviceFirmware(trx, deviceId, image.id, false);
    const operation = await createOperation(trx, {
      deviceId,
      imageId: image.id,
      imageSha256: image.sha256,
      options,
      createdBy: actor.userId,
      reinstall: input.installed === false,
      ignoreMaintenanceWindow: input.ignoreMaintenanceWindow ?? false,
      backupMode: input.backup,
      healthCheck,
    });
    await recordUpgradeAudit(
      trx,
      actor,
      'upgrade.started',
      { operationId: operation.id, organizationId: device.organizationId, deviceId, deviceName: device.name },
      {
        ...{ image: image.id, build_version: image.buildVersion, options },
        ...{ reinstall: input.installed === false, backup: operation.backupMode },
        ...(input.ignoreMaintenanceWindow ? { ignore_maintenance_window: true } : {}),
        health_check: healthCheck?.id ?? null,
      },
    );
    return { record, created: !existing, operation };
  });
}

async function requireFittingImage(db: Db, actor: Actor, device: DeviceRow, imageId: string): Promise<ImageWithBuild> {
  const image = await findVisibleImage(db, actor, imageId);
  if (!image) throw invalidReference('image', `Image ${imageId} does not exist or is not visible to you.`);
  if (
    (image.organizationId !== null && image.organizationId !== device.organizationId) ||
    !imageFitsDevice(image, device)
  ) {
    throw new AppError(
      'ImageDoesNotFit',
      `The image (for ${image.boards.join(', ')}) does not fit the device (board "${device.boardName}", model ` +
        `"${device.model}") or belongs to another organization.`,
      { image: 'does not fit the device' },
    );
  }
  return image;
}

export async function deleteDeviceFirmware(db: Db, actor: Actor, deviceId: string): Promise<void> {
  const device = await getDevice(db, actor, deviceId);
  assertCanWrite(actor, device.organizationId, "the device's firmware");
  await inTransaction(db, async (trx) => {
    if (!(await deviceFirmwareRepository.deleteDeviceFirmware(trx, deviceId))) {
      throw new AppError('DeviceFirmwareNotFound', 'The device has no firmware record.');
    }
    await recordAudit(trx, actor, {
      action: 'device.firmware_cleared',
      organizationId: device.organizationId,
      target: { type: 'device', id: device.id, label: device.name },
    });
  });
}

/**
 * Records, without any upgrade, that a device runs an image: the device's OS string equals a
 * build's OS identifier and its board fits an image of that build. Called when a device is
 * created, registers or changes. A device with an upgrade going on is left alone.
 */
export async function linkInstalledFirmwareForDevice(db: Db, device: DeviceRow): Promise<boolean> {
  const image = await deviceFirmwareRepository.findImageForRunningOs(db, device);
  if (!image) return false;
  const current = await deviceFirmwareRepository.findDeviceFirmware(db, device.id);
  if (current?.imageId === image.id && current.installed) return false;
  if (await findActiveOperationForDevice(db, device.id)) return false;
  await deviceFirmwareRepository.upsertDeviceFirmware(db, device.id, image.id, true);
  return true;
}

/** The same when an image is uploaded: every device running its build's OS on a fitting board. */
export async function linkInstalledFirmwareForImage(
  db: Db,
  image: { id: string; boards: string[] },
  build: { os: string | null; organizationId: string | null },
): Promise<number> {
  if (!build.os) return 0;
  const devices = await deviceFirmwareRepository.findDevicesRunningImage(db, image, {
    os: build.os,
    organizationId: build.organizationId,
  });
  return deviceFirmwareRepository.linkInstalled(
    db,
    devices.map((device) => device.id),
    image.id,
  );
}
