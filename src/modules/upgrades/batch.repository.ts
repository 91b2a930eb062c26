import { sql, type Updateable } from 'kysely';
import type { Db } from '../../database.js';
import {
  RUNNING_BATCH_STATUSES,
  type BatchRow,
  type BatchStatus,
  type BatchUpgradeOperationsTable,
  type NewBatchRow,
} from './upgrades.table.js';
import { inOrganizationScope } from '../../platform/db/organization-scope.js';
import type { OperationErrorCode } from '../upgraders/error-codes.js';
import { earliestBackupOfRetryChain, failureReasonSql } from './operation.repository.js';

/** SQL of mass upgrades: set-based launch, aggregates, state changes (the candidates: candidates.repository.ts). */

type BatchColumn = Exclude<keyof BatchUpgradeOperationsTable, 'deviceIds'>;

/**
 * Every column of a batch but its selection's ids, which can be 10,000 uuids: those are counted instead.
 * A record, so that a column added to the table and forgotten here fails to compile.
 */
const BATCH_COLUMN_SET: Record<BatchColumn, true> = {
  id: true,
  buildId: true,
  buildVersion: true,
  organizationId: true,
  status: true,
  upgradeAll: true,
  groupName: true,
  location: true,
  upgradeOptions: true,
  rollout: true,
  stageSizes: true,
  currentStage: true,
  stageDecidedAt: true,
  gateOverrideStage: true,
  maxConcurrent: true,
  startAt: true,
  waitForOffline: true,
  offlineDeadline: true,
  maintenanceWindowId: true,
  backupMode: true,
  healthCheck: true,
  pauseReason: true,
  pauseDetail: true,
  thresholdBaseDecided: true,
  thresholdBaseFailed: true,
  published: true,
  createdBy: true,
  startedAt: true,
  finishedAt: true,
  created: true,
  modified: true,
  plannedCancelled: true,
};
const BATCH_COLUMNS = Object.keys(BATCH_COLUMN_SET) as BatchColumn[];

function batchColumns() {
  return [...BATCH_COLUMNS, sql<number | null>`cardinality(device_ids)`.as('selectedDevices')] as const;
}

export async function insertBatch(db: Db, row: NewBatchRow): Promise<BatchRow> {
  return db.insertInto('batchUpgradeOperations').values(row).returning(batchColumns()).executeTakeFirstOrThrow();
}

export interface PlannedOperation {
  deviceId: string;
  imageId: string;
  imageSha256: string;
  stage: number;
}

/**
 * The statement's end that turns the rows of a CTE `input` (device_id, image_id, image_sha256, stage, message)
 * into operations of the batch, each with its first log line (`{stage}` in the message replaced). A device
 * that got another operation meanwhile is left out (the one-active-operation index decides); the CTE
 * `inserted` names those that did get one. The options, backup mode, health check and creator are the batch's.
 */
function insertOperationsFromInput(batchId: string) {
  return sql`
    inserted AS (
      INSERT INTO upgrade_operations
        (device_id, image_id, image_sha256, options, batch_id, stage, created_by, next_attempt_at, log_seq, backup_mode,
         health_check)
      SELECT input.device_id, input.image_id, input.image_sha256, b.upgrade_options, b.id, input.stage, b.created_by,
        now(), 1, b.backup_mode, b.health_check
      FROM input CROSS JOIN batch_upgrade_operations b
      WHERE b.id = ${batchId}
      -- In device order: two writers of overlapping devices wait for each other's rows in the one-active
      -- index in the same order, never in a cycle.
      ORDER BY input.device_id
      ON CONFLICT (device_id) WHERE status IN ('pending', 'in-progress') DO NOTHING
      RETURNING id, device_id, stage
    ), logged AS (
      INSERT INTO upgrade_operation_logs (operation_id, seq, level, message)
      SELECT inserted.id, 1, 'info', replace(input.message, '{stage}', inserted.stage::text)
      FROM inserted JOIN input ON input.device_id = inserted.device_id
    )`;
}

/**
 * Creates operations of a batch in one statement, each with its first log line. A device that got
 * another operation meanwhile is left out; the ids of the devices that did get one are returned.
 */
