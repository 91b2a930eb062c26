import type { Db } from '../../database.js';
import { containsPattern } from '../../platform/db/database.js';
import type { DeviceRow, DeviceUpdate, NewDeviceRow } from './devices.table.js';
import { orderByTerms, type OrderingTerm } from '../../platform/db/ordering.js';
import { inOrganizationScope } from '../../platform/db/organization-scope.js';

export interface DeviceFilter {
  /** Organizations whose devices are visible; null = all. */
  organizationIds: string[] | null;
  organizationId?: string | undefined;
  group?: string | undefined;
  location?: string | undefined;
  /** Case-insensitive part of the model ("archer c7" finds "TP-Link Archer C7 v2"). */
  model?: string | undefined;
  boardName?: string | undefined;
  /** Case-insensitive part of the OS string ("23.05.2" finds "OpenWrt 23.05.2 r23630-842932a63d"). */
  os?: string | undefined;
  isActive?: boolean | undefined;
  /** Case-insensitive match on name, MAC address or management address. */
  search?: string | undefined;
  /** Only these devices (a page of ids from elsewhere, e.g. a dry run). */
  ids?: string[] | undefined;
}

/** The fields the list sorts by (API name → column); ties are broken by id, so pages never overlap. */
export const DEVICE_ORDERING = {
  name: 'name',
  mac_address: 'macAddress',
  model: 'model',
  board_name: 'boardName',
  os: 'os',
  management_ip: 'managementIp',
  group: 'groupName',
  location: 'location',
  is_active: 'isActive',
  last_seen: 'lastSeen',
  created: 'created',
  modified: 'modified',
} as const;
export type DeviceOrdering = OrderingTerm<keyof typeof DEVICE_ORDERING>[];

function filtered(db: Db, filter: DeviceFilter) {
  let query = db.selectFrom('devices');
  query = query.where((eb) => inOrganizationScope(eb, 'organizationId', filter.organizationIds));
  if (filter.organizationId !== undefined) query = query.where('organizationId', '=', filter.organizationId);
  if (filter.group !== undefined) query = query.where('groupName', '=', filter.group);
  if (filter.location !== undefined) query = query.where('location', '=', filter.location);
  if (filter.model) query = query.where('model', 'ilike', containsPattern(filter.model));
  if (filter.boardName !== undefined) query = query.where('boardName', '=', filter.boardName);
  if (filter.os) query = query.where('os', 'ilike', containsPattern(filter.os));
  if (filter.isActive !== undefined) query = query.where('isActive', '=', filter.isActive);
  if (filter.ids !== undefined)
    query = filter.ids.length > 0 ? query.where('id', 'in', filter.ids) : query.where((eb) => eb.val(false));
  if (filter.search) {
    const pattern = containsPattern(filter.search);
    query = query.where((eb) =>
      eb.or([eb('name', 'ilike', pattern), eb('macAddress', 'ilike', pattern), eb('managementIp', 'ilike', pattern)]),
    );
  }
  return query;
}

export async function listDevices(
  db: Db,
  filter: DeviceFilter,
  ordering: DeviceOrdering,
  page: { limit: number; offset: number },
): Promise<DeviceRow[]> {
  let query = filtered(db, filter).selectAll();
  query = orderByTerms(query, DEVICE_ORDERING, ordering);
  return query.orderBy('id').limit(page.limit).offset(page.offset).execute();
}

export async function countDevices(db: Db, filter: DeviceFilter): Promise<number> {
  const row = await filtered(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return row.count;
}

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

/** Devices per firmware (OS string) and per model, for the dashboard. */
export async function summariseDevices(
  db: Db,
  scope: { organizationIds: string[] | null; organizationId?: string | undefined },
) {
  const base = () => {
    let query = db.selectFrom('devices');
    query = query.where((eb) => inOrganizationScope(eb, 'organizationId', scope.organizationIds));
    if (scope.organizationId !== undefined) query = query.where('organizationId', '=', scope.organizationId);
    return query;
  };
  const [totals, byFirmware, byModel] = await Promise.all([
    base()
      .select((eb) => [
        eb.fn.countAll<number>().as('total'),
        eb.fn.countAll<number>().filterWhere('isActive', '=', true).as('active'),
      ])
      .executeTakeFirstOrThrow(),
    base()
      .select(['os', (eb) => eb.fn.countAll<number>().as('count')])
      .groupBy('os')
      .orderBy('count', 'desc')
      .limit(20)
      .execute(),
    base()
      .select(['model', (eb) => eb.fn.countAll<number>().as('count')])
      .groupBy('model')
      .orderBy('count', 'desc')
      .limit(20)
      .execute(),
  ]);
  return { ...totals, byFirmware, byModel };
}
