import type { Db } from '../../database.js';
import type { ImageRow, NewImageRow } from './firmware.table.js';
import { orderByTerms, type OrderingTerm } from '../../platform/db/ordering.js';

export const IMAGE_ORDERING = { type: 'type', created: 'created', modified: 'modified' } as const;
export type ImageOrdering = OrderingTerm<keyof typeof IMAGE_ORDERING>[];

function filtered(db: Db, buildId: string, filter: { type?: string | undefined }) {
  let query = db.selectFrom('firmwareImages').where('buildId', '=', buildId);
  if (filter.type !== undefined) query = query.where('type', '=', filter.type);
  return query;
}

export async function listImages(
  db: Db,
  buildId: string,
  filter: { type?: string | undefined },
  ordering: ImageOrdering,
  page: { limit: number; offset: number },
): Promise<ImageRow[]> {
  let query = filtered(db, buildId, filter).selectAll();
  query = orderByTerms(query, IMAGE_ORDERING, ordering);
  return query.orderBy('id').limit(page.limit).offset(page.offset).execute();
}

export async function countImages(db: Db, buildId: string, filter: { type?: string | undefined }): Promise<number> {
  const row = await filtered(db, buildId, filter)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return row.count;
}

export async function findImage(db: Db, buildId: string, imageId: string): Promise<ImageRow | undefined> {
  return db
    .selectFrom('firmwareImages')
    .selectAll()
    .where('buildId', '=', buildId)
    .where('id', '=', imageId)
    .executeTakeFirst();
}

export async function insertImage(db: Db, row: NewImageRow): Promise<ImageRow> {
  return db.insertInto('firmwareImages').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function deleteImage(db: Db, imageId: string): Promise<ImageRow | undefined> {
  return db.deleteFrom('firmwareImages').where('id', '=', imageId).returningAll().executeTakeFirst();
}

/** Type and label of each of a build's images. */
export async function listImageNamesOfBuild(
  db: Db,
  buildId: string,
): Promise<{ id: string; type: string; label: string }[]> {
  return db.selectFrom('firmwareImages').select(['id', 'type', 'label']).where('buildId', '=', buildId).execute();
}

export async function listImageIdsOfBuild(db: Db, buildId: string): Promise<string[]> {
  return (await db.selectFrom('firmwareImages').select('id').where('buildId', '=', buildId).execute()).map(
    (row) => row.id,
  );
}

export async function listImageIdsOfCategory(db: Db, categoryId: string): Promise<string[]> {
  return (
    await db
      .selectFrom('firmwareImages as i')
      .innerJoin('firmwareBuilds as b', 'b.id', 'i.buildId')
      .select('i.id')
      .where('b.categoryId', '=', categoryId)
      .execute()
  ).map((row) => row.id);
}

/** Stored-file hashes of every image under a build or a category, collected before a cascading delete. */
export async function listImageHashesOfBuild(db: Db, buildId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('firmwareImages')
    .select('sha256')
    .distinct()
    .where('buildId', '=', buildId)
    .execute();
  return rows.map((row) => row.sha256);
}

export async function listImageHashesOfCategory(db: Db, categoryId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('firmwareImages as i')
    .innerJoin('firmwareBuilds as b', 'b.id', 'i.buildId')
    .select('i.sha256')
    .distinct()
    .where('b.categoryId', '=', categoryId)
    .execute();
  return rows.map((row) => row.sha256);
}

/** An image with the build facts upgrades need (what the device should run afterwards). */
export async function findImageWithBuild(db: Db, imageId: string) {
  return db
    .selectFrom('firmwareImages as i')
    .innerJoin('firmwareBuilds as b', 'b.id', 'i.buildId')
    .selectAll('i')
    .select(['b.version as buildVersion', 'b.os as buildOs', 'b.organizationId', 'b.categoryId'])
    .where('i.id', '=', imageId)
    .executeTakeFirst();
}

/** The build an image is being added to (os and organization), without an actor check. */
export async function findBuildOfImage(db: Db, buildId: string) {
  return db
    .selectFrom('firmwareBuilds')
    .select(['id', 'os', 'organizationId', 'categoryId', 'version'])
    .where('id', '=', buildId)
    .executeTakeFirst();
}

export async function findImageOfBuildByType(db: Db, buildId: string, type: string): Promise<ImageRow | undefined> {
  return db
    .selectFrom('firmwareImages')
    .selectAll()
    .where('buildId', '=', buildId)
    .where('type', '=', type)
    .executeTakeFirst();
}
