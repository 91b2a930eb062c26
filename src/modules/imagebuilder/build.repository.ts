import { type Insertable, sql } from 'kysely';
import type { Db } from '../../database.js';
import type { AsuBuildResultsTable, AsuBuildRow, NewAsuBuildRow } from './imagebuilder.table.js';

export const BUILD_NOTIFY_CHANNEL = 'fleetflash_builds';

export async function findBuild(db: Db, requestHash: string): Promise<AsuBuildRow | undefined> {
  return db.selectFrom('asuBuilds').selectAll().where('requestHash', '=', requestHash).executeTakeFirst();
}

/**
 * Queues a build unless a live one has the hash. One statement, so identical concurrent requests
 * meet at the primary key: one inserts, the others wait for it and find a live row. A row is
 * replaced only when its result expired, its failure was not the request's fault, or `force`.
 * Returns the row when this call queued it.
 */
export async function queueBuild(db: Db, row: NewAsuBuildRow, force: boolean): Promise<AsuBuildRow | undefined> {
  const replaceable = force
    ? sql<boolean>`asu_builds.status IN ('success', 'failed')`
    : sql<boolean>`(asu_builds.status IN ('success', 'failed') AND asu_builds.expires_at <= now())
        OR (asu_builds.status = 'failed' AND asu_builds.error_kind = 'infrastructure')`;
  const inserted = await db
    .insertInto('asuBuilds')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('requestHash')
        .doUpdateSet({
          request: row.request,
          defaultsSealed: row.defaultsSealed ?? null,
          client: row.client,
          clientKey: row.clientKey,
          status: 'queued',
          stage: 'queued',
          errorKind: null,
          errorCode: null,
          detail: null,
          missingPackages: [],
          conflictingPackages: [],
          result: null,
          buildCmd: null,
          stdout: '',
          stderr: '',
          attempts: 0,
          worker: null,
          heartbeatAt: null,
          notBefore: null,
          enqueuedAt: sql`now()`,
          startedAt: null,
          finishedAt: null,
          expiresAt: null,
        })
        .where(replaceable),
    )
    .returningAll()
    .executeTakeFirst();
  if (inserted) await sql`SELECT pg_notify(${BUILD_NOTIFY_CHANNEL}, '')`.execute(db);
  return inserted;
}

export async function countQueued(db: Db): Promise<number> {
  const row = await db
    .selectFrom('asuBuilds')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('status', '=', 'queued')
    .executeTakeFirstOrThrow();
  return row.count;
}

export async function countActiveOfClient(db: Db, clientKey: string): Promise<number> {
  const row = await db
    .selectFrom('asuBuilds')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('clientKey', '=', clientKey)
    .where('status', 'in', ['queued', 'started'])
    .executeTakeFirstOrThrow();
  return row.count;
}

/** Builds this client caused within the window (cache misses), and when the oldest of them leaves it. */
export async function recentMissesOfClient(
  db: Db,
  clientKey: string,
  windowSeconds: number,
): Promise<{ count: number; oldest: Date | null }> {
  const row = await db
    .selectFrom('asuBuilds')
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('enqueuedAt').as('oldest')])
    .where('clientKey', '=', clientKey)
    .where('enqueuedAt', '>', sql<Date>`now() - make_interval(secs => ${windowSeconds})`)
    .executeTakeFirstOrThrow();
  return { count: row.count, oldest: (row.oldest as Date | null) ?? null };
}

/**
 * The order builds are taken in: each client's queued builds take turns (a client's first build
 * before anyone's second), oldest first within a turn. Used by the claim and by queue positions.
 */
const FAIR_ORDER = sql`
  SELECT request_hash,
    row_number() OVER (PARTITION BY client_key ORDER BY enqueued_at, request_hash) AS turn,
    enqueued_at
  FROM asu_builds
  WHERE status = 'queued' AND (not_before IS NULL OR not_before <= now())`;

/** 0 when next in line; null when not queued. */
export async function queuePosition(db: Db, requestHash: string): Promise<number | null> {
  const result = await sql<{ position: number | null }>`
    WITH fair AS (${FAIR_ORDER}),
    me AS (SELECT turn, enqueued_at FROM fair WHERE request_hash = ${requestHash})
    SELECT (
      SELECT count(*) FROM fair, me
      WHERE (fair.turn, fair.enqueued_at, fair.request_hash) < (me.turn, me.enqueued_at, ${requestHash})
    )::int AS position
    FROM me`.execute(db);
  return result.rows[0]?.position ?? null;
}

/** Mean duration of the last successful builds of a target (seconds), or null without history. */
export async function recentBuildSeconds(db: Db, target: string): Promise<number | null> {
  const result = await sql<{ seconds: number | null }>`
    SELECT avg(duration_ms) / 1000.0 AS seconds FROM (
      SELECT duration_ms
      FROM asu_build_results
      WHERE target = ${target} AND status = 'success'
      ORDER BY finished_at DESC
      LIMIT 20
    ) recent`.execute(db);
  const seconds = result.rows[0]?.seconds;
  return seconds === null || seconds === undefined ? null : Number(seconds);
}

