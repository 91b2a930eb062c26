import type { Db } from '../database.js';
import { type Actor, readableOrganizationIds } from '../modules/accounts/actor.js';
import {
  countDevicesRunningImages,
  countImagesAndDevicesOfBuilds,
} from '../modules/upgrades/device-firmware.repository.js';

/**
 * How much a page of builds or images is used: images per build, devices that run each (the ones
 * the actor can see: a shared build is run by devices of many organizations). It reads the
 * firmware catalog and the upgrades' record of what devices run, so it sits above both. One
 * aggregate query per page, never one per row.
 */

export interface BuildUsage {
  imageCount: number;
  deviceCount: number;
}

/** Each build with its `imageCount` and `deviceCount`. */
export async function withBuildUsage<T extends { id: string }>(
  db: Db,
  actor: Actor,
  builds: readonly T[],
): Promise<(T & BuildUsage)[]> {
  const counts = await countImagesAndDevicesOfBuilds(
    db,
    builds.map((build) => build.id),
    readableOrganizationIds(actor),
  );
  const byBuild = new Map(counts.map((row) => [row.buildId, row]));
  return builds.map((build) => ({
    ...build,
    imageCount: Number(byBuild.get(build.id)?.images ?? 0),
    deviceCount: Number(byBuild.get(build.id)?.devices ?? 0),
  }));
}

/** Each image with its `deviceCount`. */
export async function withImageUsage<T extends { id: string }>(
  db: Db,
  actor: Actor,
  images: readonly T[],
): Promise<(T & { deviceCount: number })[]> {
  const counts = await countDevicesRunningImages(
    db,
    images.map((image) => image.id),
    readableOrganizationIds(actor),
  );
  const byImage = new Map(counts.map((row) => [row.imageId, Number(row.devices)]));
  return images.map((image) => ({ ...image, deviceCount: byImage.get(image.id) ?? 0 }));
}
