import type { Db } from '../../database.js';
import type { CredentialsRow, CredentialsUpdate, NewCredentialsRow } from './devices.table.js';
import { inOrganizationScope } from '../../platform/db/organization-scope.js';

export async function listCredentials(
  db: Db,
  filter: { organizationIds: string[] | null; organizationId?: string | undefined },
  page: { limit: number; offset: number },
): Promise<CredentialsRow[]> {
  return scoped(db, filter).selectAll().orderBy('name').orderBy('id').limit(page.limit).offset(page.offset).execute();
}

export async function countCredentials(
  db: Db,
  filter: { organizationIds: string[] | null; organizationId?: string | undefined },
): Promise<number> {
  const row = await scoped(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return row.count;
}

function scoped(db: Db, filter: { organizationIds: string[] | null; organizationId?: string | undefined }) {
  let query = db.selectFrom('credentials');
  query = query.where((eb) => inOrganizationScope(eb, 'organizationId', filter.organizationIds));
  if (filter.organizationId !== undefined) query = query.where('organizationId', '=', filter.organizationId);
  return query;
}

export async function findCredentialsById(db: Db, id: string): Promise<CredentialsRow | undefined> {
  return db.selectFrom('credentials').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findDefaultCredentials(db: Db, organizationId: string): Promise<CredentialsRow | undefined> {
  return db
    .selectFrom('credentials')
    .selectAll()
    .where('organizationId', '=', organizationId)
    .where('isDefault', '=', true)
    .executeTakeFirst();
}

export async function insertCredentials(db: Db, row: NewCredentialsRow): Promise<CredentialsRow> {
  return db.insertInto('credentials').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateCredentials(
  db: Db,
  id: string,
  changes: CredentialsUpdate,
): Promise<CredentialsRow | undefined> {
  return db
    .updateTable('credentials')
    .set({ ...changes, modified: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteCredentials(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('credentials').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
