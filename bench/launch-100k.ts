/**
 * Benchmark: planning and launching a mass upgrade of 100,000 devices, database only. A real
 * `fleetflash api` process (no worker: nothing runs the operations) on an embedded PostgreSQL; the
 * devices are seeded set-wise in SQL. Each run is a fresh batch (the previous one's rows are deleted).
 * It measures, through the HTTP API:
 *
 *   dry run  GET  /api/v1/firmware/build/{id}/upgrade/   (the plan: every device's decision and stage)
 *   launch   POST /api/v1/firmware/build/{id}/upgrade/   (the batch, its first `rollout_launch_chunk`
 *                                                         operations with their log lines and live events,
 *                                                         skips, and the rest planned in chunks)
 *
 * then the workers' part: the rollout controller's writer (`writePlannedOperations`, called here on a
 * connection of the benchmark's own, as a worker process calls it) turning the planned chunks into
 * operations, one transaction per chunk; "all written" is the launch plus that. The batch starts in a
 * day (`rollout.start_at`), so nothing runs an operation meanwhile. In the same run, the baseline: one bare
 * `INSERT … SELECT` of as many rows into a table of the operations' shape (no index, no trigger) — the
 * least that writing one row per device costs. Ratios = launch ÷ baseline and all written ÷ baseline. The
 * server's peak resident memory is read from /proc.
 *
 *   npm run bench:launch-100k
 *   BENCH_DEVICES=20000 BENCH_RUNS=3 npm run bench:launch-100k   # smaller
 */
import os from 'node:os';
import pg from 'pg';
import { SIMULATED_BOARDS } from '../simulator/fleet.js';
import { connectDatabase } from '../src/database.js';
import { writePlannedOperations } from '../src/modules/upgrades/batch-controller.js';
import { createLogger } from '../src/platform/logger.js';
import {
  api,
  benchServerEnv,
  cpuSeconds,
  createToken,
  peakMemoryMiB,
  residentMemoryMiB,
  seedPlanDevices,
  type Server,
  startBenchDatabase,
  runBench,
  startServer,
  uploadImage,
  note,
  BENCH_RELEASES,
} from './lib/fleetflash-process.js';
import { median } from './lib/raw-ssh.js';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const OLD = BENCH_RELEASES.old;
const NEW = BENCH_RELEASES.new;

async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { seconds: (performance.now() - started) / 1000, value };
}