export async function insertBatchOperations(
  db: Db,
  batchId: string,
  planned: PlannedOperation[],
  message: string,
): Promise<Set<string>> {
  if (planned.length === 0) return new Set();
  const result = await sql<{ deviceId: string }>`
    WITH input AS (
      SELECT *, ${message}::text AS message
      FROM unnest(${planned.map((p) => p.deviceId)}::uuid[], ${planned.map((p) => p.imageId)}::uuid[],
                  ${planned.map((p) => p.imageSha256)}::text[], ${planned.map((p) => p.stage)}::int[])
        AS t(device_id, image_id, image_sha256, stage)
    ), ${insertOperationsFromInput(batchId)}
    SELECT device_id FROM inserted`.execute(db);
  return new Set(result.rows.map((row) => row.deviceId));
}

/**
 * Records operations a launch leaves for the workers to write (migration 0033), as chunks numbered in order.
 * Their images are locked against deletion until the launch commits (the chunks have no foreign key; after
 * the commit, the check before a deletion counts them).
 */
export async function insertPlannedChunks(
  db: Db,
  batchId: string,
  chunks: PlannedOperation[][],
  message: string,
): Promise<void> {
  if (chunks.length === 0) return;
  const images = [...new Set(chunks.flatMap((chunk) => chunk.map((p) => p.imageId)))];
  await sql`SELECT 1 FROM firmware_images WHERE id = ANY(${images}::uuid[]) FOR KEY SHARE`.execute(db);
  for (const [seq, chunk] of chunks.entries()) {
    await sql`
      INSERT INTO batch_planned_operations (batch_id, seq, device_ids, image_ids, image_sha256s, stages, message)
      VALUES (${batchId}, ${seq}, ${chunk.map((p) => p.deviceId)}::uuid[], ${chunk.map((p) => p.imageId)}::uuid[],
        ${chunk.map((p) => p.imageSha256)}::text[], ${chunk.map((p) => p.stage)}::int[], ${message})`.execute(db);
  }
}

/**
 * Turns the batch's next planned chunk into operations, in one statement (the caller holds the batch's lock).
 * A device deleted since the launch is left out, as its operation would have gone with it; one whose image
 * was deleted, or that got another operation meanwhile, is recorded as skipped. Returns null when no chunk
 * is left, else how many operations it created.
 */
export async function writePlannedChunk(
  db: Db,
  batchId: string,
  skipDetail: { imageGone: string; operationRunning: string },
): Promise<number | null> {
  // The chunk's rows are hashed and joined in memory (a launch sets the same for its transaction).
  await sql`SET LOCAL work_mem = '64MB'`.execute(db);
  const result = await sql<{ chunks: number; created: number }>`
    WITH chunk AS (
      DELETE FROM batch_planned_operations p
      WHERE p.batch_id = ${batchId}
        AND p.seq = (SELECT min(seq) FROM batch_planned_operations WHERE batch_id = ${batchId})
      RETURNING p.*
    ), planned AS (
      SELECT t.*, chunk.message FROM chunk,
        unnest(chunk.device_ids, chunk.image_ids, chunk.image_sha256s, chunk.stages)
          AS t(device_id, image_id, image_sha256, stage)
      WHERE EXISTS (SELECT 1 FROM devices d WHERE d.id = t.device_id)
    ), input AS (
      SELECT * FROM planned WHERE EXISTS (SELECT 1 FROM firmware_images i WHERE i.id = planned.image_id)
    ), ${insertOperationsFromInput(batchId)}, skipped AS (
      INSERT INTO batch_skipped_devices (batch_id, device_id, reason, detail)
      SELECT ${batchId}, planned.device_id,
        CASE WHEN input.device_id IS NULL THEN 'no-fitting-image' ELSE 'operation-running' END,
        CASE WHEN input.device_id IS NULL THEN ${skipDetail.imageGone} ELSE ${skipDetail.operationRunning} END
      FROM planned
      LEFT JOIN input ON input.device_id = planned.device_id
      WHERE NOT EXISTS (SELECT 1 FROM inserted WHERE inserted.device_id = planned.device_id)
      ON CONFLICT DO NOTHING
    )
    SELECT (SELECT count(*) FROM chunk)::int AS chunks, (SELECT count(*) FROM inserted)::int AS created`.execute(db);
  const row = result.rows[0]!;
  return row.chunks === 0 ? null : row.created;
}

/**
 * Devices of each batch still waiting in planned chunks, per stage, and (`cancelled`) those a cancel took out
 * of the plan.
 */
