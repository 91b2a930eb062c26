import { sql } from 'kysely';
import type { Db } from '../../database.js';

/** Statistics of image builds, all from the request and result logs (asu_requests, asu_build_results). */

export async function summary(db: Db, sinceSeconds: number) {
  const since = sql<Date>`now() - make_interval(secs => ${sinceSeconds})`;
  const requests = await db
    .selectFrom('asuRequests')
    .select((eb) => [
      eb.fn.countAll<number>().as('requests'),
      sql<number>`count(*) FILTER (WHERE outcome = 'hit')::int`.as('cacheHits'),
      sql<number>`count(*) FILTER (WHERE outcome <> 'hit')::int`.as('cacheMisses'),
    ])
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  const results = await db
    .selectFrom('asuBuildResults')
    .select([
      sql<number>`count(*) FILTER (WHERE status = 'success')::int`.as('successes'),
      sql<number>`count(*) FILTER (WHERE status = 'failed')::int`.as('failures'),
    ])
    .where('finishedAt', '>', since)
    .executeTakeFirstOrThrow();
  return { ...requests, ...results };
}

export async function buildsByProfile(db: Db, sinceSeconds: number, limit: number) {
  return db
    .selectFrom('asuBuildResults')
    .select([
      'version',
      'target',
      'profile',
      sql<number>`count(*) FILTER (WHERE status = 'success')::int`.as('successes'),
      sql<number>`count(*) FILTER (WHERE status = 'failed')::int`.as('failures'),
      sql<number>`round(avg(duration_ms) FILTER (WHERE status = 'success'))::int`.as('meanDurationMs'),
    ])
    .where('finishedAt', '>', sql<Date>`now() - make_interval(secs => ${sinceSeconds})`)
    .groupBy(['version', 'target', 'profile'])
    .orderBy(sql`count(*)`, 'desc')
    .limit(limit)
    .execute();
}

export async function dailyCounts(db: Db, days: number) {
  const result = await sql<{ day: string; requests: number; cacheHits: number; failures: number }>`
    WITH days AS (
      SELECT generate_series(
        (now() AT TIME ZONE 'UTC')::date - (${days - 1})::int,
        (now() AT TIME ZONE 'UTC')::date,
        interval '1 day'
      )::date AS day
    )
    SELECT to_char(d.day, 'YYYY-MM-DD') AS day,
      (SELECT count(*) FROM asu_requests r
       WHERE (r.at AT TIME ZONE 'UTC')::date = d.day)::int AS requests,
      (SELECT count(*) FROM asu_requests r
       WHERE (r.at AT TIME ZONE 'UTC')::date = d.day AND r.outcome = 'hit')::int AS cache_hits,
      (SELECT count(*) FROM asu_build_results b
       WHERE (b.finished_at AT TIME ZONE 'UTC')::date = d.day AND b.status = 'failed')::int AS failures
    FROM days d
    ORDER BY d.day`.execute(db);
  return result.rows;
}

/** Successful builds per version and week: week 0 starts at `start`, each is 7 days long. */
export async function weeklySuccessesByVersion(db: Db, start: Date, weeks: number) {
  const result = await sql<{ version: string; week: number; count: number }>`
    SELECT version,
      floor(extract(epoch FROM finished_at - ${start}::timestamptz) / 604800)::int AS week,
      count(*)::int AS count
    FROM asu_build_results
    WHERE status = 'success'
      AND finished_at >= ${start}::timestamptz
      AND finished_at < ${start}::timestamptz + make_interval(days => ${weeks * 7})
    GROUP BY 1, 2`.execute(db);
  return result.rows;
}

export async function topPackages(db: Db, sinceSeconds: number, limit: number, versionPrefix: string | undefined) {
  // LIKE's wildcards and escape character in the prefix match themselves.
  const versionFilter = versionPrefix ? sql`AND version LIKE ${`${versionPrefix.replace(/[\\%_]/g, '\\$&')}%`}` : sql``;
  const result = await sql<{ name: string; count: number }>`
    SELECT name, count(*)::int AS count
    FROM asu_requests, unnest(added_packages) AS name
    WHERE at > now() - make_interval(secs => ${sinceSeconds}) ${versionFilter}
    GROUP BY name
    ORDER BY count DESC, name
    LIMIT ${limit}`.execute(db);
  return result.rows;
}

export async function recentErrors(db: Db, limit: number) {
  return db
    .selectFrom('asuBuildResults')
    .select(['finishedAt', 'version', 'target', 'profile', 'errorCode', 'detail'])
    .where('status', '=', 'failed')
    .orderBy('finishedAt', 'desc')
    .limit(limit)
    .execute();
}

export async function clientCounts(db: Db, sinceSeconds: number, limit: number) {
  return db
    .selectFrom('asuRequests')
    .select(['client', (eb) => eb.fn.countAll<number>().as('count')])
    .where('at', '>', sql<Date>`now() - make_interval(secs => ${sinceSeconds})`)
    .groupBy('client')
    .orderBy('count', 'desc')
    .limit(limit)
    .execute();
}

/** Totals since the logs began (for Prometheus counters) and the live queue. */
export async function totals(db: Db) {
  const result = await sql<{
    requests: number;
    cacheHits: number;
    successes: number;
    failures: number;
    queued: number;
    started: number;
  }>`
    SELECT (SELECT count(*) FROM asu_requests)::int AS requests,
      (SELECT count(*) FROM asu_requests WHERE outcome = 'hit')::int AS cache_hits,
      (SELECT count(*) FROM asu_build_results WHERE status = 'success')::int AS successes,
      (SELECT count(*) FROM asu_build_results WHERE status = 'failed')::int AS failures,
      (SELECT count(*) FROM asu_builds WHERE status = 'queued')::int AS queued,
      (SELECT count(*) FROM asu_builds WHERE status = 'started')::int AS started`.execute(db);
  return result.rows[0]!;
}
