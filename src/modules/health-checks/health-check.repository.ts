import type { Db } from '../../database.js';
import { inOrganizationScope } from '../../platform/db/organization-scope.js';
import type { HealthCheckRow, HealthCheckUpdate, NewHealthCheckRow } from './health-checks.table.js';

/** SQL of health checks. */

export interface HealthCheckFilter {
  /** Organizations whose checks are visible; null = all. */
  organizationIds: string[] | null;
  organizationId?: string | undefined;
}

function scoped(db: Db, filter: HealthCheckFilter) {
  let query = db.selectFrom('healthChecks');
  query = query.where((eb) => inOrganizationScope(eb, 'organizationId', filter.organizationIds));
  if (filter.organizationId !== undefined) query = query.where('organizationId', '=', filter.organizationId);
  return query;
}

export async function listHealthChecks(
  db: Db,
  filter: HealthCheckFilter,
  page: { limit: number; offset: number },
): Promise<HealthCheckRow[]> {
  return scoped(db, filter).selectAll().orderBy('name').orderBy('id').limit(page.limit).offset(page.offset).execute();
}

export async function countHealthChecks(db: Db, filter: HealthCheckFilter): Promise<number> {
  const row = await scoped(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function findHealthCheckById(db: Db, id: string): Promise<HealthCheckRow | undefined> {
  return db.selectFrom('healthChecks').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Locks the organization's row so that two creations cannot both pass the per-organization limit. */
export async function lockOrganizationForHealthChecks(db: Db, organizationId: string): Promise<void> {
  await db.selectFrom('organizations').select('id').where('id', '=', organizationId).forUpdate().execute();
}

export async function insertHealthCheck(db: Db, row: NewHealthCheckRow): Promise<HealthCheckRow> {
  return db.insertInto('healthChecks').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateHealthCheck(
  db: Db,
  id: string,
  changes: HealthCheckUpdate,
): Promise<HealthCheckRow | undefined> {
  return db
    .updateTable('healthChecks')
    .set({ ...changes, modified: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteHealthCheck(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('healthChecks').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