export async function countPlannedByStage(
  db: Db,
  batchIds: string[],
): Promise<{ batchId: string; stage: number; count: number; cancelled: boolean }[]> {
  if (batchIds.length === 0) return [];
  const result = await sql<{ batchId: string; stage: number; count: number; cancelled: boolean }>`
    SELECT p.batch_id, s.stage, count(*)::int AS count, false AS cancelled
    FROM batch_planned_operations p, unnest(p.stages) AS s(stage)
    WHERE p.batch_id = ANY(${batchIds}::uuid[])
    GROUP BY 1, 2
    UNION ALL
    SELECT b.id, (c.stage - 1)::int, c.count, true
    FROM batch_upgrade_operations b, unnest(b.planned_cancelled) WITH ORDINALITY AS c(count, stage)
    WHERE b.id = ANY(${batchIds}::uuid[]) AND c.count > 0`.execute(db);
  return result.rows;
}

/**
 * Deletes the batch's planned chunks (a cancel: they will never be written) and records how many devices of
 * each stage they held on the batch (`planned_cancelled`). Returns how many devices that was.
 */
export async function cancelPlannedOperations(db: Db, batchId: string): Promise<number> {
  const result = await sql<{ count: number }>`
    WITH gone AS (
      DELETE FROM batch_planned_operations WHERE batch_id = ${batchId} RETURNING stages
    ), per_stage AS (
      SELECT s.stage, count(*)::int AS count FROM gone, unnest(gone.stages) AS s(stage) GROUP BY 1
    ), recorded AS (
      UPDATE batch_upgrade_operations b
      SET planned_cancelled = (
        SELECT array_agg(coalesce(per_stage.count, 0) ORDER BY i)
        FROM generate_series(0, cardinality(b.stage_sizes) - 1) AS i
        LEFT JOIN per_stage ON per_stage.stage = i
      )
      WHERE b.id = ${batchId} AND EXISTS (SELECT 1 FROM per_stage)
    )
    SELECT coalesce(sum(count), 0)::int AS count FROM per_stage`.execute(db);
  return result.rows[0]!.count;
}

/** Batches with planned chunks left (the controller writes them), oldest launch first. */
export async function listBatchesWithPlannedChunks(db: Db): Promise<string[]> {
  const result = await sql<{ batchId: string }>`
    SELECT p.batch_id FROM batch_planned_operations p
    JOIN batch_upgrade_operations b ON b.id = p.batch_id
    GROUP BY p.batch_id, b.created
    ORDER BY b.created, p.batch_id`.execute(db);
  return result.rows.map((row) => row.batchId);
}

export interface SkipRow {
  deviceId: string;
  reason: string;
  detail: string;
}

export async function insertSkips(db: Db, batchId: string, skips: SkipRow[]): Promise<void> {
  if (skips.length === 0) return;
  await sql`
    INSERT INTO batch_skipped_devices (batch_id, device_id, reason, detail)
    SELECT ${batchId}, *
    FROM unnest(
      ${skips.map((s) => s.deviceId)}::uuid[],
      ${skips.map((s) => s.reason)}::text[],
      ${skips.map((s) => s.detail)}::text[]
    )`.execute(db);
}

