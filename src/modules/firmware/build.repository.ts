import { sql } from 'kysely';
import type { Db } from '../../database.js';
import type { BuildUpdate, NewBuildRow } from './firmware.table.js';
import { orderByTerms, type OrderingTerm } from '../../platform/db/ordering.js';
import { inOrganizationScope } from '../../platform/db/organization-scope.js';

export interface BuildFilter {
  /** Organizations whose builds are visible besides shared ones; null = all. */
  visibleOrganizationIds: string[] | null;
  organizationId?: string | undefined;
  categoryId?: string | undefined;
  version?: string | undefined;
  os?: string | undefined;
}

export const BUILD_ORDERING = { version: 'b.version', created: 'b.created', modified: 'b.modified' } as const;
export type BuildOrdering = OrderingTerm<keyof typeof BUILD_ORDERING>[];

function filtered(db: Db, filter: BuildFilter) {
  let query = db.selectFrom('firmwareBuilds as b');
  const visible = filter.visibleOrganizationIds;
  query = query.where((eb) => inOrganizationScope(eb, 'b.organizationId', visible, { shared: true }));
  if (filter.organizationId !== undefined) query = query.where('b.organizationId', '=', filter.organizationId);
  if (filter.categoryId !== undefined) query = query.where('b.categoryId', '=', filter.categoryId);
  if (filter.version !== undefined) query = query.where('b.version', '=', filter.version);
  if (filter.os !== undefined) query = query.where('b.os', '=', filter.os);
  return query;
}

/** The build's own columns every reader of builds selects, with its category's name. */
const BUILD_COLUMNS = [
  'b.id',
  'b.categoryId',
  'b.organizationId',
  'b.version',
  'b.os',
  'b.changelog',
  'c.name as categoryName',
] as const;

function withCategory(query: ReturnType<typeof filtered>) {
  return query
    .innerJoin('firmwareCategories as c', 'c.id', 'b.categoryId')
    .select([...BUILD_COLUMNS, 'b.created', 'b.modified']);
}

export type BuildWithCategory = Awaited<ReturnType<typeof findBuildById>> & {};

/**
 * A timestamp as the API writes it (`Date.prototype.toISOString`: UTC, milliseconds truncated, `Z`),
 * formatted by PostgreSQL: a page of builds then costs no Date parsing and formatting in Node.
 */
function isoTimestamp(column: 'b.created' | 'b.modified') {
  return sql<string>`to_char(${sql.ref(column)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** A page of builds; `created` and `modified` as ISO 8601 text, exactly as the API shows them. */
export async function listBuilds(
  db: Db,
  filter: BuildFilter,
  ordering: BuildOrdering,
  page: { limit: number; offset: number },
) {
  let query = filtered(db, filter)
    .innerJoin('firmwareCategories as c', 'c.id', 'b.categoryId')
    .select([...BUILD_COLUMNS, isoTimestamp('b.created').as('created'), isoTimestamp('b.modified').as('modified')]);
  query = orderByTerms(query, BUILD_ORDERING, ordering);
  return query.orderBy('b.id').limit(page.limit).offset(page.offset).execute();
}

export async function countBuilds(db: Db, filter: BuildFilter): Promise<number> {
  const row = await filtered(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return row.count;
}

export async function findBuildById(db: Db, id: string) {
  return withCategory(db.selectFrom('firmwareBuilds as b')).where('b.id', '=', id).executeTakeFirst();
}

/** The build with its category's name, the build's row locked until the transaction ends. */
export async function findBuildByIdForUpdate(db: Db, id: string) {
  return withCategory(db.selectFrom('firmwareBuilds as b')).where('b.id', '=', id).forUpdate('b').executeTakeFirst();
}

export async function insertBuild(db: Db, row: NewBuildRow): Promise<string> {
  const { id } = await db.insertInto('firmwareBuilds').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function updateBuild(db: Db, id: string, changes: BuildUpdate): Promise<boolean> {
  const result = await db
    .updateTable('firmwareBuilds')
    .set({ ...changes, modified: new Date() })
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteBuild(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('firmwareBuilds').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
