import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import type { NewOperationRow, OperationLogRow, OperationRow, OperationStatus } from './upgrades.table.js';

/**
 * SQL of upgrade operations. Every write a worker makes is conditional on the operation still being
 * in progress under that worker's lease: a cancel (or another worker taking over after a lost
 * lease) can never be overwritten by a late progress or status write.
 */

export const NOTIFY_CHANNEL = 'fleetflash_upgrades';

export interface OperationFilter {
  /** Organizations whose devices' operations are visible; null = all. */
  organizationIds: string[] | null;
  organizationId?: string | undefined;
  deviceId?: string | undefined;
  imageId?: string | undefined;
  status?: OperationStatus | undefined;
}

export type OperationWithDevice = OperationRow & { organizationId: string; deviceName: string };

function filtered(db: Db, filter: OperationFilter) {
  let query = db.selectFrom('upgradeOperations as o').innerJoin('devices as d', 'd.id', 'o.deviceId');
  if (filter.organizationIds !== null) {
    query = filter.organizationIds.length > 0 ? query.where('d.organizationId', 'in', filter.organizationIds) : query.where((eb) => eb.val(false));
  }
  if (filter.organizationId !== undefined) query = query.where('d.organizationId', '=', filter.organizationId);
  if (filter.deviceId !== undefined) query = query.where('o.deviceId', '=', filter.deviceId);
  if (filter.imageId !== undefined) query = query.where('o.imageId', '=', filter.imageId);
  if (filter.status !== undefined) query = query.where('o.status', '=', filter.status);
  return query;
}

export async function listOperations(db: Db, filter: OperationFilter, page: { limit: number; offset: number }): Promise<OperationWithDevice[]> {
  return filtered(db, filter).selectAll('o').select(['d.organizationId', 'd.name as deviceName'])
    .orderBy('o.created', 'desc').orderBy('o.id').limit(page.limit).offset(page.offset).execute();
}

export async function countOperations(db: Db, filter: OperationFilter): Promise<number> {
  const row = await filtered(db, filter).select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  return row.count;
}

export async function findOperationById(db: Db, id: string): Promise<OperationWithDevice | undefined> {
  return db.selectFrom('upgradeOperations as o').innerJoin('devices as d', 'd.id', 'o.deviceId')
    .selectAll('o').select(['d.organizationId', 'd.name as deviceName']).where('o.id', '=', id).executeTakeFirst();
}

export async function findActiveOperationForDevice(db: Db, deviceId: string): Promise<OperationRow | undefined> {
  return db.selectFrom('upgradeOperations').selectAll().where('deviceId', '=', deviceId).where('status', 'in', ['pending', 'in-progress']).executeTakeFirst();
}

export async function findLatestOperationForDevice(db: Db, deviceId: string): Promise<OperationRow | undefined> {
  return db.selectFrom('upgradeOperations').selectAll().where('deviceId', '=', deviceId).orderBy('created', 'desc').limit(1).executeTakeFirst();
}

export async function countActiveOperationsForImages(db: Db, imageIds: string[]): Promise<number> {
  if (imageIds.length === 0) return 0;
  const row = await db.selectFrom('upgradeOperations').select((eb) => eb.fn.countAll<number>().as('count'))
    .where('imageId', 'in', imageIds).where('status', 'in', ['pending', 'in-progress']).executeTakeFirstOrThrow();
  return row.count;
}