export async function lockBatch(db: Db, id: string): Promise<BatchRow | undefined> {
  return db
    .selectFrom('batchUpgradeOperations')
    .select(batchColumns())
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function findBatch(db: Db, id: string): Promise<BatchRow | undefined> {
  return db.selectFrom('batchUpgradeOperations').select(batchColumns()).where('id', '=', id).executeTakeFirst();
}

export type BatchUpdate = Omit<Updateable<BatchUpgradeOperationsTable>, 'id'>;

export async function updateBatch(db: Db, id: string, changes: BatchUpdate): Promise<BatchRow> {
  return db
    .updateTable('batchUpgradeOperations')
    .set({ ...changes, modified: new Date() })
    .where('id', '=', id)
    .returning(batchColumns())
    .executeTakeFirstOrThrow();
}

export interface BatchListFilter {
  /** Organizations visible to the caller; null = all (superuser). Batches of every organization are superuser-only. */
  organizationIds: string[] | null;
  organizationId?: string | undefined;
  buildId?: string | undefined;
  status?: BatchStatus | undefined;
  /** Only finished (true) or only running (false) batches. */
  finished?: boolean | undefined;
  /** Created at or after this instant. */
  createdFrom?: Date | undefined;
  /** Created before this instant. */
  createdBefore?: Date | undefined;
}

function filteredBatches(db: Db, filter: BatchListFilter) {
  let query = db.selectFrom('batchUpgradeOperations');
  query = query.where((eb) => inOrganizationScope(eb, 'organizationId', filter.organizationIds));
  if (filter.organizationId !== undefined) query = query.where('organizationId', '=', filter.organizationId);
  if (filter.buildId !== undefined) query = query.where('buildId', '=', filter.buildId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.finished !== undefined)
    query = query.where('status', filter.finished ? 'not in' : 'in', RUNNING_BATCH_STATUSES);
  if (filter.createdFrom !== undefined) query = query.where('created', '>=', filter.createdFrom);
  if (filter.createdBefore !== undefined) query = query.where('created', '<', filter.createdBefore);
  return query;
}

export async function listBatches(
  db: Db,
  filter: BatchListFilter,
  page: { limit: number; offset: number },
): Promise<BatchRow[]> {
  return filteredBatches(db, filter)
    .select(batchColumns())
    .orderBy('created', 'desc')
    .orderBy('id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

export async function countBatches(db: Db, filter: BatchListFilter): Promise<number> {
  const row = await filteredBatches(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return row.count;
}

export interface StageStatusCount {
  batchId: string;
  stage: number;
  status: string;
  waitingOffline: boolean;
  waitingForWindow: boolean;
  /** Why they ended, for failed and aborted operations (null for the others). */
  reason: OperationErrorCode | null;
  count: number;
}

/**
 * Operations per batch, stage, status and, for failed and aborted ones, reason (retried ones replaced
 * by their retry), in one query: the failure groups cost a few rows more, not a query more.
 */
export async function countOperationsByStage(db: Db, batchIds: string[]): Promise<StageStatusCount[]> {
  if (batchIds.length === 0) return [];
  const result = await sql<StageStatusCount>`
    SELECT batch_id, stage, status,
      -- A wait for a maintenance window is the current reason, whatever offline waits came before.
      (status = 'pending' AND offline_waits > 0 AND waiting_window_id IS NULL) AS waiting_offline,
      (status = 'pending' AND waiting_window_id IS NOT NULL) AS waiting_for_window,
      ${failureReasonSql('upgrade_operations')} AS reason,
      count(*)::int AS count
    FROM upgrade_operations
    WHERE batch_id = ANY(${batchIds}::uuid[]) AND NOT retried
    GROUP BY 1, 2, 3, 4, 5, 6`.execute(db);
  return result.rows;
}

export async function countSkips(
  db: Db,
  batchIds: string[],
): Promise<{ batchId: string; reason: string; count: number }[]> {
  if (batchIds.length === 0) return [];
  const result = await sql<{ batchId: string; reason: string; count: number }>`
    SELECT batch_id, reason, count(*)::int AS count
    FROM batch_skipped_devices
    WHERE batch_id = ANY(${batchIds}::uuid[])
    GROUP BY 1, 2`.execute(db);
  return result.rows;
}

export async function listSkips(db: Db, batchId: string, page: { limit: number; offset: number }, reason?: string) {
  let query = db
    .selectFrom('batchSkippedDevices as s')
    .innerJoin('devices as d', 'd.id', 's.deviceId')
    .select(['s.deviceId', 'd.name as deviceName', 's.reason', 's.detail'])
    .where('s.batchId', '=', batchId);
  if (reason !== undefined) query = query.where('s.reason', '=', reason);
  let count = db
    .selectFrom('batchSkippedDevices')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('batchId', '=', batchId);
  if (reason !== undefined) count = count.where('reason', '=', reason);
  const [rows, total] = await Promise.all([
    query.orderBy('d.name').orderBy('s.deviceId').limit(page.limit).offset(page.offset).execute(),
    count.executeTakeFirstOrThrow(),
  ]);
  return { rows, count: total.count };
}

/** Cancels every operation of the batch that has not started flashing, each with a log line; returns how many. */
export async function cancelBatchOperations(db: Db, batchId: string, message: string): Promise<number> {
  const result = await sql<{ count: number }>`
    WITH locked AS (
      -- In id order, as every bulk write of running operations locks them (operation-writes.ts): no deadlock.
      SELECT id FROM upgrade_operations
      WHERE batch_id = ${batchId} AND status IN ('pending', 'in-progress') AND flash_started_at IS NULL
      ORDER BY id FOR UPDATE
    ), cancelled AS (
      UPDATE upgrade_operations o
      SET status = 'cancelled', error_code = 'cancelled', finished_at = now(), modified = now(),
          lease_owner = NULL, lease_expires_at = NULL, log_seq = o.log_seq + 1
      FROM locked l
      WHERE o.id = l.id AND o.status IN ('pending', 'in-progress') AND o.flash_started_at IS NULL
      RETURNING o.id, o.log_seq
    ), logged AS (
      INSERT INTO upgrade_operation_logs (operation_id, seq, level, message)
      SELECT id, log_seq, 'warning', ${message} FROM cancelled
    )
    SELECT count(*)::int AS count FROM cancelled`.execute(db);
  return result.rows[0]!.count;
}

/**
 * New operations for the batch's failed and aborted ones (their device having no other operation
 * going on), in the same stage; the old ones that got a retry are marked as retried (one whose device
 * got another operation at the same moment keeps counting as it ended). With `reason`, only those that
 * ended for it (as the failure groups count them). Returns how many.
 */
export async function retryFailedOperations(
  db: Db,
  batchId: string,
  createdBy: string | null,
  message: string,
  reason?: OperationErrorCode,
): Promise<number> {
  const onlyReason = reason === undefined ? sql`` : sql`AND ${failureReasonSql('o')} = ${reason}`;
  const result = await sql<{ count: number }>`
    WITH old AS (
      SELECT o.id, o.device_id, o.image_id, o.image_sha256, o.options, o.stage, o.backup_mode, o.health_check
      FROM upgrade_operations o
      WHERE o.batch_id = ${batchId} AND NOT o.retried AND o.status IN ('failed', 'aborted') AND o.image_id IS NOT NULL
        ${onlyReason}
        AND NOT EXISTS (
          SELECT 1 FROM upgrade_operations a
          WHERE a.device_id = o.device_id AND a.status IN ('pending', 'in-progress')
        )
      ORDER BY o.device_id
      FOR UPDATE OF o
    ), inserted AS (
      INSERT INTO upgrade_operations
        (device_id, image_id, image_sha256, options, batch_id, stage, created_by, retry_of, next_attempt_at, log_seq,
         backup_mode, health_check)
      SELECT device_id, image_id, image_sha256, options, ${batchId}, stage, ${createdBy}, id, now(), 1, backup_mode,
        health_check
      FROM old
      ORDER BY device_id
      -- Another operation of the device queued since the check above (not yet committed then) wins.
      ON CONFLICT (device_id) WHERE status IN ('pending', 'in-progress') DO NOTHING
      RETURNING id, retry_of
    ), marked AS (
      UPDATE upgrade_operations o SET retried = true, modified = now()
      FROM inserted WHERE o.id = inserted.retry_of
    ), logged AS (
      INSERT INTO upgrade_operation_logs (operation_id, seq, level, message)
      SELECT id, 1, 'info', replace(${message}, '{previous}', retry_of::text) FROM inserted
    )
    SELECT count(*)::int AS count FROM inserted`.execute(db);
  return result.rows[0]!.count;
}

/** Batches the controller must look at: not finished. */
export async function listActiveBatchIds(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('batchUpgradeOperations')
    .select('id')
    .where('status', 'in', RUNNING_BATCH_STATUSES)
    .execute();
  return rows.map((row) => row.id);
}

/** A failed operation of a batch with the configuration backup taken before it. */
export interface RestorableOperation {
  operationId: string;
  deviceId: string;
  backup: { id: string; sha256: string; release: string; created: Date };
}

/**
 * The failed upgrades of a batch (the latest of each device: not retried since) whose flash started
 * and that have a backup taken before it (the earliest of their retry chain: the configuration before
 * the first flash), unless that backup was restored successfully already: what "restore the
 * pre-upgrade backup of the failed devices" restores.
 */
export async function listRestorableFailedOperations(db: Db, batchId: string): Promise<RestorableOperation[]> {
  const { rows } = await sql<{
    operationId: string;
    deviceId: string;
    backupId: string;
    sha256: string;
    release: string;
    created: Date;
  }>`
    SELECT o.id AS operation_id, o.device_id, b.id AS backup_id, b.sha256, b.release, b.created
    FROM upgrade_operations o CROSS JOIN LATERAL ${earliestBackupOfRetryChain(sql`o.id`)} b
    WHERE o.batch_id = ${batchId} AND o.status = 'failed' AND NOT o.retried AND o.kind = 'upgrade'
      AND o.flash_started_at IS NOT NULL
      AND NOT EXISTS (
        SELECT 1 FROM upgrade_operations r WHERE r.backup_id = b.id AND r.kind = 'restore' AND r.status = 'success'
      )
    ORDER BY o.device_id`.execute(db);
  return rows.map((row) => ({
    operationId: row.operationId,
    deviceId: row.deviceId,
    backup: { id: row.backupId, sha256: row.sha256, release: row.release, created: row.created },
  }));
}
