/**
 * Benchmark: a mass upgrade of 1,000 simulated routers with an 8 MiB image and a 2 s simulated
 * reboot, run by a real `fleetflash serve` process (its CPU time and peak memory are measured from
 * /proc), judged against a limit measured in the same run, into the same simulated fleet:
 *
 *   transfer limit = wall time of ROUTERS raw ssh2 transfers at once, one into each router of the fleet
 *                    (a plain ssh2 client per router: handshake, the image into `cat > file`, clean-up),
 *                    run from a process of their own as the server is one
 *   limit          = transfer limit + one reboot cycle (max(reboot, openwrt.reconnect_delay)): every
 *                    router reboots once after its flash, and the last one's reboot follows the transfers
 *   ratio          = fleetflash's wall time ÷ limit (target ≤ 1.5; 1.0 = as fast as the bytes can move)
 *
 * and the server's CPU per operation (target ≤ 20 ms). Everything shares the machine's cores: the
 * server, PostgreSQL and the simulated fleet, as the raw clients share them with the same fleet. The
 * server runs with the default per-worker caps (upgrade_max_transfers, upgrade_max_ssh_sessions,
 * upgrade_concurrency) and every router in one stage. The plan and launch of 100,000 devices is
 * bench/launch-100k.ts.
 *
 *   npm run bench:mass-upgrade
 *   BENCH_ROUTERS=200 npm run bench:mass-upgrade                      # smaller
 *   BENCH_CPU_PROF=/tmp/prof BENCH_ROUTERS=200 npm run bench:mass-upgrade   # and a CPU profile of the server
 *   BENCH_MAX_SSH_SESSIONS=1000 BENCH_MAX_TRANSFERS=1000 …   # other per-worker caps than the defaults
 *   BENCH_NODE_IMPORT=/path/to/hook.mjs …   # a module the server loads first (node --import), e.g. a query counter
 *   BENCH_BACKUP=off …   # the configuration backup before each flash: required (the default), best-effort, off
 *   BENCH_TRANSFER=pull …   # openwrt.image_transfer: the routers download the image over HTTP (default push)
 *
 * With backups on it also reports what they cost: the archives' storage per router (from the database) and,
 * run once more with BENCH_BACKUP=off, the time (the difference of the two runs' wall and CPU figures).
 */
import os from 'node:os';
import pg from 'pg';
import type { Fleet } from '../simulator/fleet.js';
import { createLogger } from '../src/platform/logger.js';
import {
  benchServerEnv,
  cpuSeconds,
  peakMemoryMiB,
  type Server,
  startBenchDatabase,
  runBench,
  startServer,
  waitForBatch,
  note,
  BENCH_RELEASES,
  startBenchFleet,
} from './lib/fleetflash-process.js';
import { freePort } from '../test/helpers/free-port.js';
import { rawHttpDownloads } from './lib/raw-http.js';
import { parallelRawTransfers } from './lib/raw-ssh.js';

const MiB = 1024 * 1024;
const ROUTERS = Number(process.env.BENCH_ROUTERS ?? 1000);
const IMAGE_BYTES = Number(process.env.BENCH_MIB ?? 8) * MiB;
const REBOOT_SECONDS = 2;
/** The reconnection delay, scaled to the 2 s reboot. */
const RECONNECT_DELAY = REBOOT_SECONDS;
/** A directory: the server runs with `node --cpu-prof` and writes its profile there on exit. */
const CPU_PROF = process.env.BENCH_CPU_PROF;
const MAX_SSH_SESSIONS = process.env.BENCH_MAX_SSH_SESSIONS;
const MAX_TRANSFERS = process.env.BENCH_MAX_TRANSFERS;
const BACKUP = process.env.BENCH_BACKUP ?? 'required';
const TRANSFER = process.env.BENCH_TRANSFER ?? 'push';
const OLD = BENCH_RELEASES.old;
const NEW = BENCH_RELEASES.new;

const loadAverage = () => os.loadavg()[0]!.toFixed(1);

