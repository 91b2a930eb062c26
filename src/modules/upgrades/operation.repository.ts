import { type RawBuilder, sql, type Kysely } from 'kysely';
import type { Database, Db } from '../../database.js';
import { containsPattern } from '../../platform/db/database.js';
import { OPERATION_ERROR_CODE_NAMES, type OperationErrorCode } from '../upgraders/error-codes.js';
import {
  OPERATION_STATUS,
  type NewOperationRow,
  type OperationLogRow,
  type OperationRow,
  type OperationStatus,
} from './upgrades.table.js';
import type { OrderingTerm } from '../../platform/db/ordering.js';
import { inOrganizationScope } from '../../platform/db/organization-scope.js';

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
  batchId?: string | undefined;
  /** Leave out operations replaced by a retry in their batch. */
  currentOnly?: boolean | undefined;
  stage?: number | undefined;
  /** Device name contains (case-insensitive). */
  search?: string | undefined;
  /** The reason it ended or last failed, as the API names it (see `operationReasonSql`), whatever its status. */
  errorCode?: OperationErrorCode | undefined;
  /** Failed or aborted for this reason: one group of a batch's failure_reasons (see `failureReasonSql`). */
  failureReason?: OperationErrorCode | undefined;
}

/**
 * An operation's error code as the API names it, in SQL: a code of the closed set as it is, any other
 * code (written by a custom upgrader or an older version) as `upgrader-error`, as toOperationErrorCode
 * does. A failed or aborted operation without a code (only rows written by hand) counts as
 * `internal-error`, so that every failure falls in exactly one group and a group's filter finds its rows.
 */
export function operationReasonSql(table: 'o' | 'upgrade_operations') {
  const code = sql.ref(`${table}.error_code`);
  const status = sql.ref(`${table}.status`);
  return sql<OperationErrorCode | null>`(CASE
    WHEN ${code} = ANY(${OPERATION_ERROR_CODE_NAMES}::text[]) THEN ${code}
    WHEN ${code} IS NOT NULL THEN 'upgrader-error'
    WHEN ${status} IN ('failed', 'aborted') THEN 'internal-error'
  END)`;
}

/**
 * Why a failed or aborted operation ended, as the API names it (operationReasonSql); null for every other
 * status. The one definition of a failure group: a batch's failure_reasons count it, the operations list's
 * failure_reason filter selects by it and a retry by reason picks by it, so the three always agree (a pending
 * operation waiting after `unreachable` has the code but is no failure).
 */
export function failureReasonSql(table: 'o' | 'upgrade_operations') {
  const status = sql.ref(`${table}.status`);
  const reason = operationReasonSql(table);
  return sql<OperationErrorCode | null>`(CASE WHEN ${status} IN ('failed', 'aborted') THEN ${reason} END)`;
}

/**
 * An operation status as a sort key: the order an operation lives through (pending, in progress, then the
 * outcomes as OPERATION_STATUS lists them), not alphabetical. The operations list and the device list's
 * last_result sort by it; null (no operation) stays null.
 */
export function operationStatusOrderSql(column: 'o.status' | 'lo.status') {
  return sql<number | null>`array_position(${Object.values(OPERATION_STATUS)}::text[], ${sql.ref(column)})`;
}

/** Fields the operations of a mass upgrade sort by. */
export const OPERATION_ORDERING = {
  stage: sql`o.stage`,
  status: operationStatusOrderSql('o.status'),
  device_name: sql`d.name`,
  progress: sql`o.progress`,
  created: sql`o.created`,
} as const;
export type OperationOrderingField = keyof typeof OPERATION_ORDERING;

export type OperationWithDevice = OperationRow & {
  organizationId: string;
  deviceName: string;
  /** The maintenance window it waits for (name and time zone), when it waits for one. */
  waitingWindowName: string | null;
  waitingWindowTimeZone: string | null;
};

/** The columns of OperationWithDevice besides the operation's own. */
const WITH_DEVICE = [
  'd.organizationId',
  'd.name as deviceName',
  'w.name as waitingWindowName',
  'w.timeZone as waitingWindowTimeZone',
] as const;

