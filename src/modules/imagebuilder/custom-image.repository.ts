import { sql } from 'kysely';
import type { Db } from '../../database.js';
import type { CustomImageRow } from './imagebuilder.table.js';

/**
 * Board and target of every device whose current firmware is a build of the category (target from the image metadata,
 * else its type).
 */
export async function findFleetBoardsOfCategory(db: Db, categoryId: string, organizationId: string | null) {
  let query = db
    .selectFrom('devices as d')
    .innerJoin('deviceFirmwares as df', 'df.deviceId', 'd.id')
    .innerJoin('firmwareImages as i', 'i.id', 'df.imageId')
    .innerJoin('firmwareBuilds as b', 'b.id', 'i.buildId')
    .select([
      'd.boardName',
      sql<string | null>`coalesce(
        i.metadata->'version'->>'target',
        nullif(split_part(i.type, '-', 1) || '/' || split_part(i.type, '-', 2), '/')
      )`.as('target'),
      (eb) => eb.fn.countAll<number>().as('devices'),
    ])
    .where('b.categoryId', '=', categoryId)
    .where('d.boardName', '<>', '')
    .groupBy(['d.boardName', sql`2`]);
  if (organizationId !== null) query = query.where('d.organizationId', '=', organizationId);
  return query.orderBy('d.boardName').execute();
}

export async function insertCustomImages(
  db: Db,
  rows: { buildId: string; requestHash: string; target: string; profile: string; boards: string[] }[],
): Promise<CustomImageRow[]> {
  if (rows.length === 0) return [];
  return db
    .insertInto('firmwareCustomImages')
    .values(rows.map((row) => ({ ...row, status: 'building' as const })))
    .returningAll()
    .execute();
}

export async function listCustomImagesOfBuild(db: Db, buildId: string): Promise<CustomImageRow[]> {
  return db
    .selectFrom('firmwareCustomImages')
    .selectAll()
    .where('buildId', '=', buildId)
    .orderBy('created', 'desc')
    .orderBy('profile')
    .execute();
}

export async function findCustomImagesByIds(db: Db, ids: string[]): Promise<CustomImageRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('firmwareCustomImages')
    .selectAll()
    .where('id', 'in', ids)
    .orderBy('created', 'desc')
    .orderBy('profile')
    .execute();
}

export async function findPendingOfHash(db: Db, requestHash: string): Promise<CustomImageRow[]> {
  return db
    .selectFrom('firmwareCustomImages')
    .selectAll()
    .where('requestHash', '=', requestHash)
    .where('status', '=', 'building')
    .execute();
}

export async function markAttached(db: Db, id: string, imageId: string): Promise<void> {
  await db
    .updateTable('firmwareCustomImages')
    .set({ status: 'attached', imageId, detail: '', modified: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export async function markFailed(db: Db, id: string, detail: string): Promise<void> {
  await db
    .updateTable('firmwareCustomImages')
    .set({ status: 'failed', detail, modified: sql`now()` })
    .where('id', '=', id)
    .where('status', '=', 'building')
    .execute();
}
