import type { Kysely } from 'kysely';
import type { Database, Db } from '../../database.js';
import { isIPv4 } from 'node:net';
import { normaliseIp, parseNetwork } from '../../platform/address-policy.js';
import { invalid } from '../../platform/errors.js';
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

/** The filters of a query without who reads them (`scope`) nor the organization (a slug to resolve). */
export type ParsedAuditQuery = Omit<auditRepository.AuditFilter, 'scope' | 'organizationId'> & {
  /** The organization's slug, checked; resolving it (and seeing it) is the caller's. */
  organization: string | undefined;
};

/**
 * The query's filters, checked: a malformed date or address, a date PostgreSQL cannot store, a
 * text with a NUL character, or `from` after `to` is a 400, before any query runs. Who may read
 * what is not decided here: src/use-cases/read-audit-log.ts adds it (it needs the accounts module,
 * which records its changes here: the audit module stays below every other one).
 */
export function parseAuditQuery(query: AuditQuery): ParsedAuditQuery {
  const from = parseDate(query.from, 'from');
  const to = parseDate(query.to, 'to');
  if (from && to && from > to) throw invalid('"from" must not be after "to".', { from: 'after "to"' });
  return {
    organization: plainText(query.organization, 'organization'),
    actor: plainText(query.actor, 'actor'),
    action: parseAction(query.action),
    targetType: query.targetType,
    targetId: plainText(query.targetId, 'target_id'),
    from,
    to,
    address: parseAddress(query.address),
  };
}

/**
 * A text filter as given; refused with 400 when it holds a NUL character, which PostgreSQL refuses in
 * text (the query would fail, and an export would break off after its headers were sent).
 */
function plainText(value: string | undefined, field: string): string | undefined {
  if (value?.includes('\0'))
    throw invalid(`"${field}" must not contain a NUL character (%00).`, { [field]: 'contains a NUL character' });
  return value;
}

function parseDate(value: string | undefined, field: string): Date | undefined {
  if (value === undefined) return undefined;
  // A bare date (2026-03-01) is midnight UTC; anything Date.parse reads goes.
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime()))
    throw invalid(`"${field}" is not a date: write it as 2026-03-01 or 2026-03-01T12:00:00Z.`, {
      [field]: 'not a date',
    });
  // JavaScript dates reach the year ±275760, PostgreSQL's timestamps (as the driver writes them) do not.
  const year = date.getUTCFullYear();
  if (year < 1 || year > 9999)
    throw invalid(`"${field}" must lie in the years 1 to 9999 (UTC).`, { [field]: 'year out of range' });
  return date;
}

function parseAction(value: string | undefined): auditRepository.AuditFilter['action'] {
  if (value === undefined || value === '') return undefined;
  if (value.endsWith('.*')) return { prefix: value.slice(0, -1) };
  if (value.endsWith('.')) return { prefix: value };
  return { exact: value };
}

/**
 * The address filter as a network. Zone ids (`fe80::1%eth0`) are refused: Node takes them, PostgreSQL's
 * inet does not, and the log stores none. Addresses are stored as recordAudit normalises them (an
 * IPv4-mapped IPv6 address as its IPv4 address), so the filter is normalised alike: `::ffff:10.0.0.1`
 * finds 10.0.0.1, and `::ffff:10.0.0.0/104` finds 10.0.0.0/8.
 */
function parseAddress(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (value.includes('%'))
    throw invalid(`"address" must not carry a zone id (such as %eth0): the log stores addresses without one.`, {
      address: 'zone id not allowed',
    });
  let cidr: string;
  try {
    cidr = parseNetwork(value).cidr;
  } catch {
    throw invalid(`"address" must be an IP address or a network such as 10.0.0.0/8, got "${value}".`, {
      address: 'not an address or network',
    });
  }
  const [address = '', prefix = ''] = cidr.split('/');
  const ipv4 = normaliseIp(address);
  const ipv6Prefix = Number(prefix);
  return ipv4 !== address && isIPv4(ipv4) && ipv6Prefix >= 96 ? `${ipv4}/${ipv6Prefix - 96}` : cidr;
}

/** One page of the entries of `filter`, newest first, and how many there are in all. */
export async function listAuditLog(
  db: Db,
  filter: auditRepository.AuditFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: AuditLogRow[]; count: number }> {
  const [rows, count] = await Promise.all([
    auditRepository.listAuditEntries(db, filter, page),
    auditRepository.countAuditEntries(db, filter),
  ]);
  return { rows, count };
}

/**
 * Every entry of the filter, newest first, read `EXPORT_PAGE_SIZE` at a time by id (a keyset
 * cursor): an export of millions of entries holds one page in memory. The first page is read before
 * this returns, so that a failing query (or a refused filter, see `parseAuditQuery`) is still an error
 * answer: once the export's headers are sent, a failure can only cut the download short.
 */
export async function readAuditLog(db: Db, filter: auditRepository.AuditFilter): Promise<AsyncIterable<AuditLogRow>> {
  const first = await auditRepository.listAuditEntriesBefore(db, filter, null, EXPORT_PAGE_SIZE);
  return (async function* () {
    let rows = first;
    for (;;) {
      yield* rows;
      if (rows.length < EXPORT_PAGE_SIZE) return;
      rows = await auditRepository.listAuditEntriesBefore(db, filter, rows[rows.length - 1]!.id, EXPORT_PAGE_SIZE);
    }
  })();
}

/** Entries deleted per transaction by the purge: a long backlog goes in short transactions. */
const PURGE_BATCH = 5_000;

/**
 * Deletes entries older than `retentionDays` (null: keep forever, nothing is deleted); returns how
 * many went. The only deletion the append-only trigger allows (audit.repository.ts).
 */
export async function purgeAuditLog(db: Kysely<Database>, retentionDays: number | null) {
  if (retentionDays === null) return 0;
  let removed = 0;
  for (;;) {
    const batch = await auditRepository.deleteAuditEntriesOlderThan(db, retentionDays, PURGE_BATCH);
    removed += batch;
    if (batch < PURGE_BATCH) return removed;
  }
}
