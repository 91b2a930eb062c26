import { sql } from 'kysely';
import type { Db } from '../../database.js';

/**
 * The dispatcher's reads of the events table and its cursor. It reads what other modules wrote
 * (events are the shared vocabulary, DESIGN "every change is an event"); the custom-image lookup
 * is the one place it looks into another module's tables, to learn which organizations an image
 * build concerns (builds themselves are shared and carry none).
 */

/** The cursor, locked for this transaction; undefined when another worker holds it (it is dispatching). */
export async function lockDispatchCursor(db: Db): Promise<number | undefined> {
  const row = await db
    .selectFrom('notificationDispatchCursor')
    .select('position')
    .where('id', '=', 1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
  return row ? Number(row.position) : undefined;
}

export async function moveDispatchCursor(db: Db, position: number): Promise<void> {
  await db
    .updateTable('notificationDispatchCursor')
    .set({ position, modified: new Date() })
    .where('id', '=', 1)
    .execute();
}

/** An event as the dispatcher sees it: `data` only for the kinds that can notify (log lines stay unread). */
export interface DispatchEvent {
  id: number;
  type: string;
  at: Date;
  organizationId: string | null;
  /** Its organization was deleted since: nothing can be told to it (its rows would break the foreign keys). */
  organizationGone: boolean;
  batchId: string | null;
  operationId: string | null;
  buildHash: string | null;
  data: Record<string, unknown> | null;
}

export async function readEventsAfter(db: Db, position: number, limit: number): Promise<DispatchEvent[]> {
  const rows = await db
    .selectFrom('events as e')
    // One join for the whole round, not a lookup per event.
    .leftJoin('organizations as o', 'o.id', 'e.organizationId')
    .select(['e.id', 'e.type', 'e.at', 'e.organizationId', 'e.batchId', 'e.operationId', 'e.buildHash'])
    .select(sql<boolean>`(e.organization_id IS NOT NULL AND o.id IS NULL)`.as('organizationGone'))
    .select(
      sql<Record<string, unknown> | null>`CASE
        WHEN e.type = 'batch' AND e.data->>'status' IN ('paused', 'success', 'failed', 'cancelled') THEN e.data
        WHEN e.type = 'operation' AND e.data->>'status' IN ('failed', 'aborted') THEN e.data
        WHEN e.type = 'build' AND e.data->>'status' = 'failed' THEN e.data
      END`.as('data'),
    )
    .where('e.id', '>', position)
    .orderBy('e.id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...row, id: Number(row.id) }));
}

/** The status in the event before `beforeId` of the same batch (or image build), if one is kept. */
export async function previousStatus(
  db: Db,
  subject: { batchId: string } | { buildHash: string },
  beforeId: number,
): Promise<string | null> {
  let query = db.selectFrom('events').select(sql<string>`data->>'status'`.as('status')).where('id', '<', beforeId);
  query =
    'batchId' in subject
      ? query.where('type', '=', 'batch').where('batchId', '=', subject.batchId)
      : query.where('type', '=', 'build').where('buildHash', '=', subject.buildHash);
  const row = await query.orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row?.status ?? null;
}

/** Firmware builds waiting for (or given up on) a custom image from this image build, with their organization. */
export async function findCustomImageBuilds(
  db: Db,
  requestHash: string,
): Promise<{ buildId: string; version: string; organizationId: string | null; target: string; profile: string }[]> {
  return db
    .selectFrom('firmwareCustomImages as c')
    .innerJoin('firmwareBuilds as b', 'b.id', 'c.buildId')
    .select(['b.id as buildId', 'b.version', 'b.organizationId', 'c.target', 'c.profile'])
    .where('c.requestHash', '=', requestHash)
    .where('c.status', 'in', ['building', 'failed'])
    .distinct()
    .execute();
}

/**
 * The first transaction id not yet assigned: every transaction that may hold an event id not yet
 * visible started before it.
 */
export async function transactionHorizon(db: Db): Promise<string> {
  const { rows } = await sql<{
    horizon: string;
  }>`SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS horizon`.execute(db);
  return rows[0]!.horizon;
}

/** True once every transaction that started before `horizon` has ended (committed or rolled back). */
export async function transactionsEndedBefore(db: Db, horizon: string): Promise<boolean> {
  const { rows } = await sql<{ ended: boolean }>`
    SELECT pg_snapshot_xmin(pg_current_snapshot()) >= ${horizon}::xid8 AS ended`.execute(db);
  return rows[0]!.ended;
}
