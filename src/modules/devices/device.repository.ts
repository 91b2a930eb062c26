import type { Db } from '../../database.js';
import type { DeviceRow, DeviceUpdate, NewDeviceRow } from './devices.table.js';

export async function findDeviceById(db: Db, id: string): Promise<DeviceRow | undefined> {
  return db.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findDeviceByMac(
  db: Db,
  organizationId: string,
  macAddress: string,
): Promise<DeviceRow | undefined> {
  return db
    .selectFrom('devices')
    .selectAll()
    .where('organizationId', '=', organizationId)
    .where('macAddress', '=', macAddress)
    .executeTakeFirst();
}

export async function insertDevice(db: Db, row: NewDeviceRow): Promise<DeviceRow> {
  return db.insertInto('devices').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateDevice(db: Db, id: string, changes: DeviceUpdate): Promise<DeviceRow | undefined> {
  return db
    .updateTable('devices')
    .set({ ...changes, modified: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteDevice(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('devices').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Pins the host key only if none is pinned yet (two connections racing keep the first). */
export async function pinHostKeyIfUnset(db: Db, id: string, fingerprint: string): Promise<void> {
  await db
    .updateTable('devices')
    .set({ sshHostKey: fingerprint })
    .where('id', '=', id)
    .where('sshHostKey', 'is', null)
    .execute();
}

export async function setHostKey(db: Db, id: string, fingerprint: string | null): Promise<void> {
  await db.updateTable('devices').set({ sshHostKey: fingerprint, modified: new Date() }).where('id', '=', id).execute();
}

export async function touchDevice(db: Db, id: string, at: Date): Promise<void> {
  await db.updateTable('devices').set({ lastSeen: at }).where('id', '=', id).execute();
}
