import { sql } from 'kysely';
import type { Db } from '../../database.js';
import { inOrganizationScope } from '../../platform/db/organization-scope.js';
import type {
  MaintenanceWindowRow,
  MaintenanceWindowUpdate,
  NewMaintenanceWindowRow,
} from './maintenance-windows.table.js';

/** SQL of maintenance windows. */

export interface WindowFilter {
  /** Organizations whose windows are visible; null = all. */
  organizationIds: string[] | null;
  organizationId?: string | undefined;
}

function scoped(db: Db, filter: WindowFilter) {
  let query = db.selectFrom('maintenanceWindows');
  query = query.where((eb) => inOrganizationScope(eb, 'organizationId', filter.organizationIds));
  if (filter.organizationId !== undefined) query = query.where('organizationId', '=', filter.organizationId);
  return query;
}

export async function listWindows(
  db: Db,
  filter: WindowFilter,
  page: { limit: number; offset: number },
): Promise<MaintenanceWindowRow[]> {
  return scoped(db, filter).selectAll().orderBy('name').orderBy('id').limit(page.limit).offset(page.offset).execute();
}

export async function countWindows(db: Db, filter: WindowFilter): Promise<number> {
  const row = await scoped(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return row.count;
}

/**
 * A window by id; `lock` locks its row until the transaction ends: `update` where it is deleted, `share`
 * where a mass upgrade launch names it, so that a delete cannot pass its "not in use" check while a
 * launch that names the window is under way (one of them waits for the other).
 */
export async function findWindowById(
  db: Db,
  id: string,
  lock?: 'update' | 'share',
): Promise<MaintenanceWindowRow | undefined> {
  let query = db.selectFrom('maintenanceWindows').selectAll().where('id', '=', id);
  if (lock === 'update') query = query.forUpdate();
  else if (lock === 'share') query = query.forShare();
  return query.executeTakeFirst();
}

/**
 * The window of a device: the one naming its group, else the one naming its location (at most one
 * window of an organization names a group or a location, so this is one row at most of each kind).
 */
export async function findWindowForDevice(
  db: Db,
  device: { organizationId: string; groupName: string; location: string },
): Promise<MaintenanceWindowRow | undefined> {
  return db
    .selectFrom('maintenanceWindows')
    .selectAll()
    .where('organizationId', '=', device.organizationId)
    .where((eb) =>
      eb.or([
        eb(sql.val(device.groupName), '=', eb.fn.any('groups')),
        eb(sql.val(device.location), '=', eb.fn.any('locations')),
      ]),
    )
    .orderBy(sql`${sql.val(device.groupName)} = ANY(groups)`, 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Other windows of the organization that already name one of these groups or locations. Called under
 * lockOrganizationWindows, so two concurrent changes cannot both claim the same group.
 */
export async function findWindowsNaming(
  db: Db,
  organizationId: string,
  names: { groups: string[]; locations: string[] },
  exceptId: string | null,
): Promise<MaintenanceWindowRow[]> {
  let query = db
    .selectFrom('maintenanceWindows')
    .selectAll()
    .where('organizationId', '=', organizationId)
    .where((eb) =>
      eb.or([
        eb('groups', '&&', sql<string[]>`${names.groups}::text[]`),
        eb('locations', '&&', sql<string[]>`${names.locations}::text[]`),
      ]),
    );
  if (exceptId !== null) query = query.where('id', '<>', exceptId);
  return query.orderBy('name').execute();
}

/** Serialises changes to one organization's windows until the transaction ends. */
export async function lockOrganizationWindows(db: Db, organizationId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${WINDOW_LOCK}, hashtext(${organizationId}))`.execute(db);
}

/** Any fixed number: the first key of the advisory locks serialising changes to an organization's windows. */
const WINDOW_LOCK = 7_240_160;

export async function insertWindow(db: Db, row: NewMaintenanceWindowRow): Promise<MaintenanceWindowRow> {
  return db.insertInto('maintenanceWindows').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateWindow(
  db: Db,
  id: string,
  changes: MaintenanceWindowUpdate,
): Promise<MaintenanceWindowRow | undefined> {
  return db
    .updateTable('maintenanceWindows')
    .set({ ...changes, modified: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteWindow(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('maintenanceWindows').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