/**
 * Takes the next build for `worker`: first one whose worker stopped renewing its heartbeat for
 * `leaseSeconds` and that has attempts left (a takeover: the next attempt), else the next queued
 * one in fair order. Abandoned builds without attempts left are failed by `reclaimAbandoned`.
 */
export async function claimNextBuild(
  db: Db,
  worker: string,
  leaseSeconds: number,
  maxAttempts: number,
): Promise<AsuBuildRow | undefined> {
  const result = await sql<AsuBuildRow>`
    UPDATE asu_builds SET status = 'started', stage = 'init', worker = ${worker}, heartbeat_at = now(),
      started_at = now(), attempts = attempts + 1, not_before = NULL
    WHERE request_hash = coalesce((
      SELECT request_hash FROM asu_builds
      WHERE status = 'started' AND heartbeat_at < now() - make_interval(secs => ${leaseSeconds})
        AND attempts < ${maxAttempts}
      ORDER BY heartbeat_at LIMIT 1 FOR UPDATE SKIP LOCKED
    ), (
      SELECT b.request_hash FROM asu_builds b JOIN (${FAIR_ORDER}) fair USING (request_hash)
      WHERE b.status = 'queued' ORDER BY fair.turn, fair.enqueued_at, b.request_hash
      LIMIT 1 FOR UPDATE OF b SKIP LOCKED))
    RETURNING *`.execute(db);
  return result.rows[0];
}

export async function renewHeartbeats(db: Db, worker: string, hashes: string[]): Promise<string[]> {
  if (hashes.length === 0) return [];
  const rows = await db
    .updateTable('asuBuilds')
    .set({ heartbeatAt: sql`now()` })
    .where('requestHash', 'in', hashes)
    .where('worker', '=', worker)
    .where('status', '=', 'started')
    .returning('requestHash')
    .execute();
  return rows.map((row) => row.requestHash);
}

/** Builds whose worker stopped renewing: queued again, or failed once out of attempts. */
export async function reclaimAbandoned(
  db: Db,
  leaseSeconds: number,
  maxAttempts: number,
): Promise<{ requeued: number; failed: string[] }> {
  const stale = sql<boolean>`status = 'started' AND heartbeat_at < now() - make_interval(secs => ${leaseSeconds})`;
  const failed = await db
    .updateTable('asuBuilds')
    .set({
      status: 'failed',
      stage: 'failed',
      errorKind: 'infrastructure',
      errorCode: 'GAVE_UP',
      worker: null,
      defaultsSealed: null,
      detail: sql`'Error: the build was interrupted ' || attempts || ' time(s) (its worker stopped); '
        || 'giving up. Request it again to retry.'`,
      finishedAt: sql`now()`,
      expiresAt: sql`now()`,
    })
    .where(stale)
    .where('attempts', '>=', maxAttempts)
    .returning('requestHash')
    .execute();
  const requeued = await db
    .updateTable('asuBuilds')
    .set({ status: 'queued', stage: 'queued', worker: null, heartbeatAt: null })
    .where(stale)
    .where('attempts', '<', maxAttempts)
    .executeTakeFirst();
  const count = Number(requeued.numUpdatedRows);
  if (count > 0) await sql`SELECT pg_notify(${BUILD_NOTIFY_CHANNEL}, '')`.execute(db);
  return { requeued: count, failed: failed.map((row) => row.requestHash) };
}