async function main(): Promise<void> {
  const logger = createLogger('silent');
  const database = await startBenchDatabase('fleetflash-bench-launch-', 'bench_launch', logger);
  const { tempDir, databaseUrl } = database;
  const env = {
    ...benchServerEnv(databaseUrl, tempDir),
    // Under load a 100,000-device launch can take longer than the default 30 s per statement.
    FLEETFLASH_DATABASE_STATEMENT_TIMEOUT: '300',
  };
  let server: Server | null = null;
  const sqlClient = new pg.Client({ connectionString: databaseUrl });
  const workerDb = connectDatabase(databaseUrl, 2, logger);
  try {
    server = await startServer('api', env);
    const pid = server.child.pid!;
    const call = api(server.url, await createToken(databaseUrl), 500);
    const organization = await call('POST', '/api/v1/organizations/', { name: 'Plan', slug: 'plan' });
    await call('POST', '/api/v1/credentials/', {
      organization: organization.id,
      name: 'default',
      username: 'root',
      password: 'x',
      is_default: true,
    });
    const category = await call('POST', '/api/v1/firmware/category/', { organization: organization.id, name: 'plan' });
    const oldBuild = await call('POST', '/api/v1/firmware/build/', { category: category.id, version: OLD.version });
    const newBuild = await call('POST', '/api/v1/firmware/build/', { category: category.id, version: NEW.version });
    const oldImages: { id: string }[] = [];
    for (const board of SIMULATED_BOARDS) {
      oldImages.push(await uploadImage(call, oldBuild.id, board, OLD, 4096));
      await uploadImage(call, newBuild.id, board, NEW, 4096);
    }
    await sqlClient.connect();
    note(`seeding ${DEVICES} devices`);
    const seed = await timed(() => seedPlanDevices(sqlClient, organization.id, DEVICES, oldImages, OLD));
    await sqlClient.query('ANALYZE');
    note(`seeded in ${seed.seconds.toFixed(2)} s; server RSS ${residentMemoryMiB(pid).toFixed(0)} MiB`);

    const dryRuns: number[] = [];
    const dryRunCpu: number[] = [];
    const launchCpu: number[] = [];
    const launches: number[] = [];
    const writes: number[] = [];
    const allWritten: number[] = [];
    const baselines: number[] = [];
    let planned = 0;
    let operations = 0;
    let stages = 0;
    let events = 0;
    for (let run = 0; run < RUNS; run += 1) {
      let cpu = cpuSeconds(pid);
      const dry = await timed(() => call('GET', `/api/v1/firmware/build/${newBuild.id}/upgrade/`));
      dryRuns.push(dry.seconds);
      dryRunCpu.push(cpuSeconds(pid) - cpu);
      planned = dry.value.device_firmwares.length + dry.value.devices.length;
      const eventsBefore = Number((await sqlClient.query('SELECT max(id) AS id FROM events')).rows[0].id ?? 0);
      cpu = cpuSeconds(pid);
      const startAt = new Date(Date.now() + 24 * 3600 * 1000).toISOString();
      const launch = await timed(() =>
        call('POST', `/api/v1/firmware/build/${newBuild.id}/upgrade/`, { rollout: { start_at: startAt } }),
      );
      launches.push(launch.seconds);
      launchCpu.push(cpuSeconds(pid) - cpu);
      const batchId = launch.value.batch as string;
      const countOperations = 'SELECT count(*) AS n FROM upgrade_operations WHERE batch_id = $1';
      const launchedOperations = Number((await sqlClient.query(countOperations, [batchId])).rows[0].n);
      const write = await timed(() => writePlannedOperations(workerDb.db, batchId));
      writes.push(write.seconds);
      allWritten.push(launch.seconds + write.seconds);
      const batch = await call('GET', `/api/v1/firmware/batch-upgrade-operation/${batchId}/`);
      operations = batch.total_operations;
      stages = batch.stages.length;
      events = Number(
        (await sqlClient.query('SELECT count(*) AS n FROM events WHERE id > $1', [eventsBefore])).rows[0].n,
      );
      // The baseline: the same number of rows, of the operations table's shape, in one bare statement.
      await sqlClient.query('CREATE TEMP TABLE bare (LIKE upgrade_operations INCLUDING DEFAULTS)');
      const bare = await timed(() =>
        sqlClient.query(
          `INSERT INTO bare (device_id, image_id, image_sha256, options, batch_id, stage, next_attempt_at, log_seq)
           SELECT o.device_id, o.image_id, o.image_sha256, o.options, o.batch_id, o.stage, now(), 1
           FROM upgrade_operations o WHERE o.batch_id = $1`,
          [batchId],
        ),
      );
      baselines.push(bare.seconds);
      await sqlClient.query('DROP TABLE bare');
      note(
        `run ${run + 1}: dry run ${dry.seconds.toFixed(2)} s (server CPU ${dryRunCpu.at(-1)!.toFixed(2)} s), ` +
          `launch ${launch.seconds.toFixed(2)} s (server CPU ${launchCpu.at(-1)!.toFixed(2)} s, ` +
          `${launchedOperations} operations written), the rest written in ${write.seconds.toFixed(2)} s ` +
          `(${operations} operations, ${events} events in all), bare insert ${bare.seconds.toFixed(2)} s`,
      );
      // A fresh batch next time (nothing else in this database has operations or events). CASCADE: the tables
      // that reference operations (agent jobs and reports, backups) are empty here, and a new one must not
      // break the benchmark.
      await sqlClient.query(
        'TRUNCATE upgrade_operations, upgrade_operation_logs, batch_skipped_devices, batch_planned_operations, ' +
          'batch_upgrade_operations, events CASCADE',
      );
      await sqlClient.query('VACUUM ANALYZE upgrade_operations, upgrade_operation_logs, events');
    }
    const peak = peakMemoryMiB(pid);
    const launch = median(launches);
    const written = median(allWritten);
    const baseline = median(baselines);
    const lines = [
      `launch of a mass upgrade, database only: ${DEVICES} devices, ${RUNS} runs (medians), ${os.cpus().length} cores`,
      `  dry run (GET …/upgrade/): ${median(dryRuns).toFixed(2)} s (${planned} to upgrade) ` +
        `[runs: ${dryRuns.map((s) => s.toFixed(2)).join(', ')}]; server CPU ${median(dryRunCpu).toFixed(2)} s`,
      `  launch (POST …/upgrade/): ${launch.toFixed(2)} s [runs: ${launches.map((s) => s.toFixed(2)).join(', ')}]; ` +
        `server CPU ${median(launchCpu).toFixed(2)} s`,
      `  the rest written by the rollout controller: ${median(writes).toFixed(2)} s ` +
        `[runs: ${writes.map((s) => s.toFixed(2)).join(', ')}]; all written (launch + rest): ${written.toFixed(2)} s ` +
        `(${operations} operations in ${stages} stages, ${events} event rows)`,
      `  baseline, bare INSERT … SELECT of ${operations} operation-shaped rows: ${baseline.toFixed(2)} s`,
      `  server peak memory (VmHWM): ${peak.toFixed(0)} MiB`,
      `  ratio launch ÷ baseline: ${(launch / baseline).toFixed(1)}; all written ÷ baseline: ` +
        `${(written / baseline).toFixed(1)}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await sqlClient.end().catch(() => undefined);
    await workerDb.close().catch(() => undefined);
    await server?.stop();
    await database.stop();
  }
}

runBench(main);
