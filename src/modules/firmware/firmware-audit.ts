import type { Db } from '../../database.js';
import type { Actor } from '../accounts/actor.js';
import type { AuditAction } from '../audit/audit-actions.js';
import { type AuditContext, changedFields, recordAudit } from '../audit/record-audit.js';
import type { CategoryRow, ImageRow } from './firmware.table.js';

/** The catalog's audit entries, recorded in `db`'s transaction: categories, builds and images. */

function categoryFields(category: CategoryRow) {
  return {
    name: category.name,
    description: category.description,
    organization: category.organizationId,
    health_check: category.healthCheckId,
  };
}

/**
 * `category.created`/`deleted` with the category's fields; `category.updated` with what changed
 * (nothing when nothing did; see `recordUpdate` for a move between organizations).
 */
export async function recordCategoryAudit(
  db: Db,
  actor: Actor,
  action: Extract<AuditAction, `category.${string}`>,
  category: CategoryRow,
  previous?: CategoryRow,
): Promise<void> {
  const target = { type: 'category' as const, id: category.id, label: category.name };
  if (previous)
    return recordUpdate(db, actor, action, target, category.organizationId, previous.organizationId, {
      ...changedFields(categoryFields(previous), categoryFields(category)),
    });
  await recordAudit(db, actor, {
    action,
    organizationId: category.organizationId,
    target,
    details: categoryFields(category),
  });
}

/**
 * An update's entry: none when nothing changed (the same values again). One under the organization
 * the object is in; when it moved between organizations, one more under the organization it left,
 * whose admins would otherwise not see it go.
 */
async function recordUpdate(
  db: Db,
  actor: Actor,
  action: AuditAction,
  target: { type: 'category' | 'build'; id: string; label: string },
  organizationId: string | null,
  previousOrganizationId: string | null,
  details: Record<string, unknown>,
): Promise<void> {
  if (Object.keys(details).length === 0) return;
  await recordAudit(db, actor, { action, organizationId, target, details });
  if (previousOrganizationId !== organizationId)
    await recordAudit(db, actor, { action, organizationId: previousOrganizationId, target, details });
}

interface AuditedBuild {
  id: string;
  organizationId: string | null;
  categoryId: string;
  categoryName: string;
  version: string;
  os: string | null;
  changelog: string;
}

function buildFields(build: AuditedBuild) {
  return { version: build.version, os: build.os, category: build.categoryId, changelog: build.changelog };
}

/**
 * `build.created`/`deleted` with its fields; `build.updated` with what changed (see `recordUpdate`).
 * Label: category and version.
 */
export async function recordBuildAudit(
  db: Db,
  actor: Actor,
  action: Extract<AuditAction, `build.${string}`>,
  build: AuditedBuild,
  previous?: AuditedBuild,
): Promise<void> {
  const target = { type: 'build' as const, id: build.id, label: `${build.categoryName} ${build.version}` };
  if (previous) {
    const details = changedFields(buildFields(previous), buildFields(build));
    return recordUpdate(db, actor, action, target, build.organizationId, previous.organizationId, details);
  }
  await recordAudit(db, actor, { action, organizationId: build.organizationId, target, details: buildFields(build) });
}

/** `image.uploaded`/`deleted` of a build's image. */
export async function recordImageAudit(
  db: Db,
  context: AuditContext,
  action: Extract<AuditAction, `image.${string}`>,
  image: ImageRow,
  build: { organizationId: string | null },
  details: Record<string, unknown> = {},
): Promise<void> {
  await recordAudit(db, context, {
    action,
    organizationId: build.organizationId,
    target: { type: 'image', id: image.id, label: image.fileName },
    details: { build: image.buildId, type: image.type, size: image.size, sha256: image.sha256, ...details },
  });
}
