import type { Db } from '../database.js';
import { type Actor, administeredOrganizationIds } from '../modules/accounts/actor.js';
import { resolveOrganizationFilter } from '../modules/accounts/organization.service.js';
import type { AuditFilter } from '../modules/audit/audit.repository.js';
import { type AuditQuery, listAuditLog, parseAuditQuery, readAuditLog } from '../modules/audit/audit.service.js';
import type { AuditLogRow } from '../modules/audit/audit.table.js';
import { forbidden } from '../platform/errors.js';

/**
 * Reading the audit log as a person: which entries `actor` may read. A use case, not part of the
 * audit module, because it needs the accounts module (roles, organization slugs), and the accounts
 * module records its own changes in the audit log: the audit module stays below every module.
 */

/**
 * The filter of what `actor` may read: admins read the entries of organizations they administer;
 * superusers read everything, global entries (logins, users, shared catalog) included. Operators
 * (members without an admin role anywhere) are refused with 403: the log shows who did what across
 * the organization, which their read-only role does not cover.
 */
export async function auditFilterFor(db: Db, actor: Actor, query: AuditQuery): Promise<AuditFilter> {
  const scope = administeredOrganizationIds(actor);
  if (scope !== null && scope.length === 0) {
    throw forbidden(
      'The audit log is for organization admins and superusers: your role is read-only (operator). Ask an ' +
        'organization admin.',
    );
  }
  const { organization, ...filters } = parseAuditQuery(query);
  const organizationId = await resolveOrganizationFilter(db, actor, organization);
  return {
    ...filters,
    // An organization the caller cannot see (null) must match nothing: a scope of no organizations.
    scope: organizationId === null ? [] : scope,
    organizationId: organizationId ?? undefined,
  };
}

/** One page of the entries `actor` may read, newest first. */
export async function listAuditLogFor(
  db: Db,
  actor: Actor,
  query: AuditQuery,
  page: { limit: number; offset: number },
): Promise<{ rows: AuditLogRow[]; count: number }> {
  return listAuditLog(db, await auditFilterFor(db, actor, query), page);
}

/**
 * Every entry `actor` may read, for the export. The filter is checked and the first page read before
 * this returns, so that a refusal or a failing query is still an error answer (see `readAuditLog`).
 */
export async function exportAuditLogFor(db: Db, actor: Actor, query: AuditQuery): Promise<AsyncIterable<AuditLogRow>> {
  return readAuditLog(db, await auditFilterFor(db, actor, query));
}
