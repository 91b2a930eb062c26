import type { Actor } from '../modules/accounts/actor.js';
import { getDevice } from '../modules/devices/device.service.js';
import * as imageFitRepository from '../modules/firmware/image-fit.repository.js';
import type { Db } from '../database.js';

/**
 * The images a device may be upgraded to: those built for its board, of its organization's builds
 * or shared ones, newest build first. A device the actor cannot read is not found (404). It reads
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
  const [rows, count] = await Promise.all([
    imageFitRepository.listImagesFittingDevice(db, target, page),
    imageFitRepository.countImagesFittingDevice(db, target),
  ]);
  return { rows, count };
}
