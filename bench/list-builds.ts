/**
 * Benchmark: GET /api/v1/firmware/build/?page_size=100 over 10,000 builds, under load, beside a
 * bare Fastify route that returns the same JSON from memory (the baseline), in the same run.
 *
 * Prints requests/s, p50 and p99 latency of each, and the ratio fleetflash ÷ baseline.
 * Load comes from autocannon in a separate process, so it does not share the servers' event loop.
 *
 *   npm run bench                       # 3 alternating rounds of 10 s each
 *   BENCH_SECONDS=5 BENCH_ROUNDS=1 npm run bench
 *   BENCH_DATABASE_URL=postgres://… npm run bench   # against another PostgreSQL (needs CREATEDB)
 *   FLEETFLASH_AUTH_CACHE_TTL=0 npm run bench       # without the credential cache, for comparison
 *   FLEETFLASH_LIST_CACHE_TTL=0 npm run bench       # without the list cache (counts and pages), for comparison
 *   BENCH_WRITES_PER_SECOND=10 npm run bench        # a build changed 10 times a second meanwhile (each change
 *                                                   # empties the list cache of every process)
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { createHttpApp } from '../src/composition.js';
import { createApiToken } from '../src/modules/accounts/auth.service.js';
import { createLogger } from '../src/platform/logger.js';
import { load, median, openBenchDatabase, postgresCpuSeconds, type Sample, summarise } from './lib/load.js';
import { openBenchRuntime } from './lib/runtime.js';

const BUILDS = 10_000;
const PAGE_SIZE = 100;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const WRITES_PER_SECOND = Number(process.env.BENCH_WRITES_PER_SECOND ?? 0);

async function main(): Promise<void> {
  const logger = createLogger('silent');
  const tempDir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-bench-'));
  chmodSync(tempDir, 0o755);
  const database = await openBenchDatabase(tempDir, logger);
  const { databaseUrl } = database;

  try {
    // FLEETFLASH_AUTH_CACHE_TTL=0 / FLEETFLASH_LIST_CACHE_TTL=0 measure without the per-process
    // credential cache / list cache (for comparison).
    const settings: Record<string, string> = {};
    for (const name of ['FLEETFLASH_AUTH_CACHE_TTL', 'FLEETFLASH_LIST_CACHE_TTL']) {
      const value = process.env[name];
      if (value !== undefined) settings[name] = value;
    }
    const runtime = await openBenchRuntime(databaseUrl, tempDir, logger, settings);
    const { db } = runtime;

    // 10,000 builds in 10 categories of one organization; an org admin calls the API (the
    // realistic path: token lookup, membership scoping, join with the category, count).
    const organization = await db
      .insertInto('organizations')
      .values({ name: 'Bench', slug: 'bench' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await sql`
      INSERT INTO firmware_categories (organization_id, name)
      SELECT ${organization.id}::uuid, 'category ' || n FROM generate_series(1, 10) n`.execute(db);
    await sql`
      INSERT INTO firmware_builds (category_id, version, os, changelog, created)
      SELECT c.id, 'v' || n, 'OpenWrt bench r' || n || '-' || left(c.id::text, 8), 'Changelog of build ' || n,
             now() - (n || ' seconds')::interval
      FROM generate_series(1, ${BUILDS / 10}) n CROSS JOIN firmware_categories c`.execute(db);
    await sql`ANALYZE`.execute(db);
    const user = await db
      .insertInto('users')
      .values({ username: 'bench', passwordHash: 'x' })
      .returning(['id', 'username'])
      .executeTakeFirstOrThrow();
    await db
      .insertInto('memberships')
      .values({ organizationId: organization.id, userId: user.id, role: 'admin' })
      .execute();
    const { token } = await createApiToken(
      db,
      {
        userId: user.id,
        username: user.username,
        isSuperuser: false,
        memberships: new Map([[organization.id, 'admin']]),
        via: 'cli',
      },
      { name: 'bench' },
    );

    const app = await createHttpApp(runtime, { version: 'bench' });
    // The per-request info log is part of a real deployment's cost, but goes nowhere here (level silent).
    await app.listen({ host: '127.0.0.1', port: 0 });
    const appPort = (app.server.address() as AddressInfo).port;
    const appUrl = `http://127.0.0.1:${appPort}/api/v1/firmware/build/?page_size=${PAGE_SIZE}`;
    const headers = { authorization: `Bearer ${token}` };

    const sample = await fetch(appUrl, { headers });
    if (sample.status !== 200) throw new Error(`fleetflash answered ${sample.status}: ${await sample.text()}`);
    const body = (await sample.json()) as { count: number; results: unknown[] };
    if (body.count !== BUILDS || body.results.length !== PAGE_SIZE)
      throw new Error(`unexpected page: count ${body.count}, ${body.results.length} results`);

    const baseline = Fastify({ logger: false });
    baseline.get('/builds', async () => body);
    await baseline.listen({ host: '127.0.0.1', port: 0 });
    const baselineUrl = `http://127.0.0.1:${(baseline.server.address() as AddressInfo).port}/builds`;

    process.stdout.write(
      `Listing ${BUILDS} builds, page_size ${PAGE_SIZE} (${Buffer.byteLength(JSON.stringify(body))} bytes per ` +
        `answer), ` +
        `${CONNECTIONS} connections, ${ROUNDS} round(s) of ${SECONDS} s each, ` +
        `auth_cache_ttl ${runtime.config.security.authCacheTtlSeconds} s, ` +
        `list_cache_ttl ${runtime.config.firmware.listCacheTtlSeconds} s, ` +
        `${WRITES_PER_SECOND} build change(s)/s meanwhile, ` +
        `Node ${process.version}, ${os.cpus().length} CPUs\n`,
    );
    await load(baselineUrl, {}, 2, CONNECTIONS);
    await load(appUrl, headers, 2, CONNECTIONS);
    const results = { fleetflash: [] as Sample[], baseline: [] as Sample[] };
    // CPU ms per fleetflash request: this process (the app; the baseline is idle then) and PostgreSQL.
    const cpuPerRequest = { node: [] as number[], postgres: [] as number[] };
    for (let round = 1; round <= ROUNDS; round += 1) {
      results.baseline.push(await load(baselineUrl, {}, SECONDS, CONNECTIONS));
      const cpuBefore = process.cpuUsage();
      const postgresBefore = postgresCpuSeconds(tempDir);
      // Changes made as another process or tool would: straight in the database (the triggers announce them).
      const writer =
        WRITES_PER_SECOND > 0
          ? setInterval(() => {
              void sql`UPDATE firmware_builds SET changelog = 'changed at ' || clock_timestamp()
                       WHERE id = (SELECT id FROM firmware_builds ORDER BY created DESC LIMIT 1)`.execute(db);
            }, 1000 / WRITES_PER_SECOND)
          : null;
      results.fleetflash.push(await load(appUrl, headers, SECONDS, CONNECTIONS));
      if (writer) clearInterval(writer);
      const cpu = process.cpuUsage(cpuBefore);
      const postgresAfter = postgresCpuSeconds(tempDir);
      const requests = results.fleetflash.at(-1)!.requestsPerSecond * SECONDS;
      cpuPerRequest.node.push((cpu.user + cpu.system) / 1000 / requests);
      if (postgresBefore !== null && postgresAfter !== null)
        cpuPerRequest.postgres.push(((postgresAfter - postgresBefore) * 1000) / requests);
      process.stdout.write(
        `  round ${round}: baseline ${results.baseline.at(-1)!.requestsPerSecond.toFixed(0)} req/s, ` +
          `fleetflash ${results.fleetflash.at(-1)!.requestsPerSecond.toFixed(0)} req/s ` +
          `(p99 ${results.fleetflash.at(-1)!.p99Ms} ms)\n`,
      );
    }
    const ours = summarise(results.fleetflash);
    const bare = summarise(results.baseline);
    process.stdout.write(
      '\n| server | requests/s (median) | p50 latency ms (median) | p99 latency ms (median) | non-2xx |\n' +
        '|---|---:|---:|---:|---:|\n',
    );
    process.stdout.write(
      `| bare Fastify, JSON from memory (baseline) ` +
        `| ${bare.rps.toFixed(0)} | ${bare.p50.toFixed(1)} | ${bare.p99.toFixed(1)} | ${bare.errors} |\n`,
    );
    process.stdout.write(
      `| fleetflash GET /api/v1/firmware/build/ | ${ours.rps.toFixed(0)} | ${ours.p50.toFixed(1)} | ` +
        `${ours.p99.toFixed(1)} | ${ours.errors} |\n`,
    );
    process.stdout.write(
      `\nratio fleetflash / baseline: throughput ${(ours.rps / bare.rps).toFixed(3)} (target >= 0.3), ` +
        `p99 latency ${(ours.p99 / bare.p99).toFixed(2)}x (fleetflash p99 ${ours.p99.toFixed(1)} ms, target < 20 ms)\n`,
    );
    process.stdout.write(
      `CPU per fleetflash request (median): ${median(cpuPerRequest.node).toFixed(2)} ms in the app's process` +
        (cpuPerRequest.postgres.length ? `, ${median(cpuPerRequest.postgres).toFixed(2)} ms in PostgreSQL` : '') +
        '\n',
    );
    process.stdout.write(
      `load average during the run: ${os
        .loadavg()
        .map((value) => value.toFixed(1))
        .join(' ')} ` + `(1, 5, 15 min; other work on the machine skews both servers)\n`,
    );

    const metrics = await (await fetch(`http://127.0.0.1:${appPort}/metrics`)).text();
    const counter = (name: string) => metrics.match(new RegExp(`^${name} (\\S+)$`, 'm'))?.[1] ?? '?';
    process.stdout.write(
      `list cache: ${counter('fleetflash_list_cache_hits_total')} pages from memory, ` +
        `${counter('fleetflash_list_cache_misses_total')} asked of the database (warm-up included)\n`,
    );

    await baseline.close();
    await app.close();
    await runtime.close();
  } finally {
    await database.close();
    rmSync(tempDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
