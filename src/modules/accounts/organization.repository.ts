import type { Db } from '../../database.js';
import type { NewOrganizationRow, OrganizationRow, OrganizationUpdate } from './accounts.table.js';
import { inOrganizationScope } from '../../platform/db/organization-scope.js';

export interface OrganizationFilter {
  /** Restrict to these ids; null = no restriction. */
  ids: string[] | null;
  slug?: string | undefined;
  isActive?: boolean | undefined;
}

function filtered(db: Db, filter: OrganizationFilter) {
  let query = db.selectFrom('organizations');
  query = query.where((eb) => inOrganizationScope(eb, 'id', filter.ids));
  if (filter.slug !== undefined) query = query.where('slug', '=', filter.slug);
  if (filter.isActive !== undefined) query = query.where('isActive', '=', filter.isActive);
  return query;
}

export async function listOrganizations(
  db: Db,
  filter: OrganizationFilter,
  page: { limit: number; offset: number },
): Promise<OrganizationRow[]> {
  return filtered(db, filter).selectAll().orderBy('name').orderBy('id').limit(page.limit).offset(page.offset).execute();
}

export async function countOrganizations(db: Db, filter: OrganizationFilter): Promise<number> {
  const row = await filtered(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return row.count;
}

export async function findOrganizationById(db: Db, id: string): Promise<OrganizationRow | undefined> {
  return db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The organization, its row locked until the transaction ends: a change reads what it replaces. */
export async function findOrganizationByIdForUpdate(db: Db, id: string): Promise<OrganizationRow | undefined> {
  return db.selectFrom('organizations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function findOrganizationBySlug(db: Db, slug: string): Promise<OrganizationRow | undefined> {
  return db.selectFrom('organizations').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function insertOrganization(db: Db, row: NewOrganizationRow): Promise<OrganizationRow> {
  return db.insertInto('organizations').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateOrganization(
  db: Db,
  id: string,
  changes: OrganizationUpdate,
): Promise<OrganizationRow | undefined> {
  return db
    .updateTable('organizations')
    .set({ ...changes, modified: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteOrganization(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('organizations').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
