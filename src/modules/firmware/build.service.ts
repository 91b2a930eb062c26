import { createHash } from 'node:crypto';
import type { Db } from '../../database.js';
import { invalidReference, notFound } from '../../platform/errors.js';
import type { OrderingTerm } from '../../platform/db/ordering.js';
import { type Actor, assertCanWrite, canRead, readableOrganizationIds } from '../accounts/actor.js';
import { resolveOrganizationFilter } from '../accounts/organization.service.js';
import * as buildRepository from './build.repository.js';
import * as categoryRepository from './category.repository.js';
import { listImageHashesOfBuild } from './image.repository.js';
import { inTransaction } from '../../platform/db/in-transaction.js';
import { recordBuildAudit } from './firmware-audit.js';

export type BuildOrderingField = keyof typeof buildRepository.BUILD_ORDERING;
export const BUILD_ORDERING_FIELDS = Object.keys(buildRepository.BUILD_ORDERING) as BuildOrderingField[];
export const DEFAULT_BUILD_ORDERING = '-created,-version';

export type BuildView = NonNullable<Awaited<ReturnType<typeof buildRepository.findBuildById>>>;

export interface BuildListFilter {
  organization?: string | undefined;
  category?: string | undefined;
  version?: string | undefined;
  os?: string | undefined;
}

/**
 * Remembers the count of a filter between requests (the per-process catalog cache), when the
 * request may use it: counting every visible build is most of what a list costs the database.
 */
export interface CountMemo {
  get(key: string): number | undefined;
  set(key: string, count: number): void;
}

export async function listBuilds(
  db: Db,
  actor: Actor,
  filter: BuildListFilter,
  ordering: OrderingTerm<BuildOrderingField>[],
  page: { limit: number; offset: number },
  counts?: CountMemo,
) {
  const organizationId = await resolveOrganizationFilter(db, actor, filter.organization);
  if (organizationId === null) return { rows: [], count: 0 };
  const query: buildRepository.BuildFilter = {
    visibleOrganizationIds: readableOrganizationIds(actor),
    organizationId,
    categoryId: filter.category,
    version: filter.version,
    os: filter.os,
  };
  // What the caller may see is part of the key: equal filters of callers who see differently differ.
  // Hashed, so that 10,000 remembered counts stay small whatever the filters and organizations in them.
  const countKey = counts
    ? createHash('sha256')
        .update(
          JSON.stringify([
            'builds',
            query.visibleOrganizationIds && [...query.visibleOrganizationIds].sort(),
            organizationId ?? null,
            filter.category ?? null,
            filter.version ?? null,
            filter.os ?? null,
          ]),
        )
        .digest('base64url')
    : '';
  const known = counts?.get(countKey);
  const [rows, count] = await Promise.all([
    buildRepository.listBuilds(db, query, ordering, page),
    known ??
      buildRepository.countBuilds(db, query).then((counted) => {
        counts?.set(countKey, counted);
        return counted;
      }),
  ]);
  return { rows, count };
}

export async function getBuild(db: Db, actor: Actor, id: string): Promise<BuildView> {
  const row = await buildRepository.findBuildById(db, id);
  if (!row || !canRead(actor, row.organizationId)) throw notFound('build', id);
  return row;
}

/** The category a build goes into: it must exist and be visible (400 otherwise) and writable (403). */
async function writableCategory(db: Db, actor: Actor, categoryId: string) {
  const category = await categoryRepository.findCategoryById(db, categoryId);
  if (!category || !canRead(actor, category.organizationId)) {
    throw invalidReference('category', `Category ${categoryId} does not exist or is not visible to you.`);
  }
  assertCanWrite(actor, category.organizationId, 'builds of this category');
  return category;
}

export interface BuildInput {
  category: string;
  version: string;
  os?: string | null | undefined;
  changelog?: string | undefined;
}

/** Blank OS identifiers mean "not known yet": stored as null so they never collide. */
function normaliseOs(os: string | null | undefined): string | null | undefined {
  if (os === undefined || os === null) return os;
  const trimmed = os.trim();
  return trimmed === '' ? null : trimmed;
}

export async function createBuild(db: Db, actor: Actor, input: BuildInput): Promise<BuildView> {
  await writableCategory(db, actor, input.category);
  return inTransaction(db, async (trx) => {
    const id = await buildRepository.insertBuild(trx, {
      categoryId: input.category,
      version: input.version.trim(),
      os: normaliseOs(input.os) ?? null,
      changelog: input.changelog ?? '',
    });
    const build = await getBuild(trx, actor, id);
    await recordBuildAudit(trx, actor, 'build.created', build);
    return build;
  });
}

export async function updateBuild(db: Db, actor: Actor, id: string, changes: Partial<BuildInput>): Promise<BuildView> {
  const current = await getBuild(db, actor, id);
  assertCanWrite(actor, current.organizationId, 'builds of this category');
  if (changes.category !== undefined && changes.category !== current.categoryId)
    await writableCategory(db, actor, changes.category);
  const os = normaliseOs(changes.os);
  return inTransaction(db, async (trx) => {
    // Read again, locked: the entry's `from` is what this change replaced, not what a concurrent one did.
    const before = await buildRepository.findBuildByIdForUpdate(trx, id);
    if (!before) throw notFound('build', id);
    await buildRepository.updateBuild(trx, id, {
      ...(changes.category !== undefined ? { categoryId: changes.category } : {}),
      ...(changes.version !== undefined ? { version: changes.version.trim() } : {}),
      ...(os !== undefined ? { os } : {}),
      ...(changes.changelog !== undefined ? { changelog: changes.changelog } : {}),
    });
    const build = await getBuild(trx, actor, id);
    await recordBuildAudit(trx, actor, 'build.updated', build, before);
    return build;
  });
}

/** The build, if the actor may delete it (404 if not visible, 403 if read-only). */
export async function getDeletableBuild(db: Db, actor: Actor, id: string): Promise<BuildView> {
  const current = await getBuild(db, actor, id);
  assertCanWrite(actor, current.organizationId, 'builds of this category');
  return current;
}

/** Deletes the build with its images (in `trx`); returns their files' hashes, for `releaseBlobs` after the commit. */
export async function removeBuild(trx: Db, id: string): Promise<string[]> {
  const collected = await listImageHashesOfBuild(trx, id);
  if (!(await buildRepository.deleteBuild(trx, id))) throw notFound('build', id);
  return collected;
}
