import type { Kysely } from 'kysely';
import type { Config } from '../../platform/config.js';
import type { Database } from '../../database.js';
import * as buildRepository from './build.repository.js';
import type { AsuBuildRow } from './imagebuilder.table.js';
import * as statsRepository from './stats.repository.js';

/**
 * What the ASU routes read: a build's state as ASU documents it, dropping a cached result, the
 * files of finished builds, and statistics. No HTTP here: the routes choose statuses and headers.
 */

/** A build's state: which of ASU's answers it is, and the document (without its `status`). */
export interface BuildState {
  state: AsuBuildRow['status'];
  /** `imagebuilder_status`: queued, a stage, done or failed. */
  stage: string;
  queuePosition: number;
  document: Record<string, unknown>;
}

export async function describeBuild(db: Kysely<Database>, config: Config, row: AsuBuildRow): Promise<BuildState> {
  const common = { request_hash: row.requestHash, enqueued_at: row.enqueuedAt.toISOString(), request: row.request };
  if (row.status === 'queued') {
    const position = (await buildRepository.queuePosition(db, row.requestHash)) ?? 0;
    const seconds = (await buildRepository.recentBuildSeconds(db, row.target)) ?? null;
    const wait =
      seconds === null ? null : Math.round(seconds * (Math.floor(position / config.imageBuilds.concurrency) + 1));
    return {
      state: 'queued',
      stage: 'queued',
      queuePosition: position,
      document: {
        detail: 'queued',
        imagebuilder_status: 'queued',
        queue_position: position,
        estimated_wait_seconds: wait,
        ...common,
        ...(row.detail ? { last_attempt: row.detail } : {}),
      },
    };
  }
  if (row.status === 'started') {
    return {
      state: 'started',
      stage: row.stage,
      queuePosition: 0,
      document: {
        // No queue_position once started (as ASU): LuCI shows "Queued…" while the field is there.
        detail: 'started',
        imagebuilder_status: row.stage,
        ...common,
        stdout: '',
        stderr: '',
      },
    };
  }
  if (row.status === 'success') {
    return {
      state: 'success',
      stage: 'done',
      queuePosition: 0,
      document: {
        ...(row.result ?? {}),
        detail: 'done',
        imagebuilder_status: 'done',
        ...common,
        stdout: row.stdout,
        stderr: row.stderr,
        expires_at: row.expiresAt?.toISOString() ?? null,
      },
    };
  }
  return {
    state: 'failed',
    stage: 'failed',
    queuePosition: 0,
    document: {
      detail: `Error: ${row.detail ?? 'the build failed'}`,
      imagebuilder_status: 'failed',
      error_code: row.errorCode,
      error_kind: row.errorKind,
      missing_packages: row.missingPackages,
      conflicting_packages: row.conflictingPackages,
      ...common,
      ...(row.buildCmd ? { build_cmd: row.buildCmd } : {}),
      stdout: row.stdout,
      stderr: row.stderr,
      retried:
        row.errorKind === 'infrastructure'
          ? 'a new request for this build starts it again'
          : `cached until ${row.expiresAt?.toISOString() ?? 'now'}`,
    },
  };
}

/** Drops a finished build's cached result; a queued or running build cannot be dropped. */
export async function dropBuild(db: Kysely<Database>, hash: string): Promise<'dropped' | 'running' | 'not-found'> {
  if (await buildRepository.expireBuild(db, hash)) return 'dropped';
  return (await buildRepository.findBuild(db, hash)) ? 'running' : 'not-found';
}

/** How long after a result expires its files are still served (a client may be mid-download). */
const STORE_GRACE_MS = 600_000;

/** A file of a successful build, while its result is kept (and a grace period after). */
export async function findStoredFile(db: Kysely<Database>, binDir: string, file: string) {
  const stored = await buildRepository.findFile(db, binDir, file);
  if (stored?.status !== 'success' || (stored.expiresAt && stored.expiresAt.getTime() <= Date.now() - STORE_GRACE_MS))
    return undefined;
  return stored;
}

export async function queueLength(db: Kysely<Database>) {
  const totals = await statsRepository.totals(db);
  return { queue_length: totals.queued, building: totals.started };
}

