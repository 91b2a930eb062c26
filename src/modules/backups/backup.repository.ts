import { sql } from 'kysely';
import type { Db } from '../../database.js';
import type { DeviceBackupRow, NewDeviceBackupRow } from './backups.table.js';

/** Records a backup; undefined when the operation has one already (a later attempt of the same upgrade). */
export async function insertBackup(db: Db, row: NewDeviceBackupRow): Promise<DeviceBackupRow | undefined> {
  return db
    .insertInto('deviceBackups')
    .values(row)
    .onConflict((conflict) => conflict.column('operationId').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function findBackupById(db: Db, id: string): Promise<DeviceBackupRow | undefined> {
  return db.selectFrom('deviceBackups').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findBackupOfOperation(db: Db, operationId: string): Promise<DeviceBackupRow | undefined> {
  return db.selectFrom('deviceBackups').selectAll().where('operationId', '=', operationId).executeTakeFirst();
}

export async function findDeviceBackup(db: Db, deviceId: string, id: string): Promise<DeviceBackupRow | undefined> {
  return db
    .selectFrom('deviceBackups')
    .selectAll()
    .where('deviceId', '=', deviceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function countDeviceBackups(db: Db, deviceId: string): Promise<number> {
  const row = await db
    .selectFrom('deviceBackups')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('deviceId', '=', deviceId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** A page of the device's backups, newest first. */
export async function listDeviceBackups(
  db: Db,
  deviceId: string,
  page: { limit: number; offset: number },
): Promise<DeviceBackupRow[]> {
  return db
    .selectFrom('deviceBackups')
    .selectAll()
    .where('deviceId', '=', deviceId)
    .orderBy('created', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** The stored files of the device's backups (before the device is deleted, to release them after). */
export async function listDeviceBackupHashes(db: Db, deviceId: string): Promise<string[]> {
  const rows = await db.selectFrom('deviceBackups').select('sha256').where('deviceId', '=', deviceId).execute();
  return rows.map((row) => row.sha256);
}

/**
 * Deletes the backups past the retention: beyond the newest `keepPerDevice` of each device, or
 * created before `createdBefore` (null: no age limit), except one a pending or running restore is about
 * to put back (it goes in a later run). At most `limit` rows per call, so one run never holds a huge
 * delete; returns the deleted rows' stored files.
 */
export async function deleteBackupsPastRetention(
  db: Db,
  options: { keepPerDevice: number; createdBefore: Date | null; limit: number },
): Promise<string[]> {
  const { rows } = await sql<{ sha256: string }>`
    WITH ranked AS (
      SELECT id, created, row_number() OVER (PARTITION BY device_id ORDER BY created DESC, id DESC) AS rank
      FROM device_backups
    ), doomed AS (
      SELECT id FROM ranked
      WHERE (rank > ${options.keepPerDevice}
          OR (${options.createdBefore}::timestamptz IS NOT NULL AND created < ${options.createdBefore}::timestamptz))
        AND NOT EXISTS (
          SELECT 1 FROM upgrade_operations o
          WHERE o.backup_id = ranked.id AND o.status IN ('pending', 'in-progress')
        )
      LIMIT ${options.limit}
    )
    DELETE FROM device_backups b USING doomed WHERE b.id = doomed.id
    RETURNING b.sha256`.execute(db);
  return rows.map((row) => row.sha256);
}
