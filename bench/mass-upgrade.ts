/**
 * Benchmark: a mass upgrade of 1,000 simulated routers with an 8 MiB image and a 2 s simulated
 * reboot, run by a real `fleetflash serve` process (its CPU time and peak memory are measured from
 * /proc), judged against the transfer limit measured in the same run:
 *
 *   transfer limit = routers × image size ÷ raw ssh2 loopback throughput + one reboot
 *   ratio          = transfer limit ÷ fleetflash's wall time (1.0 = as fast as the bytes can move)
 *
 * The raw throughput is a plain ssh2 client streaming the image into `cat > file` on a simulated
 * router (median of three). Everything shares the machine's cores: the server, PostgreSQL and the
 * simulated fleet, as the raw measurement shares them with its one router.
 *
 * Then, database only (an `api` process, no worker, no SSH): plan and launch for 100,000 devices —
 * the dry run's time and the launch's time (every operation and its first log line created).
 *
 *   npm run bench:mass-upgrade
 *   BENCH_ROUTERS=200 BENCH_PLAN_DEVICES=20000 npm run bench:mass-upgrade   # smaller
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type Fleet, SIMULATED_BOARDS } from '../simulator/fleet.js';
import { SimulatedRouter } from '../simulator/router.js';
import { makeSampleImage } from '../simulator/sample-image.js';
import { createLogger } from '../src/platform/logger.js';
import {
  api,
  benchServerEnv,
  cpuSeconds,
  createToken,
  peakMemoryMiB,
  seedPlanDevices,
  type Server,
  startBenchDatabase,
  setUpBenchFleet,
  runBench,
  startServer,
  uploadImage,
  waitForBatch,
  note,
  BENCH_RELEASES,
} from './lib/fleetflash-process.js';
import { median, rawTransfer } from './lib/raw-ssh.js';

const MiB = 1024 * 1024;
const ROUTERS = Number(process.env.BENCH_ROUTERS ?? 1000);
const IMAGE_BYTES = Number(process.env.BENCH_MIB ?? 8) * MiB;
const REBOOT_SECONDS = 2;
const PLAN_DEVICES = Number(process.env.BENCH_PLAN_DEVICES ?? 100_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 200);
const OLD = BENCH_RELEASES.old;
const NEW = BENCH_RELEASES.new;

async function main(): Promise<void> {
  const logger = createLogger('silent');
  const database = await startBenchDatabase('fleetflash-bench-mass-', 'bench_mass', logger);
  const { tempDir, databaseUrl } = database;
  const env = {
    ...benchServerEnv(databaseUrl, tempDir),
    FLEETFLASH_UPGRADE_CONCURRENCY: String(CONCURRENCY),
    FLEETFLASH_DATABASE_POOL_SIZE: '20',
    // Waits scaled to a 2 s reboot, as the issue asks.
    FLEETFLASH_OPENWRT_RECONNECT_DELAY: String(REBOOT_SECONDS),
    FLEETFLASH_OPENWRT_RECONNECT_RETRY_DELAY: '0.5',
    FLEETFLASH_OPENWRT_RECONNECT_MAX_RETRIES: '60',
    FLEETFLASH_OPENWRT_CONNECT_TIMEOUT: '20',
    FLEETFLASH_OPENWRT_COMMAND_TIMEOUT: '120',
    FLEETFLASH_TASK_TIMEOUT: '900',
    FLEETFLASH_RETRY_BACKOFF: '1',
    FLEETFLASH_RETRY_BACKOFF_MAX: '5',
    FLEETFLASH_UPGRADE_GLOBAL_CONCURRENCY: String(CONCURRENCY),
    FLEETFLASH_ROLLOUT_MAX_CONCURRENT: String(CONCURRENCY),
    // The simulated routers listen on 127.0.0.1.
    FLEETFLASH_DEVICE_ALLOW_LOOPBACK: 'true',
  };
  let fleet: Fleet | null = null;
  let server: Server | null = null;
  try {
    // 1. The raw limit: a plain ssh2 client into one simulated router.
    const file = path.join(tempDir, 'image.bin');
    writeFileSync(file, makeSampleImage({ payloadSize: IMAGE_BYTES }));
    const probe = new SimulatedRouter({
      name: 'probe',
      macAddress: '02:00:00:00:00:01',
      boardName: SIMULATED_BOARDS[0]!.boardName,
      model: SIMULATED_BOARDS[0]!.model,
      release: { distribution: 'OpenWrt', ...OLD, target: 'ath79/generic' },
      password: 'simulated',
    });
    await probe.start();
    const rawSeconds: number[] = [];
    for (let round = 0; round < 3; round += 1)
      rawSeconds.push(await rawTransfer('127.0.0.1', probe.describe().port, 'simulated', file));
    await probe.stop();
    const rawMiBs = IMAGE_BYTES / MiB / median(rawSeconds);

    note(`raw ssh2 throughput ${rawMiBs.toFixed(1)} MiB/s; starting the server`);
    // 2. The server and the fleet, set up through the API.
    server = await startServer('serve', env);
    const token = await createToken(databaseUrl);
    const call = api(server.url, token);
    const setUp = await setUpBenchFleet(call, server.url, {
      routers: ROUTERS,
      rebootSeconds: REBOOT_SECONDS,
      newImageBytes: IMAGE_BYTES,
      releases: { old: OLD, new: NEW },
    });
    fleet = setUp.fleet;
    const { builds } = setUp;
    note(`starting ${ROUTERS} simulated routers`);
    await fleet.start();
    note('launching the mass upgrade');

    // 3. The mass upgrade, one stage, as wide as the concurrency allows.
    const pid = server.child.pid!;
    const cpuBefore = cpuSeconds(pid);
    const started = performance.now();
    const { batch: batchId } = await call('POST', `/api/v1/firmware/build/${builds[NEW.version]}/upgrade/`, {
      rollout: { canary_percent: 100, max_concurrent: CONCURRENCY },
    });
    let lastNote = 0;
    const batch = await waitForBatch(call, batchId, (state) => {
      if (Date.now() - lastNote > 10_000) {
        lastNote = Date.now();
        note(`${state.progress_report} decided, ${state.counts.in_progress} in progress`);
      }
    });
    const wall = (performance.now() - started) / 1000;
    const cpu = cpuSeconds(pid) - cpuBefore;
    const peak = peakMemoryMiB(pid);
    const flashed = fleet.routers.filter((router) => router.flashCount === 1).length;
    const twice = fleet.routers.filter((router) => router.flashCount > 1).length;
    const limit = (ROUTERS * IMAGE_BYTES) / MiB / rawMiBs + REBOOT_SECONDS;
    await fleet.stop();
    fleet = null;
    await server.stop();
    server = null;

    note(`mass upgrade ${batch.status} in ${wall.toFixed(1)} s; planning for ${PLAN_DEVICES} devices`);
    // 4. Plan and launch for many devices: database only (an api process: nothing runs them).
    server = await startServer('api', env);
    const planCall = api(server.url, token);
    const plan = await planCall('POST', '/api/v1/organizations/', { name: 'Plan', slug: 'plan' });
    await planCall('POST', '/api/v1/credentials/', {
      organization: plan.id,
      name: 'sim',
      username: 'root',
      password: 'x',
      is_default: true,
    });
    const planCategory = await planCall('POST', '/api/v1/firmware/category/', { organization: plan.id, name: 'plan' });
    const planOld = await planCall('POST', '/api/v1/firmware/build/', {
      category: planCategory.id,
      version: OLD.version,
    });
    const planNew = await planCall('POST', '/api/v1/firmware/build/', {
      category: planCategory.id,
      version: NEW.version,
    });
    const oldImages = [];
    for (const board of SIMULATED_BOARDS) {
      oldImages.push(await uploadImage(planCall, planOld.id, board, OLD, 4096));
      await uploadImage(planCall, planNew.id, board, NEW, 4096);
    }
    const sqlClient = new pg.Client({ connectionString: databaseUrl });
    await sqlClient.connect();
    await seedPlanDevices(sqlClient, plan.id, PLAN_DEVICES, oldImages, OLD);
    await sqlClient.query('ANALYZE');
    await sqlClient.end();
    let t = performance.now();
    const dry = await planCall('GET', `/api/v1/firmware/build/${planNew.id}/upgrade/`);
    const dryRunSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    const launched = await planCall('POST', `/api/v1/firmware/build/${planNew.id}/upgrade/`, {});
    const launchSeconds = (performance.now() - t) / 1000;
    const planned = await planCall('GET', `/api/v1/firmware/batch-upgrade-operation/${launched.batch}/`);
    await planCall('POST', `/api/v1/firmware/batch-upgrade-operation/${launched.batch}/cancel/`);

    const lines = [
      `mass upgrade: ${ROUTERS} simulated routers, ${IMAGE_BYTES / MiB} MiB image, ${REBOOT_SECONDS} s reboot, ` +
        `worker concurrency ${CONCURRENCY}, ${os.cpus().length} cores`,
      `  raw ssh2 loopback throughput (plain client → one simulated router, median of 3): ${rawMiBs.toFixed(1)} MiB/s`,
      `  transfer limit = ${ROUTERS} × ${IMAGE_BYTES / MiB} MiB ÷ ${rawMiBs.toFixed(1)} MiB/s + ${REBOOT_SECONDS} s ` +
        `= ${limit.toFixed(1)} s`,
      `  fleetflash: launch → batch ${batch.status} in ${wall.toFixed(1)} s ` +
        `(${batch.progress_report}, ${batch.counts.failed} failed, ${batch.counts.aborted} aborted); ` +
        `${(ROUTERS / wall).toFixed(1)} operations/s`,
      `  server process: ${cpu.toFixed(1)} CPU s (${((cpu / ROUTERS) * 1000).toFixed(1)} ms per operation), peak ` +
        `memory ${peak.toFixed(0)} MiB`,
      `  routers flashed once: ${flashed}, flashed twice: ${twice}`,
      `  ratio (transfer limit ÷ fleetflash wall time): ${(limit / wall).toFixed(2)}`,
      `plan and launch, database only: ${PLAN_DEVICES} devices`,
      `  dry run: ${dryRunSeconds.toFixed(2)} s (${dry.device_firmwares.length} to upgrade)`,
      `  launch:  ${launchSeconds.toFixed(2)} s (${planned.total_operations} operations ` +
        `in ${planned.stages.length} stages)`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await fleet?.stop();
    await server?.stop();
    await database.stop();
  }
}

runBench(main);
