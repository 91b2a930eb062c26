import type { Kysely } from 'kysely';
import type { Database, Db } from '../../database.js';
import { parseNetwork } from '../../platform/address-policy.js';
import { forbidden, invalid } from '../../platform/errors.js';
import { type Actor, administeredOrganizationIds } from '../accounts/actor.js';
import { resolveOrganizationFilter } from '../accounts/organization.service.js';
import * as auditRepository from './audit.repository.js';
import type { AuditLogRow } from './audit.table.js';

/** The filters of the audit-log list and export, as the API takes them. */
export interface AuditQuery {
  /** Organization slug. */
  organization?: string | undefined;
  actor?: string | undefined;
  /** An action, or a prefix ending in "." (`device.`) or ".*" (`device.*`). */
  action?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  address?: string | undefined;
}

/** Entries one export reads per query: the export never holds more than this many rows. */
export const EXPORT_PAGE_SIZE = 500;

/**
 * The filter of what `actor` may read: admins read the entries of organizations they administer;
 * superusers read everything, global entries (logins, users, shared catalog) included. Operators
 * (members without an admin role anywhere) are refused with 403: the log shows who did what across
 * the organization, which their read-only role does not cover.
 */
export async function auditFilterFor(db: Db, actor: Actor, query: AuditQuery): Promise<auditRepository.AuditFilter> {
  const scope = administeredOrganizationIds(actor);
  if (scope !== null && scope.length === 0) {
    throw forbidden(
      'The audit log is for organization admins and superusers: your role is read-only (operator). Ask an ' +
        'organization admin.',
    );
  }
  const from = parseDate(query.from, 'from');
  const to = parseDate(query.to, 'to');
  if (from && to && from > to) throw invalid('"from" must not be after "to".', { from: 'after "to"' });
  const organizationId = await resolveOrganizationFilter(db, actor, query.organization);
  return {
    // An organization the caller cannot see (null) must match nothing: a scope of no organizations.
    scope: organizationId === null ? [] : scope,
    organizationId: organizationId ?? undefined,
    actor: query.actor,
    action: parseAction(query.action),
    targetType: query.targetType,
    targetId: query.targetId,
    from,
    to,
    address: parseAddress(query.address),
  };
}

function parseDate(value: string | undefined, field: string): Date | undefined {
  if (value === undefined) return undefined;
  // A bare date (2026-03-01) is midnight UTC; anything Date.parse reads goes.
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime()))
    throw invalid(`"${field}" is not a date: write it as 2026-03-01 or 2026-03-01T12:00:00Z.`, {
      [field]: 'not a date',
    });
  return date;
}

function parseAction(value: string | undefined): auditRepository.AuditFilter['action'] {
  if (value === undefined || value === '') return undefined;
  if (value.endsWith('.*')) return { prefix: value.slice(0, -1) };
  if (value.endsWith('.')) return { prefix: value };
  return { exact: value };
}

function parseAddress(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  try {
    return parseNetwork(value).cidr;
  } catch {
    throw invalid(`"address" must be an IP address or a network such as 10.0.0.0/8, got "${value}".`, {
      address: 'not an address or network',
    });
  }
}

/** One page of the audit log, newest first. */
export async function listAuditLog(
  db: Db,
  actor: Actor,
  query: AuditQuery,
  page: { limit: number; offset: number },
): Promise<{ rows: AuditLogRow[]; count: number }> {
  const filter = await auditFilterFor(db, actor, query);
  const [rows, count] = await Promise.all([
    auditRepository.listAuditEntries(db, filter, page),
    auditRepository.countAuditEntries(db, filter),
  ]);
  return { rows, count };
}

/**
 * Every entry of the filter, newest first, read `EXPORT_PAGE_SIZE` at a time by id (a keyset
 * cursor): an export of millions of entries holds one page in memory. The filter is checked (and
 * refused) before the first entry is asked for, by `auditFilterFor`.
 */
export async function* readAuditLog(db: Db, filter: auditRepository.AuditFilter): AsyncGenerator<AuditLogRow> {
  let before: number | null = null;
  for (;;) {
    const rows = await auditRepository.listAuditEntriesBefore(db, filter, before, EXPORT_PAGE_SIZE);
    yield* rows;
    if (rows.length < EXPORT_PAGE_SIZE) return;
    before = rows[rows.length - 1]!.id;
  }
}

/** Entries deleted per transaction by the purge: a long backlog goes in short transactions. */
const PURGE_BATCH = 5_000;

/**
 * Deletes entries older than `retentionDays` (null: keep forever, nothing is deleted); returns how
 * many went. The only deletion the append-only trigger allows (audit.repository.ts).
 */
export async function purgeAuditLog(db: Kysely<Database>, retentionDays: number | null, now = new Date()) {
  if (retentionDays === null) return 0;
  const before = new Date(now.getTime() - retentionDays * 86_400_000);
  let removed = 0;
  for (;;) {
    const batch = await auditRepository.deleteAuditEntriesBefore(db, before, PURGE_BATCH);
    removed += batch;
    if (batch < PURGE_BATCH) return removed;
  }
}
