import type { Actor } from '../modules/accounts/actor.js';
import { getDevice } from '../modules/devices/device.service.js';
import * as imageFitRepository from '../modules/firmware/image-fit.repository.js';
import type { Db } from '../database.js';
import { findFirmwareBuildVersion } from '../modules/upgrades/device-firmware.repository.js';
import { deviceRelease, isDowngrade, releaseOf } from '../modules/upgrades/openwrt-version.js';

/**
 * The images a device may be upgraded to: those built for its board, of its organization's builds
 * or shared ones, newest build first, each saying whether it would take the device back to an older
 * OpenWrt release. A device the actor cannot read is not found (404). It reads
 * two modules, devices then firmware, so it sits above both.
 */
export async function listFittingImages(
  db: Db,
  actor: Actor,
  deviceId: string,
  page: { limit: number; offset: number },
) {
  const device = await getDevice(db, actor, deviceId);
  const target = { boardName: device.boardName, model: device.model, organizationId: device.organizationId };
  const [rows, count, firmwareBuildVersion] = await Promise.all([
    imageFitRepository.listImagesFittingDevice(db, target, page),
    imageFitRepository.countImagesFittingDevice(db, target),
    findFirmwareBuildVersion(db, device.id),
  ]);
  // Going back to an older release is the device's concern, not the catalog's: judged here, by the same
  // rule as a mass upgrade's plan (deviceRelease), so the confirmation of a single upgrade can warn about it.
  const current = deviceRelease(device.os, firmwareBuildVersion);
  return {
    rows: rows.map((row) => ({ ...row, downgrade: isDowngrade(current, releaseOf(row.buildOs, row.buildVersion)) })),
    count,
  };
}