function filtered(db: Db, filter: OperationFilter) {
  let query = db
    .selectFrom('upgradeOperations as o')
    .innerJoin('devices as d', 'd.id', 'o.deviceId')
    .leftJoin('maintenanceWindows as w', 'w.id', 'o.waitingWindowId');
  query = query.where((eb) => inOrganizationScope(eb, 'd.organizationId', filter.organizationIds));
  if (filter.organizationId !== undefined) query = query.where('d.organizationId', '=', filter.organizationId);
  if (filter.deviceId !== undefined) query = query.where('o.deviceId', '=', filter.deviceId);
  if (filter.imageId !== undefined) query = query.where('o.imageId', '=', filter.imageId);
  if (filter.status !== undefined) query = query.where('o.status', '=', filter.status);
  if (filter.batchId !== undefined) query = query.where('o.batchId', '=', filter.batchId);
  if (filter.currentOnly) query = query.where('o.retried', '=', false);
  if (filter.stage !== undefined) query = query.where('o.stage', '=', filter.stage);
  if (filter.search !== undefined && filter.search !== '')
    query = query.where('d.name', 'ilike', containsPattern(filter.search));
  if (filter.errorCode !== undefined) query = query.where(operationReasonSql('o'), '=', filter.errorCode);
  if (filter.failureReason !== undefined) query = query.where(failureReasonSql('o'), '=', filter.failureReason);
  return query;
}

/** A page of operations, newest first unless `ordering` says otherwise (ties: newest, then id, for stable pages). */
export async function listOperations(
  db: Db,
  filter: OperationFilter,
  page: { limit: number; offset: number },
  ordering: readonly OrderingTerm<OperationOrderingField>[] = [],
): Promise<OperationWithDevice[]> {
  let query = filtered(db, filter).selectAll('o').select(WITH_DEVICE);
  for (const { column, direction } of ordering) query = query.orderBy(OPERATION_ORDERING[column], direction);
  return query.orderBy('o.created', 'desc').orderBy('o.id').limit(page.limit).offset(page.offset).execute();
}

