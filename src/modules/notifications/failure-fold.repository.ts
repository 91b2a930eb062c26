import { sql } from 'kysely';
import type { Db } from '../../database.js';

/**
 * Failed operations of mass upgrades waiting to be told together (migrations/0020): one row per
 * operation, written and read by the dispatcher only, in its round's transaction (under the cursor
 * lock), so reading what waits and marking it told cannot race with another dispatcher.
 */

export interface FoldedFailure {
  operationId: string;
  batchId: string;
  organizationId: string | null;
  deviceId: string | null;
  deviceName: string;
  status: string;
  errorCode: string | null;
  occurredAt: Date;
  eventId: number;
}

/** How many failures of a batch wait, and the first few of them (first failed first). */
export interface WaitingFailures {
  count: number;
  lastAt: Date;
  devices: {
    operation: string;
    device: string | null;
    device_name: string;
    status: string;
    error_code: string | null;
  }[];
}

/** Records a failure once: an operation that reports failed again (another field changed) is not counted twice. */
export async function insertFoldedFailure(db: Db, failure: FoldedFailure): Promise<void> {
  await db
    .insertInto('notificationFoldedFailures')
    .values(failure)
    .onConflict((oc) => oc.column('operationId').doNothing())
    .execute();
}

/** The failures of a batch not told yet; null when none waits. `sample` is how many are listed by name. */
export async function findWaitingFailures(db: Db, batchId: string, sample: number): Promise<WaitingFailures | null> {
  const row = await db
    .selectFrom('notificationFoldedFailures')
    .select((eb) => [
      eb.fn.countAll<string>().as('count'),
      eb.fn.max('occurredAt').as('lastAt'),
      sql<WaitingFailures['devices']>`to_jsonb((array_agg(jsonb_build_object(
        'operation', operation_id, 'device', device_id, 'device_name', device_name,
        'status', status, 'error_code', error_code)
        ORDER BY event_id))[1:${sample}::int])`.as('devices'),
    ])
    .where('batchId', '=', batchId)
    .where('notificationId', 'is', null)
    .executeTakeFirstOrThrow();
  const count = Number(row.count);
  return count === 0 ? null : { count, lastAt: row.lastAt as Date, devices: row.devices };
}

/** A batch with failures waiting. */
export interface DueBatch {
  batchId: string;
  organizationId: string | null;
}

/** Batches whose oldest waiting failure is older than `seconds`: their digest is due. */
export async function findBatchesWithDueFailures(db: Db, seconds: number): Promise<DueBatch[]> {
  return db
    .selectFrom('notificationFoldedFailures')
    .select(['batchId', 'organizationId'])
    .where('notificationId', 'is', null)
    .groupBy(['batchId', 'organizationId'])
    .having((eb) => eb.fn.min('occurredAt'), '<=', sql<Date>`now() - make_interval(secs => ${seconds})`)
    .execute();
}

/** Links a batch's waiting failures to the notice that told them (they are purged with it). */
export async function markFailuresTold(db: Db, batchId: string, notificationId: string): Promise<void> {
  await db
    .updateTable('notificationFoldedFailures')
    .set({ notificationId })
    .where('batchId', '=', batchId)
    .where('notificationId', 'is', null)
    .execute();
}

/**
 * Drops a batch's waiting failures untold (their digest cannot be written); returns how many. The
 * operations and their events stay: only the notice about them is given up.
 */
export async function deleteWaitingFailures(db: Db, batchId: string): Promise<number> {
  const deleted = await db
    .deleteFrom('notificationFoldedFailures')
    .where('batchId', '=', batchId)
    .where('notificationId', 'is', null)
    .executeTakeFirst();
  return Number(deleted.numDeletedRows);
}

/** The build version a batch upgrades to, from its newest event still kept; null when none is. */
export async function findBatchVersion(db: Db, batchId: string): Promise<string | null> {
  const row = await db
    .selectFrom('events')
    .select(sql<string | null>`data->>'build_version'`.as('version'))
    .where('type', '=', 'batch')
    .where('batchId', '=', batchId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.version ?? null;
}
