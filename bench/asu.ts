/**
 * Benchmark of the image build service, against the fixture upstream (a local HTTP server with a
 * synthetic ImageBuilder whose Makefile writes real images) and embedded PostgreSQL.
 *
 * 1. Cached results: GET /api/v1/build/{hash} of a finished build under load, beside a bare
 *    Fastify route returning the same stored JSON from memory (the baseline), same run →
 *    requests/s, p99 and the ratio fleetflash ÷ baseline.
 * 2. Cache misses: time from POST /api/v1/build to the 200 answer, for the first build of a target
 *    (ImageBuilder download, checksum and signature check, unpack) and for later ones, beside
 *    running the same three make commands by hand in a copy of the ImageBuilder (the baseline).
 *
 *   npm run bench:asu
 *   BENCH_SECONDS=5 BENCH_ROUNDS=1 BENCH_MISSES=3 npm run bench:asu
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import { createHttpApp, startBackgroundWork } from '../src/composition.js';
import { createLogger } from '../src/platform/logger.js';
import { startUpstreamFixture } from '../test/helpers/asu-upstream.js';
import { load, median, openBenchDatabase, type Sample, summarise } from './lib/load.js';
import { openBenchRuntime } from './lib/runtime.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const MISSES = Number(process.env.BENCH_MISSES ?? 5);
const run = promisify(execFile);

async function main(): Promise<void> {
  const logger = createLogger('silent');
  const tempDir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-bench-asu-'));
  chmodSync(tempDir, 0o755);
  const upstream = await startUpstreamFixture();
  const database = await openBenchDatabase(tempDir, logger);
  try {
    const runtime = await openBenchRuntime(database.databaseUrl, tempDir, logger, {
      FLEETFLASH_UPSTREAM_URL: upstream.url,
      FLEETFLASH_IMAGEBUILDER_SIGNING_KEY: upstream.publicKey,
      FLEETFLASH_IMAGEBUILDER_DIR: path.join(tempDir, 'imagebuilder'),
      FLEETFLASH_BUILD_CLIENT_MAX_QUEUED: '1000',
      FLEETFLASH_BUILD_CLIENT_RATE_LIMIT: '100000',
    });
    const { config } = runtime;
    const app = await createHttpApp(runtime, { version: 'bench' });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const work = await startBackgroundWork(runtime, { tasks: false, upgrades: false, builds: true });

    // 2. Cache misses, each a new package set: the first also sets up the ImageBuilder.
    const extras = ['vim', 'htop', 'tcpdump', 'luci-ssl', 'wireguard-tools', 'owut', 'luci-app-attendedsysupgrade'];
    const missMs: number[] = [];
    let cachedHash = '';
    for (let index = 0; index < MISSES; index += 1) {
      const started = performance.now();
      const response = await fetch(`${base}/api/v1/build`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          version: '23.05.3',
          target: 'ath79/generic',
          profile: 'tplink,archer-c7-v2',
          packages: [
            'luci',
            '-ppp',
            extras[index % extras.length]!,
            ...(index >= extras.length ? [extras[(index + 1) % extras.length]!] : []),
          ],
        }),
      });
      const answer = (await response.json()) as { request_hash: string; status: number };
      let status = answer.status;
      while (status === 202) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        status = (await fetch(`${base}/api/v1/build/${answer.request_hash}`, { method: 'HEAD' })).status;
      }
      if (status !== 200) throw new Error(`build ${answer.request_hash} ended with ${status}`);
      missMs.push(performance.now() - started);
      cachedHash = answer.request_hash;
    }

    // The baseline of a miss: the same make commands by hand, in a copy of the cached ImageBuilder.
    const cacheRoot = path.join(config.imageBuilds.imagebuilderDir, 'cache', '23.05.3');
    const ibDir = path.join(cacheRoot, readdirSync(cacheRoot)[0]!);
    const handMs: number[] = [];
    for (let index = 0; index < MISSES; index += 1) {
      const work = mkdtempSync(path.join(tempDir, 'hand-'));
      const started = performance.now();
      await run('cp', ['-a', ibDir, path.join(work, 'ib')]);
      // The same clean environment the build worker gives make (tsx's loader options would slow node down).
      const make = (...args: string[]) =>
        run('make', args, {
          cwd: path.join(work, 'ib'),
          env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work, LANG: 'C' },
        });
      await make('info');
      await make('manifest', 'PROFILE=tplink_archer-c7-v2', 'PACKAGES=luci vim -ppp', 'STRIP_ABI=1');
      await make(
        'image',
        'PROFILE=tplink_archer-c7-v2',
        'PACKAGES=luci vim -ppp',
        'EXTRA_IMAGE_NAME=bench',
        `BIN_DIR=${path.join(work, 'bin')}`,
      );
      handMs.push(performance.now() - started);
      rmSync(work, { recursive: true, force: true });
    }

    // 1. Cached results under load.
    const url = `${base}/api/v1/build/${cachedHash}`;
    const body = await (await fetch(url)).json();
    const baseline = Fastify({ logger: false });
    baseline.get('/build', async () => body);
    // The tighter bound: the same answer already serialised, as fleetflash keeps finished answers.
    const serialised = JSON.stringify(body);
    baseline.get('/build-serialised', async (_request, reply) =>
      reply.type('application/json; charset=utf-8').send(serialised),
    );
    await baseline.listen({ host: '127.0.0.1', port: 0 });
    const baselineUrl = `http://127.0.0.1:${(baseline.server.address() as AddressInfo).port}/build`;
    const serialisedUrl = `${baselineUrl}-serialised`;
    process.stdout.write(
      `Image builds: cached ` +
        `result ${Buffer.byteLength(JSON.stringify(body))} bytes, ${CONNECTIONS} connections, ${ROUNDS} round(s) ` +
        `of ${SECONDS} s, Node ${process.version}, ${os.cpus().length} CPUs\n`,
    );
    await load(baselineUrl, {}, 2, CONNECTIONS);
    await load(url, {}, 2, CONNECTIONS);
    const results = { fleetflash: [] as Sample[], baseline: [] as Sample[], serialised: [] as Sample[] };
    for (let round = 1; round <= ROUNDS; round += 1) {
      results.baseline.push(await load(baselineUrl, {}, SECONDS, CONNECTIONS));
      results.serialised.push(await load(serialisedUrl, {}, SECONDS, CONNECTIONS));
      results.fleetflash.push(await load(url, {}, SECONDS, CONNECTIONS));
      process.stdout.write(
        `  round ${round}: baseline ${results.baseline.at(-1)!.requestsPerSecond.toFixed(0)} req/s, serialised ` +
          `baseline ${results.serialised.at(-1)!.requestsPerSecond.toFixed(0)} req/s, ` +
          `fleetflash ${results.fleetflash.at(-1)!.requestsPerSecond.toFixed(0)} req/s\n`,
      );
    }
    const ours = summarise(results.fleetflash);
    const bare = summarise(results.baseline);
    const tight = summarise(results.serialised);
    process.stdout.write(
      '\n| server | requests/s (median) | p99 latency ms (median) | non-2xx |\n|---|---:|---:|---:|\n',
    );
    process.stdout.write(
      `| bare Fastify, same JSON from memory (baseline) ` +
        `| ${bare.rps.toFixed(0)} | ${bare.p99.toFixed(1)} | ${bare.errors} |\n`,
    );
    process.stdout.write(
      `| bare Fastify, same JSON pre-serialised (tighter baseline) ` +
        `| ${tight.rps.toFixed(0)} | ${tight.p99.toFixed(1)} | ${tight.errors} |\n`,
    );
    process.stdout.write(
      `| fleetflash GET /api/v1/build/{hash} (cached) ` +
        `| ${ours.rps.toFixed(0)} | ${ours.p99.toFixed(1)} | ${ours.errors} |\n`,
    );
    process.stdout.write(
      `\nratio fleetflash / baseline: throughput ${(ours.rps / bare.rps).toFixed(3)}, p99 ` +
        `latency ${(ours.p99 / bare.p99).toFixed(2)}x\n`,
    );
    process.stdout.write(
      `ratio fleetflash / pre-serialised baseline: throughput ${(ours.rps / tight.rps).toFixed(3)}, p99 ` +
        `latency ${(ours.p99 / tight.p99).toFixed(2)}x\n`,
    );
    const warm = missMs.slice(1);
    process.stdout.write(`\nCache miss, POST → 200 with the synthetic ImageBuilder (${MISSES} builds):\n`);
    process.stdout.write(
      `  first build of the target (download, verify, unpack, build): ${missMs[0]!.toFixed(0)} ms\n`,
    );
    process.stdout.write(`  later builds (median of ${warm.length}): ${median(warm).toFixed(0)} ms\n`);
    process.stdout.write(
      `  the same make info/manifest/image by hand in a copy (median ` +
        `of ${handMs.length}): ${median(handMs).toFixed(0)} ms\n`,
    );
    process.stdout.write(`  ratio fleetflash miss / by hand: ${(median(warm) / median(handMs)).toFixed(2)}x\n`);

    await baseline.close();
    await work.stop();
    await app.close();
    await runtime.close();
  } finally {
    await database.close();
    await upstream.close();
    rmSync(tempDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