export async function countOperations(db: Db, filter: OperationFilter): Promise<number> {
  const row = await filtered(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return row.count;
}

export async function findOperationById(db: Db, id: string): Promise<OperationWithDevice | undefined> {
  return db
    .selectFrom('upgradeOperations as o')
    .innerJoin('devices as d', 'd.id', 'o.deviceId')
    .leftJoin('maintenanceWindows as w', 'w.id', 'o.waitingWindowId')
    .selectAll('o')
    .select(WITH_DEVICE)
    .where('o.id', '=', id)
    .executeTakeFirst();
}

export async function findActiveOperationForDevice(db: Db, deviceId: string): Promise<OperationRow | undefined> {
  return db
    .selectFrom('upgradeOperations')
    .selectAll()
    .where('deviceId', '=', deviceId)
    .where('status', 'in', ['pending', 'in-progress'])
    .executeTakeFirst();
}

export async function findLatestOperationForDevice(db: Db, deviceId: string): Promise<OperationRow | undefined> {
  return db
    .selectFrom('upgradeOperations')
    .selectAll()
    .where('deviceId', '=', deviceId)
    .orderBy('created', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function countActiveOperationsForImages(db: Db, imageIds: string[]): Promise<number> {
  if (imageIds.length === 0) return 0;
  // Operations of a mass upgrade that the workers have not written yet (batch_planned_operations) count too.
  const result = await sql<{ count: number }>`
    SELECT (SELECT count(*) FROM upgrade_operations
            WHERE image_id = ANY(${imageIds}::uuid[]) AND status IN ('pending', 'in-progress'))::int
      + (SELECT count(*) FROM batch_planned_operations p, unnest(p.image_ids) AS i(image_id)
         WHERE i.image_id = ANY(${imageIds}::uuid[]))::int AS count`.execute(db);
  return result.rows[0]!.count;
}

export async function insertOperation(db: Db, row: NewOperationRow): Promise<OperationRow> {
  return db.insertInto('upgradeOperations').values(row).returningAll().executeTakeFirstOrThrow();
}

/**
 * Wakes the workers (any process): a new operation is due, one was cancelled, or (`wake`) something a
 * sleeping operation waits for happened (a pull agent reported).
 */
export async function notifyWorkers(
  db: Db,
  message: { type: 'due' | 'cancelled' | 'wake'; id: string; batch?: string },
): Promise<void> {
  await sql`SELECT pg_notify(${NOTIFY_CHANNEL}, ${JSON.stringify(message)})`.execute(db);
}

/**
 * Appends a log line, numbered after the previous one, in one statement. (A running operation's lines
 * and progress steps go through operation-writes.ts, which groups them across operations.)
 */
/**
 * A log line as PostgreSQL stores it: text columns refuse the NUL character, which a router's command
 * output may hold; it becomes U+FFFD (the replacement character) instead of failing the write.
 */
export function storableText(message: string): string {
  return message.includes('\u0000') ? message.replaceAll('\u0000', '\uFFFD') : message;
}

export async function appendLog(
  db: Db,
  operationId: string,
  level: 'info' | 'warning' | 'error',
  message: string,
): Promise<{ seq: number; at: Date } | undefined> {
  const result = await sql<{ seq: number; at: Date }>`
    WITH next AS (UPDATE upgrade_operations SET log_seq = log_seq + 1 WHERE id = ${operationId} RETURNING log_seq)
    INSERT INTO upgrade_operation_logs (operation_id, seq, level, message)
    SELECT ${operationId}, log_seq, ${level}, ${storableText(message)} FROM next
    RETURNING seq, at`.execute(db);
  return result.rows[0];
}

export async function listLogs(db: Db, operationId: string, afterSeq = 0, limit = 10_000): Promise<OperationLogRow[]> {
  return db
    .selectFrom('upgradeOperationLogs')
    .selectAll()
    .where('operationId', '=', operationId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/** Cancels if still pending or in progress and flashing has not begun; returns the row if it did. */
export async function cancelOperation(db: Db, id: string): Promise<OperationRow | undefined> {
  return db
    .updateTable('upgradeOperations')
    .set({
      status: 'cancelled',
      errorCode: 'cancelled',
      finishedAt: new Date(),
      modified: new Date(),
      leaseOwner: null,
      leaseExpiresAt: null,
    })
    .where('id', '=', id)
    .where('status', 'in', ['pending', 'in-progress'])
    .where('flashStartedAt', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

// --- worker side ---------------------------------------------------------------------------

export type ClaimedOperation = OperationRow & { previousStatus: OperationStatus };

/**
 * Claims up to `limit` operations for this worker: due pending ones, and in-progress ones whose
 * lease ran out (their worker died). An operation of a mass upgrade is due only while its batch is
 * in progress and its stage is open, and only as far as the batch's max_concurrent allows; no
 * more than `globalLimit` operations run at once across all workers. Claims of all workers are
 * serialised by a transaction-level advisory lock (a claim takes milliseconds), which is what makes
 * those limits exact; each operation goes to exactly one worker. Each claim counts as an attempt.
 */
export async function claimOperations(
  db: Kysely<Database>,
  owner: string,
  leaseSeconds: number,
  limit: number,
  globalLimit: number,
): Promise<ClaimedOperation[]> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${CLAIM_LOCK})`.execute(trx);
    const result = await sql<ClaimedOperation>`
      WITH running AS (
        SELECT count(*)::int AS n FROM upgrade_operations WHERE status = 'in-progress' AND lease_expires_at >= now()
      ), taken_over AS (
        SELECT id, next_attempt_at FROM upgrade_operations WHERE status = 'in-progress' AND lease_expires_at < now()
      ), single AS (
        SELECT id, next_attempt_at FROM upgrade_operations
        WHERE status = 'pending' AND batch_id IS NULL AND next_attempt_at <= now()
        ORDER BY next_attempt_at LIMIT ${limit}
      ), batched AS (
        SELECT x.id, x.next_attempt_at FROM batch_upgrade_operations b
        CROSS JOIN LATERAL (
          SELECT o.id, o.next_attempt_at FROM upgrade_operations o
          WHERE o.batch_id = b.id AND o.status = 'pending' AND o.stage <= b.current_stage AND o.next_attempt_at <= now()
          ORDER BY o.next_attempt_at, o.stage, o.id
          LIMIT greatest(0, b.max_concurrent - (
            SELECT count(*) FROM upgrade_operations r WHERE r.batch_id = b.id AND r.status = 'in-progress'))
        ) x
        WHERE b.status = 'in-progress'
      ), due AS (
        SELECT id FROM (SELECT id, next_attempt_at FROM single UNION ALL SELECT id, next_attempt_at FROM batched) fresh
        ORDER BY next_attempt_at
        LIMIT least(${limit}, greatest(0, ${globalLimit} - (SELECT n FROM running)))
      ), chosen AS (
        -- Takeovers first: they may be flashed devices waiting for their final check.
        SELECT id FROM (SELECT id, 0 AS rank FROM taken_over UNION ALL SELECT id, 1 FROM due) candidates
        ORDER BY rank LIMIT ${limit}
      ), locked AS (
        -- Rows locked in id order, as every bulk write of operations does (operation-writes.ts), so a claim
        -- never deadlocks with them; a row another transaction holds waits for the next claim.
        SELECT id FROM upgrade_operations WHERE id IN (SELECT id FROM chosen) ORDER BY id FOR UPDATE SKIP LOCKED
      )
      UPDATE upgrade_operations o
      SET status = 'in-progress', lease_owner = ${owner},
          lease_expires_at = now() + make_interval(secs => ${leaseSeconds}),
          attempt = o.attempt + 1, started_at = coalesce(o.started_at, now()), modified = now(),
          -- A wait for a maintenance window ends with the claim; the worker decides the window again.
          waiting_window_id = NULL, window_opens_at = NULL
      FROM (SELECT c.id, p.status AS previous_status FROM locked c JOIN upgrade_operations p ON p.id = c.id) AS picked
      WHERE o.id = picked.id
        AND (
          (o.status = 'pending' AND o.next_attempt_at <= now())
          OR (o.status = 'in-progress' AND o.lease_expires_at < now())
        )
      RETURNING o.*, picked.previous_status`.execute(trx);
    return result.rows;
  });
}

/** Any fixed number: the advisory lock key serialising claims. */
const CLAIM_LOCK = 7_240_131;

/** Renews this worker's leases; returns the ids still held (others were cancelled or taken over). */
export async function extendLeases(db: Db, owner: string, ids: string[], leaseSeconds: number): Promise<string[]> {
  if (ids.length === 0) return [];
  // Rows locked in id order, as every bulk write of running operations does (operation-writes.ts): no deadlock.
  const result = await sql<{ id: string }>`
    WITH locked AS (SELECT id FROM upgrade_operations WHERE id = ANY(${ids}::uuid[]) ORDER BY id FOR UPDATE)
    UPDATE upgrade_operations o SET lease_expires_at = now() + make_interval(secs => ${leaseSeconds})
    FROM locked l
    WHERE o.id = l.id AND o.lease_owner = ${owner} AND o.status = 'in-progress'
    RETURNING o.id`.execute(db);
  return result.rows.map((row) => row.id);
}

function held(db: Db, id: string, owner: string) {
  return db
    .updateTable('upgradeOperations')
    .where('id', '=', id)
    .where('leaseOwner', '=', owner)
    .where('status', '=', 'in-progress');
}

/**
 * The point of no return, atomically: only if the operation is still held and not cancelled.
 * `bootIdBefore`, when given, is recorded in the same write (as `recordBootId` does).
 */
export async function markFlashStarted(db: Db, id: string, owner: string, bootIdBefore?: string): Promise<boolean> {
  const result = await held(db, id, owner)
    .where('flashStartedAt', 'is', null)
    .set((eb) => ({
      ...(bootIdBefore === undefined ? {} : { bootIdBefore }),
      flashStartedAt: new Date(),
      progress: sql<number>`greatest(${eb.ref('progress')}, 65)`,
      modified: new Date(),
    }))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * The flash a crashed worker recorded provably never happened: the operation is unflashed again
 * (cancellable, and its next flash is recorded anew). Only while this worker holds it.
 */
export async function clearFlashStarted(db: Db, id: string, owner: string): Promise<boolean> {
  const result = await held(db, id, owner)
    .where('flashStartedAt', 'is not', null)
    .set({ flashStartedAt: null, modified: new Date() })
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

export async function finishOperation(
  db: Db,
  id: string,
  owner: string,
  outcome: { status: OperationStatus; errorCode: OperationErrorCode | null; progress?: number },
): Promise<boolean> {
  const result = await held(db, id, owner)
    .set({
      status: outcome.status,
      errorCode: outcome.errorCode,
      ...(outcome.progress !== undefined ? { progress: outcome.progress } : {}),
      finishedAt: new Date(),
      modified: new Date(),
      leaseOwner: null,
      leaseExpiresAt: null,
    })
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Back to pending for a retry at `at`. */
export async function rescheduleOperation(
  db: Db,
  id: string,
  owner: string,
  at: Date,
  errorCode: OperationErrorCode,
): Promise<boolean> {
  const result = await held(db, id, owner)
    .set({
      status: 'pending',
      nextAttemptAt: at,
      errorCode,
      leaseOwner: null,
      leaseExpiresAt: null,
      modified: new Date(),
    })
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * The device is offline and its batch waits for it: back to pending until `at`. The attempt does
 * not count against the retry budget (the budget is for failures, not for absence).
 */
export async function rescheduleOffline(db: Db, id: string, owner: string, at: Date): Promise<boolean> {
  const result = await held(db, id, owner)
    .where('flashStartedAt', 'is', null)
    .set((eb) => ({
      status: 'pending',
      nextAttemptAt: at,
      errorCode: 'unreachable',
      leaseOwner: null,
      leaseExpiresAt: null,
      modified: new Date(),
      attempt: sql<number>`${eb.ref('attempt')} - 1`,
      offlineWaits: sql<number>`${eb.ref('offlineWaits')} + 1`,
    }))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** A device waited for came back (registered, or its address changed): try it now. Returns the operations woken. */
export async function wakeOfflineOperations(db: Db, deviceId: string): Promise<string[]> {
  const rows = await db
    .updateTable('upgradeOperations')
    .set({ nextAttemptAt: new Date(), modified: new Date() })
    .where('deviceId', '=', deviceId)
    .where('status', '=', 'pending')
    .where('offlineWaits', '>', 0)
    .where('nextAttemptAt', '>', new Date())
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

/** A worker stopping gracefully: unflashed work goes back to pending (the attempt not counted). */
export async function returnOperation(db: Db, id: string, owner: string): Promise<boolean> {
  const result = await held(db, id, owner)
    .where('flashStartedAt', 'is', null)
    .set((eb) => ({
      status: 'pending',
      attempt: sql<number>`${eb.ref('attempt')} - 1`,
      nextAttemptAt: new Date(),
      leaseOwner: null,
      leaseExpiresAt: null,
      modified: new Date(),
    }))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** A worker stopping gracefully: flashed work is released for another worker to verify at once. */
export async function releaseLease(db: Db, id: string, owner: string): Promise<void> {
  await held(db, id, owner)
    .set({ leaseExpiresAt: new Date(0) })
    .execute();
}

export async function findOperationStatus(
  db: Db,
  id: string,
): Promise<{ status: OperationStatus; leaseOwner: string | null } | undefined> {
  return db.selectFrom('upgradeOperations').select(['status', 'leaseOwner']).where('id', '=', id).executeTakeFirst();
}

/**
 * A lateral subquery: the earliest configuration backup kept by the operation `operationId` (an SQL
 * expression) or by one it retries, following `retry_of` back. A retry keeps the first backup: the
 * configuration before the first flash, not what a failed flash left.
 */
export function earliestBackupOfRetryChain(operationId: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`(
    WITH RECURSIVE chain(id) AS (
      SELECT ${operationId}
      UNION ALL
      SELECT o.retry_of FROM upgrade_operations o JOIN chain ON o.id = chain.id WHERE o.retry_of IS NOT NULL
    )
    SELECT b.id, b.sha256, b.release, b.created
    FROM device_backups b JOIN chain ON b.operation_id = chain.id
    ORDER BY b.created, b.id
    LIMIT 1
  )`;
}

/** Whether the operation or one it retries kept a configuration backup (then a retry takes no second one). */
export async function hasBackupInRetryChain(db: Db, operationId: string): Promise<boolean> {
  const { rows } = await sql<{ id: string }>`
    SELECT first.id FROM ${earliestBackupOfRetryChain(sql`${operationId}::uuid`)} first`.execute(db);
  return rows.length > 0;
}