export async function insertOperation(db: Db, row: NewOperationRow): Promise<OperationRow> {
  return db.insertInto('upgradeOperations').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Wakes the workers (any process) that a new operation is due. */
export async function notifyWorkers(db: Db, message: { type: 'due' | 'cancelled'; id: string }): Promise<void> {
  await sql`SELECT pg_notify(${NOTIFY_CHANNEL}, ${JSON.stringify(message)})`.execute(db);
}

/** Appends a log line, numbered after the previous one, in one statement. */
export async function appendLog(db: Db, operationId: string, level: 'info' | 'warning' | 'error', message: string): Promise<{ seq: number; at: Date } | undefined> {
  const result = await sql<{ seq: number; at: Date }>`
    WITH next AS (UPDATE upgrade_operations SET log_seq = log_seq + 1 WHERE id = ${operationId} RETURNING log_seq)
    INSERT INTO upgrade_operation_logs (operation_id, seq, level, message)
    SELECT ${operationId}, log_seq, ${level}, ${message} FROM next
    RETURNING seq, at`.execute(db);
  return result.rows[0];
}

export async function listLogs(db: Db, operationId: string, afterSeq = 0, limit = 10_000): Promise<OperationLogRow[]> {
  return db.selectFrom('upgradeOperationLogs').selectAll().where('operationId', '=', operationId).where('seq', '>', afterSeq)
    .orderBy('seq').limit(limit).execute();
}

/** Cancels if still pending or in progress and flashing has not begun; returns the row if it did. */
export async function cancelOperation(db: Db, id: string): Promise<OperationRow | undefined> {
  return db.updateTable('upgradeOperations')
    .set({ status: 'cancelled', errorCode: 'cancelled', finishedAt: new Date(), modified: new Date(), leaseOwner: null, leaseExpiresAt: null })
    .where('id', '=', id).where('status', 'in', ['pending', 'in-progress']).where('flashStartedAt', 'is', null)
    .returningAll().executeTakeFirst();
}

// --- worker side ---------------------------------------------------------------------------

export type ClaimedOperation = OperationRow & { previousStatus: OperationStatus };

/**
 * Claims up to `limit` operations for this worker: due pending ones, and in-progress ones whose
 * lease ran out (their worker died). SKIP LOCKED lets any number of workers claim at once, each
 * operation going to exactly one. Each claim counts as an attempt.
 */
export async function claimOperations(db: Db, owner: string, leaseSeconds: number, limit: number): Promise<ClaimedOperation[]> {
  const result = await sql<ClaimedOperation>`
    WITH due AS (
      SELECT id, status AS previous_status FROM upgrade_operations
      WHERE (status = 'pending' AND next_attempt_at <= now())
         OR (status = 'in-progress' AND lease_expires_at < now())
      ORDER BY next_attempt_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE upgrade_operations o
    SET status = 'in-progress', lease_owner = ${owner},
        lease_expires_at = now() + make_interval(secs => ${leaseSeconds}),
        attempt = o.attempt + 1, started_at = coalesce(o.started_at, now()), modified = now()
    FROM due WHERE o.id = due.id
    RETURNING o.*, due.previous_status`.execute(db);
  return result.rows;
}

/** When the next pending operation falls due (to sleep until then), or null. */
export async function nextDueAt(db: Db): Promise<Date | null> {
  const row = await db.selectFrom('upgradeOperations').select((eb) => eb.fn.min('nextAttemptAt').as('next')).where('status', '=', 'pending').executeTakeFirst();
  return (row?.next as Date | null | undefined) ?? null;
}

/** Renews this worker's leases; returns the ids still held (others were cancelled or taken over). */
export async function extendLeases(db: Db, owner: string, ids: string[], leaseSeconds: number): Promise<string[]> {
  if (ids.length === 0) return [];
  const result = await sql<{ id: string }>`
    UPDATE upgrade_operations SET lease_expires_at = now() + make_interval(secs => ${leaseSeconds})
    WHERE id = ANY(${ids}::uuid[]) AND lease_owner = ${owner} AND status = 'in-progress'
    RETURNING id`.execute(db);
  return result.rows.map((row) => row.id);
}

function held(db: Db, id: string, owner: string) {
  return db.updateTable('upgradeOperations').where('id', '=', id).where('leaseOwner', '=', owner).where('status', '=', 'in-progress');
}

export async function updateProgress(db: Db, id: string, owner: string, progress: number): Promise<boolean> {
  const result = await held(db, id, owner).set({ progress, modified: new Date() }).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The point of no return, atomically: only if the operation is still held and not cancelled. */
export async function markFlashStarted(db: Db, id: string, owner: string): Promise<boolean> {
  const result = await held(db, id, owner).where('flashStartedAt', 'is', null)
    .set((eb) => ({ flashStartedAt: new Date(), progress: sql<number>`greatest(${eb.ref('progress')}, 65)`, modified: new Date() }))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function recordBootId(db: Db, id: string, owner: string, bootId: string): Promise<boolean> {
  const result = await held(db, id, owner).set({ bootIdBefore: bootId }).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function recordStoppedServices(db: Db, id: string, owner: string, services: string[]): Promise<boolean> {
  const result = await held(db, id, owner).set({ stoppedServices: services }).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function finishOperation(db: Db, id: string, owner: string, outcome: { status: OperationStatus; errorCode: string | null; progress?: number }): Promise<boolean> {
  const result = await held(db, id, owner).set({
    status: outcome.status,
    errorCode: outcome.errorCode,
    ...(outcome.progress !== undefined ? { progress: outcome.progress } : {}),
    finishedAt: new Date(),
    modified: new Date(),
    leaseOwner: null,
    leaseExpiresAt: null,
  }).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Back to pending for a retry at `at`. */
export async function rescheduleOperation(db: Db, id: string, owner: string, at: Date, errorCode: string): Promise<boolean> {
  const result = await held(db, id, owner).set({ status: 'pending', nextAttemptAt: at, errorCode, leaseOwner: null, leaseExpiresAt: null, modified: new Date() }).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** A worker stopping gracefully: unflashed work goes back to pending (the attempt not counted). */
export async function returnOperation(db: Db, id: string, owner: string): Promise<boolean> {
  const result = await held(db, id, owner).where('flashStartedAt', 'is', null)
    .set((eb) => ({ status: 'pending', attempt: sql<number>`${eb.ref('attempt')} - 1`, nextAttemptAt: new Date(), leaseOwner: null, leaseExpiresAt: null, modified: new Date() }))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** A worker stopping gracefully: flashed work is released for another worker to verify at once. */
export async function releaseLease(db: Db, id: string, owner: string): Promise<void> {
  await held(db, id, owner).set({ leaseExpiresAt: new Date(0) }).execute();
}

export async function findOperationStatus(db: Db, id: string): Promise<{ status: OperationStatus; leaseOwner: string | null } | undefined> {
  return db.selectFrom('upgradeOperations').select(['status', 'leaseOwner']).where('id', '=', id).executeTakeFirst();
}