export async function setStage(db: Db, requestHash: string, worker: string, stage: string): Promise<boolean> {
  const result = await db
    .updateTable('asuBuilds')
    .set({ stage, heartbeatAt: sql`now()` })
    .where('requestHash', '=', requestHash)
    .where('worker', '=', worker)
    .where('status', '=', 'started')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface FinishedBuild {
  status: 'success' | 'failed';
  expiresInSeconds: number;
  result?: Record<string, unknown>;
  buildCmd?: string[] | null;
  stdout: string;
  stderr: string;
  errorKind?: 'user' | 'infrastructure' | null;
  errorCode?: string | null;
  detail?: string | null;
  missing?: string[];
  conflicts?: string[];
}

/** Records the outcome, if this worker still holds the build. */
export async function finishBuild(
  db: Db,
  requestHash: string,
  worker: string,
  outcome: FinishedBuild,
): Promise<AsuBuildRow | undefined> {
  return db
    .updateTable('asuBuilds')
    .set({
      status: outcome.status,
      stage: outcome.status === 'success' ? 'done' : 'failed',
      result: outcome.result ? JSON.stringify(outcome.result) : null,
      buildCmd: outcome.buildCmd ? JSON.stringify(outcome.buildCmd) : null,
      stdout: outcome.stdout,
      stderr: outcome.stderr,
      errorKind: outcome.errorKind ?? null,
      errorCode: outcome.errorCode ?? null,
      detail: outcome.detail ?? (outcome.status === 'success' ? 'done' : null),
      missingPackages: outcome.missing ?? [],
      conflictingPackages: outcome.conflicts ?? [],
      defaultsSealed: null,
      worker: null,
      finishedAt: sql`now()`,
      expiresAt: sql`now() + make_interval(secs => ${outcome.expiresInSeconds})`,
    })
    .where('requestHash', '=', requestHash)
    .where('worker', '=', worker)
    .where('status', '=', 'started')
    .returningAll()
    .executeTakeFirst();
}

/** An infrastructure failure with attempts left: queued again after a delay. */
export async function retryLater(
  db: Db,
  requestHash: string,
  worker: string,
  delaySeconds: number,
  detail: string,
  options: { refundAttempt?: boolean } = {},
): Promise<boolean> {
  const result = await db
    .updateTable('asuBuilds')
    .set({
      status: 'queued',
      stage: 'queued',
      worker: null,
      heartbeatAt: null,
      detail,
      notBefore: sql`now() + make_interval(secs => ${delaySeconds})`,
      ...(options.refundAttempt ? { attempts: sql`greatest(attempts - 1, 0)` } : {}),
    })
    .where('requestHash', '=', requestHash)
    .where('worker', '=', worker)
    .where('status', '=', 'started')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The earliest time a delayed build becomes due (to wake a worker), or null. */
export async function nextDelayedBuild(db: Db): Promise<Date | null> {
  const row = await db
    .selectFrom('asuBuilds')
    .select((eb) => eb.fn.min('notBefore').as('at'))
    .where('status', '=', 'queued')
    .where('notBefore', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return (row?.at as Date | null | undefined) ?? null;
}

export async function replaceFiles(
  db: Db,
  requestHash: string,
  files: { name: string; sha256: string; size: number }[],
): Promise<string[]> {
  const old = await db.deleteFrom('asuBuildFiles').where('requestHash', '=', requestHash).returning('sha256').execute();
  if (files.length > 0)
    await db
      .insertInto('asuBuildFiles')
      .values(files.map((file) => ({ requestHash, ...file })))
      .execute();
  return old.map((row) => row.sha256);
}

export async function findFile(db: Db, requestHash: string, name: string) {
  return db
    .selectFrom('asuBuildFiles')
    .innerJoin('asuBuilds', 'asuBuilds.requestHash', 'asuBuildFiles.requestHash')
    .select([
      'asuBuildFiles.name',
      'asuBuildFiles.sha256',
      'asuBuildFiles.size',
      'asuBuilds.status',
      'asuBuilds.expiresAt',
    ])
    .where('asuBuildFiles.requestHash', '=', requestHash)
    .where('asuBuildFiles.name', '=', name)
    .executeTakeFirst();
}

export async function listFiles(db: Db, requestHash: string) {
  return db
    .selectFrom('asuBuildFiles')
    .select(['name', 'sha256', 'size'])
    .where('requestHash', '=', requestHash)
    .orderBy('name')
    .execute();
}

/** Deletes builds expired longer than the grace period; returns the file hashes they held. */
export async function deleteExpiredBuilds(db: Db, graceSeconds: number, limit: number): Promise<string[]> {
  const rows = await sql<{ sha256: string }>`
    WITH gone AS (
      DELETE FROM asu_builds WHERE request_hash IN (
        SELECT request_hash
        FROM asu_builds
        WHERE expires_at < now() - make_interval(secs => ${graceSeconds})
        LIMIT ${limit})
      RETURNING request_hash)
    SELECT f.sha256 FROM asu_build_files f WHERE f.request_hash IN (SELECT request_hash FROM gone)`.execute(db);
  return rows.rows.map((row) => row.sha256);
}

export async function expireBuild(db: Db, requestHash: string): Promise<boolean> {
  const result = await db
    .updateTable('asuBuilds')
    .set({ expiresAt: sql`now()` })
    .where('requestHash', '=', requestHash)
    .where('status', 'in', ['success', 'failed'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertRequestLog(
  db: Db,
  row: {
    requestHash: string;
    version: string;
    target: string;
    profile: string;
    client: string;
    outcome: 'hit' | 'miss' | 'joined';
    addedPackages: string[];
  },
): Promise<void> {
  await db.insertInto('asuRequests').values(row).execute();
}

export async function insertResultLog(
  db: Db,
  row: Omit<Insertable<AsuBuildResultsTable>, 'id' | 'finishedAt'>,
): Promise<void> {
  await db.insertInto('asuBuildResults').values(row).execute();
}

export async function purgeStatistics(db: Db, retentionSeconds: number): Promise<void> {
  await db
    .deleteFrom('asuRequests')
    .where('at', '<', sql<Date>`now() - make_interval(secs => ${retentionSeconds})`)
    .execute();
  await db
    .deleteFrom('asuBuildResults')
    .where('finishedAt', '<', sql<Date>`now() - make_interval(secs => ${retentionSeconds})`)
    .execute();
}