export async function statsSummary(db: Kysely<Database>, days: number) {
  const [totals, last24h, period, clients] = await Promise.all([
    statsRepository.totals(db),
    statsRepository.summary(db, 86_400),
    statsRepository.summary(db, days * 86_400),
    statsRepository.clientCounts(db, days * 86_400, 20),
  ]);
  return {
    queue_length: totals.queued,
    building: totals.started,
    builds_24h: last24h.successes,
    days,
    requests: period.requests,
    cache_hits: period.cacheHits,
    cache_misses: period.cacheMisses,
    successes: period.successes,
    failures: period.failures,
    clients,
  };
}

export async function buildStats(db: Kysely<Database>, days: number) {
  const rows = await statsRepository.buildsByProfile(db, days * 86_400, 500);
  return {
    builds: rows.map((row) => ({
      version: row.version,
      target: row.target,
      profile: row.profile,
      successes: row.successes,
      failures: row.failures,
      mean_duration_ms: row.meanDurationMs,
    })),
  };
}

export async function buildsPerDay(db: Kysely<Database>) {
  const rows = await statsRepository.dailyCounts(db, 30);
  return {
    labels: rows.map((row) => `${row.day}Z`),
    datasets: [
      { label: 'Requests', data: rows.map((row) => row.requests), color: 'green' },
      { label: 'Cache-Hits', data: rows.map((row) => row.cacheHits), color: 'orange' },
      { label: 'Failures', data: rows.map((row) => row.failures), color: 'red' },
    ],
  };
}

/**
 * Successful builds per week over 26 weeks ending at the next UTC midnight, as ASU's chart: one series per branch
 * (the version's first five characters, as ASU cuts them), or with `branch` one per version of that branch.
 */
export async function buildsByVersion(db: Kysely<Database>, branch: string | undefined) {
  const weeks = 26;
  const stop = new Date();
  stop.setUTCHours(24, 0, 0, 0);
  const start = new Date(stop.getTime() - weeks * 7 * 86_400_000);
  const labels = Array.from(
    { length: weeks },
    (_, week) => `${new Date(start.getTime() + week * 7 * 86_400_000).toISOString().slice(0, 10)}Z`,
  );
  const series = new Map<string, number[]>();
  for (const row of await statsRepository.weeklySuccessesByVersion(db, start, weeks)) {
    if (branch && !row.version.startsWith(branch)) continue;
    const label = !branch && row.version.includes('.') ? row.version.slice(0, 5) : row.version;
    const data = series.get(label) ?? new Array<number>(weeks).fill(0);
    data[row.week] = (data[row.week] ?? 0) + row.count;
    series.set(label, data);
  }
  return {
    labels,
    datasets: [...series.keys()].sort().map((label) => ({ label, data: series.get(label)! })),
  };
}

export async function topPackages(db: Kysely<Database>, count: number, branch: string | undefined) {
  const packages = await statsRepository.topPackages(db, 30 * 86_400, count, branch);
  return { packages, branch: branch ?? null, days: 30 };
}

/**
 * The recent failures as the text ASU serves (newest first, build hashes masked, one line each), each line with the
 * error code after the profile.
 */
export async function buildErrorsText(db: Kysely<Database>, count: number): Promise<string> {
  const rows = await statsRepository.recentErrors(db, count);
  if (rows.length === 0) return 'No build errors recorded.\n';
  const time = (at: Date) => at.toISOString().replace('T', ' ').slice(0, 19);
  const lines = rows.map((row) => {
    const detail = (row.detail ?? '')
      .replace(/[0-9a-f]{64}/g, '[job-id]')
      .replace(/\s+/g, ' ')
      .slice(0, 200);
    return `${time(row.finishedAt)} ${row.version}:${row.target}:${row.profile} ${row.errorCode ?? ''} ${detail}`;
  });
  return [
    `Build Errors: ${rows.length} entries`,
    `Time range: ${time(rows.at(-1)!.finishedAt)} to ${time(rows[0]!.finishedAt)}`,
    '',
    'Recent errors:',
    '-'.repeat(60),
    ...lines,
    '',
  ].join('\n');
}
