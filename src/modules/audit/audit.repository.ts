import { type Kysely, sql } from 'kysely';
import type { Database, Db } from '../../database.js';
import { inOrganizationScope, type OrganizationScope } from '../../platform/db/organization-scope.js';
import type { AuditLogRow, NewAuditLogRow } from './audit.table.js';

/** Which entries a list or an export reads. Every field narrows; absent fields do not. */
export interface AuditFilter {
  /** The caller's organizations (null: all, and the global entries too: superusers). */
  scope: OrganizationScope;
  organizationId?: string | undefined;
  /** Username (of a person) or name (of a system part), exactly, ignoring case. */
  actor?: string | undefined;
  /** An action exactly, or every action under a prefix (`device.`). */
  action?: { exact: string } | { prefix: string } | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** An address, or a network (`10.0.0.0/8`): entries from inside it. */
  address?: string | undefined;
}

export async function insertAuditEntry(db: Db, row: NewAuditLogRow): Promise<void> {
  await db.insertInto('auditLog').values(row).execute();
}

function filtered(db: Db, filter: AuditFilter) {
  let query = db.selectFrom('auditLog');
  // Global entries (organization null) belong to nobody's organization: only an unscoped caller sees them.
  query = query.where((eb) => inOrganizationScope(eb, 'organizationId', filter.scope));
  if (filter.organizationId !== undefined) query = query.where('organizationId', '=', filter.organizationId);
  if (filter.actor !== undefined) query = query.where(sql`lower(actor_name)`, '=', filter.actor.toLowerCase());
  if (filter.action !== undefined) {
    const action = filter.action;
    query =
      'exact' in action
        ? query.where('action', '=', action.exact)
        : query.where('action', 'like', `${action.prefix.replace(/[\\%_]/g, '\\$&')}%`);
  }
  if (filter.targetType !== undefined) query = query.where('targetType', '=', filter.targetType);
  if (filter.targetId !== undefined) query = query.where('targetId', '=', filter.targetId);
  if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('at', '<', filter.to);
  if (filter.address !== undefined) query = query.where(sql<boolean>`address <<= ${filter.address}::inet`);
  return query;
}

/** One page of entries, newest first. */
export async function listAuditEntries(
  db: Db,
  filter: AuditFilter,
  page: { limit: number; offset: number },
): Promise<AuditLogRow[]> {
  return filtered(db, filter).selectAll().orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute();
}

export async function countAuditEntries(db: Db, filter: AuditFilter): Promise<number> {
  const row = await filtered(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return row.count;
}

/**
 * Up to `limit` entries older than entry `beforeId` (all when null), newest first: the export's
 * keyset pages. Unlike offsets, a page does not shift when entries are added during the export.
 */
export async function listAuditEntriesBefore(
  db: Db,
  filter: AuditFilter,
  beforeId: number | null,
  limit: number,
): Promise<AuditLogRow[]> {
  let query = filtered(db, filter).selectAll();
  if (beforeId !== null) query = query.where('id', '<', beforeId);
  return query.orderBy('id', 'desc').limit(limit).execute();
}

/**
 * Deletes up to `limit` entries older than `retentionDays` days, in one transaction that tells the
 * append-only trigger (migrations 0013, 0018) the cut-off: the trigger lets through only deletions of
 * older rows, and only for a cut-off at least a day old. The cut-off is the database's `now()`, the
 * clock the trigger checks it against (the application's clock may run ahead). Returns how many went.
 */
export async function deleteAuditEntriesOlderThan(
  db: Kysely<Database>,
  retentionDays: number,
  limit: number,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const cutoff = sql<Date>`current_setting('fleetflash.audit_purge_before')::timestamptz`;
    const cutoffText = sql`(now() - make_interval(days => ${retentionDays}))::text`;
    await sql`SELECT set_config('fleetflash.audit_purge_before', ${cutoffText}, true)`.execute(trx);
    const result = await trx
      .deleteFrom('auditLog')
      .where('id', 'in', (eb) =>
        eb.selectFrom('auditLog').select('id').where('at', '<', cutoff).orderBy('id').limit(limit),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  });
}
