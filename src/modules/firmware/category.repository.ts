import type { Db } from '../../database.js';
import type { CategoryRow, CategoryUpdate, NewCategoryRow } from './firmware.table.js';
import { orderByTerms, type OrderingTerm } from '../../platform/db/ordering.js';
import { inOrganizationScope } from '../../platform/db/organization-scope.js';

export interface CategoryFilter {
  /** Organizations whose categories are visible besides shared ones; null = all. */
  visibleOrganizationIds: string[] | null;
  /** Only this organization's categories (undefined = no filter, null = shared only). */
  organizationId?: string | null | undefined;
  name?: string | undefined;
}

export const CATEGORY_ORDERING = { name: 'name', created: 'created', modified: 'modified' } as const;

function filtered(db: Db, filter: CategoryFilter) {
  let query = db.selectFrom('firmwareCategories');
  const visible = filter.visibleOrganizationIds;
  query = query.where((eb) => inOrganizationScope(eb, 'organizationId', visible, { shared: true }));
  if (filter.organizationId === null) query = query.where('organizationId', 'is', null);
  else if (filter.organizationId !== undefined) query = query.where('organizationId', '=', filter.organizationId);
  if (filter.name !== undefined) query = query.where('name', '=', filter.name);
  return query;
}

export async function listCategories(
  db: Db,
  filter: CategoryFilter,
  ordering: OrderingTerm<keyof typeof CATEGORY_ORDERING>[],
  page: { limit: number; offset: number },
): Promise<CategoryRow[]> {
  let query = filtered(db, filter).selectAll();
  query = orderByTerms(query, CATEGORY_ORDERING, ordering);
  return query.orderBy('id').limit(page.limit).offset(page.offset).execute();
}

export async function countCategories(db: Db, filter: CategoryFilter): Promise<number> {
  const row = await filtered(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return row.count;
}

export async function findCategoryById(db: Db, id: string): Promise<CategoryRow | undefined> {
  return db.selectFrom('firmwareCategories').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The category, its row locked until the transaction ends: a change reads what it replaces. */
export async function findCategoryByIdForUpdate(db: Db, id: string): Promise<CategoryRow | undefined> {
  return db.selectFrom('firmwareCategories').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function insertCategory(db: Db, row: NewCategoryRow): Promise<CategoryRow> {
  return db.insertInto('firmwareCategories').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateCategory(db: Db, id: string, changes: CategoryUpdate): Promise<CategoryRow | undefined> {
  return db
    .updateTable('firmwareCategories')
    .set({ ...changes, modified: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteCategory(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('firmwareCategories').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
