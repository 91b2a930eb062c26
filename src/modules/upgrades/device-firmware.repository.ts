import { sql } from 'kysely';
import type { Db } from '../../database.js';
import type { DeviceFirmwareRow } from './upgrades.table.js';
import {
  inOrganizationScope,
  type OrganizationScope,
  organizationScopeSql,
} from '../../platform/db/organization-scope.js';

export async function findDeviceFirmware(db: Db, deviceId: string): Promise<DeviceFirmwareRow | undefined> {
  return db.selectFrom('deviceFirmwares').selectAll().where('deviceId', '=', deviceId).executeTakeFirst();
}

/**
 * The version of the build the device's firmware record names (installed or not, as a mass upgrade's plan
 * reads it): what the device runs when its OS string says nothing usable.
 */
export async function findFirmwareBuildVersion(db: Db, deviceId: string): Promise<string | null> {
  const row = await db
    .selectFrom('deviceFirmwares as f')
    .innerJoin('firmwareImages as i', 'i.id', 'f.imageId')
    .innerJoin('firmwareBuilds as b', 'b.id', 'i.buildId')
    .select('b.version')
    .where('f.deviceId', '=', deviceId)
    .executeTakeFirst();
  return row?.version ?? null;
}

export async function upsertDeviceFirmware(
  db: Db,
  deviceId: string,
  imageId: string,
  installed: boolean,
): Promise<DeviceFirmwareRow> {
  return db
    .insertInto('deviceFirmwares')
    .values({ deviceId, imageId, installed })
    .onConflict((oc) => oc.column('deviceId').doUpdateSet({ imageId, installed, modified: new Date() }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteDeviceFirmware(db: Db, deviceId: string): Promise<boolean> {
  const result = await db.deleteFrom('deviceFirmwares').where('deviceId', '=', deviceId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/**
 * The image a device runs according to its OS string: an image of a build whose OS identifier
 * equals it (the device's organization's builds first, then shared ones) that fits the device's
 * board or model.
 */
export async function findImageForRunningOs(
  db: Db,
  device: { organizationId: string; os: string; boardName: string; model: string },
): Promise<{ id: string } | undefined> {
  const boards = [device.boardName, device.model].filter((value) => value !== '');
  if (device.os === '' || boards.length === 0) return undefined;
  return db
    .selectFrom('firmwareImages as i')
    .innerJoin('firmwareBuilds as b', 'b.id', 'i.buildId')
    .select('i.id')
    .where('b.os', '=', device.os)
    .where((eb) => inOrganizationScope(eb, 'b.organizationId', [device.organizationId], { shared: true }))
    .where(sql<boolean>`i.boards && ${sql.val(boards)}::text[]`)
    .orderBy(sql`b.organization_id IS NULL`)
    .orderBy('i.created', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Devices that run a given image according to their OS string and board, have no upgrade going on,
 * and are not linked to it as installed yet.
 */
export async function findDevicesRunningImage(
  db: Db,
  image: { id: string; boards: string[] },
  build: { os: string; organizationId: string | null },
) {
  let query = db
    .selectFrom('devices as d')
    .leftJoin('deviceFirmwares as f', 'f.deviceId', 'd.id')
    .select(['d.id'])
    .where('d.os', '=', build.os)
    .where((eb) =>
      eb.or([
        eb('d.boardName', 'in', image.boards.length ? image.boards : ['']),
        eb('d.model', 'in', image.boards.length ? image.boards : ['']),
      ]),
    )
    .where((eb) =>
      eb.or([eb('f.deviceId', 'is', null), eb('f.imageId', '!=', image.id), eb('f.installed', '=', false)]),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('upgradeOperations as o')
            .select('o.id')
            .whereRef('o.deviceId', '=', 'd.id')
            .where('o.status', 'in', ['pending', 'in-progress']),
        ),
      ),
    );
  if (build.organizationId !== null) query = query.where('d.organizationId', '=', build.organizationId);
  return query.execute();
}

export async function linkInstalled(db: Db, deviceIds: string[], imageId: string): Promise<number> {
  if (deviceIds.length === 0) return 0;
  const result = await db
    .insertInto('deviceFirmwares')
    .values(deviceIds.map((deviceId) => ({ deviceId, imageId, installed: true })))
    .onConflict((oc) => oc.column('deviceId').doUpdateSet({ imageId, installed: true, modified: new Date() }))
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n);
}

/**
 * Per build of `buildIds`: how many images it has and how many devices of `deviceScope` run one of
 * them (recorded as installed). One aggregate query for a whole page of builds; builds without
 * images are absent from the answer.
 */
export async function countImagesAndDevicesOfBuilds(
  db: Db,
  buildIds: readonly string[],
  deviceScope: OrganizationScope,
): Promise<{ buildId: string; images: number; devices: number }[]> {
  if (buildIds.length === 0) return [];
  return db
    .selectFrom('firmwareImages as i')
    .leftJoin('deviceFirmwares as f', (join) => join.onRef('f.imageId', '=', 'i.id').on('f.installed', '=', true))
    .leftJoin('devices as d', (join) =>
      join.onRef('d.id', '=', 'f.deviceId').on(organizationScopeSql('d.organization_id', deviceScope)),
    )
    .where('i.buildId', 'in', [...buildIds])
    .groupBy('i.buildId')
    .select((eb) => [
      'i.buildId',
      eb.fn.count<number>('i.id').distinct().as('images'),
      eb.fn.count<number>('d.id').as('devices'),
    ])
    .execute();
}

/** Per image of `imageIds`: how many devices of `deviceScope` run it (recorded as installed). One query. */
export async function countDevicesRunningImages(
  db: Db,
  imageIds: readonly string[],
  deviceScope: OrganizationScope,
): Promise<{ imageId: string; devices: number }[]> {
  if (imageIds.length === 0) return [];
  return db
    .selectFrom('deviceFirmwares as f')
    .innerJoin('devices as d', 'd.id', 'f.deviceId')
    .where('f.imageId', 'in', [...imageIds])
    .where('f.installed', '=', true)
    .where((eb) => inOrganizationScope(eb, 'd.organizationId', deviceScope))
    .groupBy('f.imageId')
    .select((eb) => ['f.imageId', eb.fn.countAll<number>().as('devices')])
    .execute();
}