async function main(): Promise<void> {
  const logger = createLogger('silent');
  const database = await startBenchDatabase('fleetflash-bench-mass-', 'bench_mass', logger);
  const { tempDir, databaseUrl } = database;
  // Pulls need the address routers download from before the server starts: a port chosen now.
  const port = TRANSFER === 'pull' ? await freePort() : 0;
  const env: Record<string, string> = {
    ...benchServerEnv(databaseUrl, tempDir),
    FLEETFLASH_DATABASE_POOL_SIZE: '20',
    // Every router in one stage, and at once as far as the worker's own caps (defaults) let it.
    FLEETFLASH_UPGRADE_GLOBAL_CONCURRENCY: String(ROUTERS),
    FLEETFLASH_ROLLOUT_MAX_CONCURRENT: String(ROUTERS),
    // Waits scaled to a 2 s reboot.
    FLEETFLASH_OPENWRT_RECONNECT_DELAY: String(RECONNECT_DELAY),
    FLEETFLASH_OPENWRT_RECONNECT_RETRY_DELAY: '0.5',
    FLEETFLASH_OPENWRT_RECONNECT_MAX_RETRIES: '60',
    FLEETFLASH_OPENWRT_CONNECT_TIMEOUT: '20',
    FLEETFLASH_OPENWRT_COMMAND_TIMEOUT: '120',
    FLEETFLASH_TASK_TIMEOUT: '900',
    FLEETFLASH_RETRY_BACKOFF: '1',
    FLEETFLASH_RETRY_BACKOFF_MAX: '5',
    // The simulated routers listen on 127.0.0.1.
    FLEETFLASH_DEVICE_ALLOW_LOOPBACK: 'true',
    // Unset: the defaults (upgrade_max_ssh_sessions 100, upgrade_max_transfers 50).
    ...(MAX_SSH_SESSIONS ? { FLEETFLASH_UPGRADE_MAX_SSH_SESSIONS: MAX_SSH_SESSIONS } : {}),
    ...(MAX_TRANSFERS ? { FLEETFLASH_UPGRADE_MAX_TRANSFERS: MAX_TRANSFERS } : {}),
    FLEETFLASH_OPENWRT_IMAGE_TRANSFER: TRANSFER,
    ...(TRANSFER === 'pull' ? { PORT: String(port), FLEETFLASH_PUBLIC_URL: `http://127.0.0.1:${port}` } : {}),
  };
  let fleet: Fleet | null = null;
  let server: Server | null = null;
  try {
    const loadAtStart = loadAverage();
    // 1. The server and the fleet, set up through the API.
    server = await startServer(
      'serve',
      env,
      CPU_PROF
        ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`]
        : process.env.BENCH_NODE_IMPORT
          ? ['--import', process.env.BENCH_NODE_IMPORT]
          : [],
    );
    const setUp = await startBenchFleet(server, databaseUrl, tempDir, {
      routers: ROUTERS,
      rebootSeconds: REBOOT_SECONDS,
      newImageBytes: IMAGE_BYTES,
      releases: { old: OLD, new: NEW },
    });
    const { call, capacity, builds, imageFile: file } = setUp;
    fleet = setUp.fleet;

    // 2. The limit, in the same run and into the same fleet: one raw ssh2 transfer into every router at once.
    note(`${ROUTERS} parallel raw ssh2 transfers`);
    const raw = await parallelRawTransfers(
      fleet.routers.map((router) => router.address),
      'simulated',
      file,
    );
    const transferLimit = raw.seconds;
    const cycle = Math.max(REBOOT_SECONDS, RECONNECT_DELAY);
    const limit = transferLimit + cycle;
    // With pulls, the floor of the serving too: every router's download at once from a bare HTTP server.
    const rawPulls = TRANSFER === 'pull' ? await rawHttpDownloads(ROUTERS, file) : null;
    const loadAfterRaw = loadAverage();

    // 3. The mass upgrade, one stage.
    note(`raw transfers took ${transferLimit.toFixed(1)} s; launching the mass upgrade`);
    const pid = server.child.pid!;
    const commandsBefore = fleet.routers.reduce((sum, router) => sum + router.commands, 0);
    const cpuBefore = cpuSeconds(pid);
    const started = performance.now();
    const { batch: batchId, warnings } = await call('POST', `/api/v1/firmware/build/${builds[NEW.version]}/upgrade/`, {
      rollout: { canary_percent: 100, max_concurrent: ROUTERS },
      backup: BACKUP,
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
    const commands = fleet.routers.reduce((sum, router) => sum + router.commands, 0) - commandsBefore;
    const peak = peakMemoryMiB(pid);
    const loadAtEnd = loadAverage();
    for (const status of ['failed', 'aborted']) {
      // Why, in short, for the first few: a figure of a run with failures needs its cause beside it.
      const { results } = await call('GET', `/api/v1/firmware/upgrade-operation/?status=${status}&page_size=5`);
      for (const operation of results) {
        const { results: lines } = await call('GET', `/api/v1/firmware/upgrade-operation/${operation.id}/log/`);
        note(`${status} ${operation.id} (${operation.error_code}): ${lines.at(-1)?.message ?? 'no log'}`);
      }
    }
    const backups = await backupFigures(databaseUrl);
    const flashed = fleet.routers.filter((router) => router.flashCount === 1).length;
    const twice = fleet.routers.filter((router) => router.flashCount > 1).length;

    const lines = [
      `mass upgrade: ${ROUTERS} simulated routers, ${IMAGE_BYTES / MiB} MiB image, ${REBOOT_SECONDS} s reboot, ` +
        `openwrt.reconnect_delay ${RECONNECT_DELAY} s, image transfer ${TRANSFER}, ${os.cpus().length} cores; ` +
        `caps ${JSON.stringify(capacity)}`,
      `  load average (1 min): ${loadAtStart} at the start, ${loadAfterRaw} after the raw transfers, ` +
        `${loadAtEnd} at the end`,
      `  launch warnings: ${warnings.length === 0 ? 'none' : warnings.join(' ')}`,
      `  transfer limit (${ROUTERS} parallel raw ssh2 transfers into the same fleet): ${transferLimit.toFixed(1)} s ` +
        `(${((ROUTERS * IMAGE_BYTES) / MiB / transferLimit).toFixed(1)} MiB/s in aggregate)`,
      `  raw clients' process: ${((raw.cpuSeconds / ROUTERS) * 1000).toFixed(1)} ms CPU per transfer (one ` +
        `handshake, the image, one clean-up command: the floor of a server's SSH work per router)`,
      ...(rawPulls
        ? [
            `  raw HTTP server (${ROUTERS} downloads of the image at once, bare node:http in its own process): ` +
              `${rawPulls.seconds.toFixed(1)} s, ${((rawPulls.cpuSeconds / ROUTERS) * 1000).toFixed(1)} ms CPU per ` +
              'download (the floor of serving a pull; on loopback it includes the TCP work of both ends)',
          ]
        : []),
      `  limit = transfer limit + one reboot cycle (${cycle} s) = ${limit.toFixed(1)} s`,
      `  fleetflash: launch → batch ${batch.status} in ${wall.toFixed(1)} s ` +
        `(${batch.progress_report}, ${batch.counts.failed} failed, ${batch.counts.aborted} aborted); ` +
        `${(ROUTERS / wall).toFixed(1)} operations/s`,
      `  server process: ${cpu.toFixed(1)} CPU s (${((cpu / ROUTERS) * 1000).toFixed(1)} ms per operation, ` +
        `target ≤ 20; ${(cpu / raw.cpuSeconds).toFixed(2)}× a raw client's` +
        (rawPulls
          ? `; ${(((cpu - rawPulls.cpuSeconds) / ROUTERS) * 1000).toFixed(1)} ms above the raw HTTP server's`
          : '') +
        `), peak memory ${peak.toFixed(0)} MiB`,
      `  commands (SSH exec channels) the routers received during the mass upgrade: ${commands}, ` +
        `${(commands / ROUTERS).toFixed(1)} per router`,
      `  configuration backups (${BACKUP}): ${backups.count} kept, ${(backups.bytes / 1024).toFixed(1)} KiB in all, ` +
        `${backups.count === 0 ? 0 : (backups.bytes / backups.count / 1024).toFixed(1)} KiB per router`,
      `  routers flashed once: ${flashed}, flashed twice: ${twice}; images downloaded by the routers: ` +
        `${fleet.routers.reduce((sum, router) => sum + router.downloads, 0)}, pushed: ` +
        `${fleet.routers.reduce((sum, router) => sum + router.uploads, 0)} (the raw transfers' ${ROUTERS} included)`,
      `  ratio (fleetflash wall ÷ limit, target ≤ 1.5): ${(wall / limit).toFixed(2)}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await fleet?.stop();
    await server?.stop();
    await database.stop();
  }
}

/** How many configuration backups the run kept, and their bytes. */
async function backupFigures(databaseUrl: string): Promise<{ count: number; bytes: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: number; bytes: string | null }>(
      'SELECT count(*)::int AS count, sum(size)::bigint AS bytes FROM device_backups',
    );
    return { count: rows[0]!.count, bytes: Number(rows[0]!.bytes ?? 0) };
  } finally {
    await client.end();
  }
}

runBench(main);
