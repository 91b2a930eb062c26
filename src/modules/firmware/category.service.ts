import type { Db } from '../../database.js';
import { invalid, invalidReference, notFound } from '../../platform/errors.js';
import {
  type Actor,
  administeredOrganizationIds,
  assertCanWrite,
  canRead,
  readableOrganizationIds,
} from '../accounts/actor.js';
import { findVisibleOrganization, resolveOrganizationFilter } from '../accounts/organization.service.js';
import type { OrderingTerm } from '../../platform/db/ordering.js';
import * as categoryRepository from './category.repository.js';
import type { CategoryRow } from './firmware.table.js';
import { listImageHashesOfCategory, listImageIdsOfCategory } from './image.repository.js';
import { inTransaction } from '../../platform/db/in-transaction.js';
import { recordCategoryAudit } from './firmware-audit.js';
import { findHealthCheckFor } from '../health-checks/health-check.service.js';

export type CategoryOrderingField = keyof typeof categoryRepository.CATEGORY_ORDERING;
export const CATEGORY_ORDERING_FIELDS = Object.keys(categoryRepository.CATEGORY_ORDERING) as CategoryOrderingField[];
export const DEFAULT_CATEGORY_ORDERING = 'name';

export async function listCategories(
  db: Db,
  actor: Actor,
  filter: { organization?: string | undefined; name?: string | undefined },
  ordering: OrderingTerm<CategoryOrderingField>[],
  page: { limit: number; offset: number },
) {
  const organizationId = await resolveOrganizationFilter(db, actor, filter.organization);
  if (organizationId === null) return { rows: [], count: 0 };
  const query = { visibleOrganizationIds: readableOrganizationIds(actor), organizationId, name: filter.name };
  const [rows, count] = await Promise.all([
    categoryRepository.listCategories(db, query, ordering, page),
    categoryRepository.countCategories(db, query),
  ]);
  return { rows, count };
}

export async function getCategory(db: Db, actor: Actor, id: string): Promise<CategoryRow> {
  const row = await categoryRepository.findCategoryById(db, id);
  if (!row || !canRead(actor, row.organizationId)) throw notFound('category', id);
  return row;
}

/**
 * The organization a new object goes to: the one given (null = shared), or, when none is given,
 * the only organization the actor administers.
 */
async function resolveOwningOrganization(
  db: Db,
  actor: Actor,
  given: string | null | undefined,
): Promise<string | null> {
  if (given === null) return null;
  if (given === undefined) {
    const administered = administeredOrganizationIds(actor);
    if (administered && administered.length === 1) return administered[0]!;
    throw invalid(
      'Say which organization the category belongs to: "organization" is an organization id, or null for a category ' +
        'shared by all organizations.',
      {
        organization: 'This field is required.',
      },
    );
  }
  const organization = await findVisibleOrganization(db, actor, { id: given });
  if (!organization) {
    throw invalidReference('organization', `Organization ${given} does not exist or is not yours.`);
  }
  return organization.id;
}

export interface CategoryInput {
  name: string;
  description?: string | undefined;
  organization?: string | null | undefined;
  /** A health check id of the category's organization, null for none. */
  health_check?: string | null | undefined;
}

/** The default health check a category may name: one of its own organization (a shared category has none). */
async function checkCategoryHealthCheck(
  db: Db,
  actor: Actor,
  id: string | null | undefined,
  organizationId: string | null,
): Promise<string | null | undefined> {
  if (id === undefined || id === null) return id;
  if (organizationId === null)
    throw invalid('A shared category cannot have a default health check: health checks belong to an organization.', {
      health_check: 'not allowed on a shared category',
    });
  return (await findHealthCheckFor(db, actor, id, organizationId, 'health_check')).id;
}

export async function createCategory(db: Db, actor: Actor, input: CategoryInput): Promise<CategoryRow> {
  const organizationId = await resolveOwningOrganization(db, actor, input.organization);
  assertCanWrite(actor, organizationId, 'categories');
  const healthCheckId = await checkCategoryHealthCheck(db, actor, input.health_check, organizationId);
  return inTransaction(db, async (trx) => {
    const row = await categoryRepository.insertCategory(trx, {
      name: input.name.trim(),
      description: input.description ?? '',
      organizationId,
      healthCheckId: healthCheckId ?? null,
    });
    await recordCategoryAudit(trx, actor, 'category.created', row);
    return row;
  });
}

/** Moving a category to another organization moves its builds too (a trigger keeps them in step). */
export async function updateCategory(
  db: Db,
  actor: Actor,
  id: string,
  changes: Partial<CategoryInput>,
): Promise<CategoryRow> {
  const current = await getCategory(db, actor, id);
  assertCanWrite(actor, current.organizationId, 'categories');
  let organizationId: string | null | undefined;
  if (changes.organization !== undefined && changes.organization !== current.organizationId) {
    organizationId = await resolveOwningOrganization(db, actor, changes.organization);
    assertCanWrite(actor, organizationId, 'categories');
  }
  const targetOrganization = organizationId === undefined ? current.organizationId : organizationId;
  let healthCheckId = await checkCategoryHealthCheck(db, actor, changes.health_check, targetOrganization);
  // A category moved elsewhere cannot keep another organization's check as its default.
  if (healthCheckId === undefined && organizationId !== undefined && current.healthCheckId !== null)
    healthCheckId = null;
  return inTransaction(db, async (trx) => {
    // Read again, locked: the entry's `from` is what this change replaced, not what a concurrent one did.
    const before = await categoryRepository.findCategoryByIdForUpdate(trx, id);
    if (!before) throw notFound('category', id);
    const row = await categoryRepository.updateCategory(trx, id, {
      ...(changes.name !== undefined ? { name: changes.name.trim() } : {}),
      ...(changes.description !== undefined ? { description: changes.description } : {}),
      ...(organizationId !== undefined ? { organizationId } : {}),
      ...(healthCheckId !== undefined ? { healthCheckId } : {}),
    });
    if (!row) throw notFound('category', id);
    await recordCategoryAudit(trx, actor, 'category.updated', row, before);
    return row;
  });
}

/** The category, if the actor may delete it (404 if not visible, 403 if read-only). */
export async function getDeletableCategory(db: Db, actor: Actor, id: string): Promise<CategoryRow> {
  const current = await getCategory(db, actor, id);
  assertCanWrite(actor, current.organizationId, 'categories');
  return current;
}

/** Ids of the images of every build of the category. */
export async function imageIdsOfCategory(db: Db, id: string): Promise<string[]> {
  return listImageIdsOfCategory(db, id);
}

/**
 * Deletes the category with its builds and images (in `trx`); returns their files' hashes, for
 * `releaseBlobs` after the commit (files no other image uses go).
 */
export async function removeCategory(trx: Db, id: string): Promise<string[]> {
  const collected = await listImageHashesOfCategory(trx, id);
  if (!(await categoryRepository.deleteCategory(trx, id))) throw notFound('category', id);
  return collected;
}

/** The health check a category's upgrades run by default (null: none, or no such category). */
export async function defaultHealthCheckOfCategory(db: Db, categoryId: string): Promise<string | null> {
  return (await categoryRepository.findCategoryById(db, categoryId))?.healthCheckId ?? null;
}
