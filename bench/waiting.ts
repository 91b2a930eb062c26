/**
 * Benchmark: waiting is free. A mass upgrade of 1,000 simulated routers that take 90 s to reboot,
 * with the default reconnection settings (first reconnection 120 s after the flash command, then
 * every 20 s) and the default caps (upgrade_max_transfers 50, upgrade_max_ssh_sessions 100,
 * upgrade_concurrency 10000), run by a real `fleetflash serve` process. Judged against a limit
 * measured in the same run, into the same fleet:
 *
 *   transfer limit = wall time of ROUTERS parallel raw ssh2 transfers of the image, one into each router
 *   limit          = transfer limit + one reboot cycle (max(reboot, openwrt.reconnect_delay))
 *   ratio          = fleetflash's wall time ÷ limit (1.0 = waiting cost nothing)
 *
 * It also reports the most routers rebooting at once (all of them, if waiting holds no slot), the
 * server's CPU per operation, and its memory per waiting operation (resident memory while every
 * operation waits, minus before the launch, divided by the operations waiting).
 *
 *   npm run bench:waiting
 *   BENCH_ROUTERS=200 BENCH_REBOOT_SECONDS=20 BENCH_RECONNECT_DELAY=25 npm run bench:waiting   # shorter
 */
import os from 'node:os';
import type { Fleet } from '../simulator/fleet.js';
import { createLogger } from '../src/platform/logger.js';
import {
  benchServerEnv,
  cpuSeconds,
  residentMemoryMiB,
  type Server,
  startBenchDatabase,
  runBench,
  startServer,
  note,
  BENCH_RELEASES,
  startBenchFleet,
} from './lib/fleetflash-process.js';
import { rawTransfer } from './lib/raw-ssh.js';

const MiB = 1024 * 1024;
const ROUTERS = Number(process.env.BENCH_ROUTERS ?? 1000);
const IMAGE_BYTES = Number(process.env.BENCH_MIB ?? 1) * MiB;
const REBOOT_SECONDS = Number(process.env.BENCH_REBOOT_SECONDS ?? 90);
/** Unset: the default setting (120 s). */
const RECONNECT_DELAY = process.env.BENCH_RECONNECT_DELAY;
const OLD = BENCH_RELEASES.old;
const NEW = BENCH_RELEASES.new;

async function main(): Promise<void> {
  const logger = createLogger('silent');
  const database = await startBenchDatabase('fleetflash-bench-waiting-', 'bench_waiting', logger);
  const { tempDir, databaseUrl } = database;
  const env: Record<string, string> = {
    ...benchServerEnv(databaseUrl, tempDir),
    FLEETFLASH_DATABASE_POOL_SIZE: '20',
    // Every router in one stage and at once: the caps under test are the worker's own.
    FLEETFLASH_UPGRADE_GLOBAL_CONCURRENCY: String(ROUTERS),
    FLEETFLASH_ROLLOUT_MAX_CONCURRENT: String(ROUTERS),
    FLEETFLASH_OPENWRT_CONNECT_TIMEOUT: '20',
    FLEETFLASH_OPENWRT_COMMAND_TIMEOUT: '120',
    FLEETFLASH_DEVICE_ALLOW_LOOPBACK: 'true',
    ...(RECONNECT_DELAY ? { FLEETFLASH_OPENWRT_RECONNECT_DELAY: RECONNECT_DELAY } : {}),
  };
  const reconnectDelay = Number(RECONNECT_DELAY ?? 120);
  let fleet: Fleet | null = null;
  let server: Server | null = null;
  try {
    server = await startServer('serve', env);
    const setUp = await startBenchFleet(server, databaseUrl, tempDir, {
      routers: ROUTERS,
      rebootSeconds: REBOOT_SECONDS,
      newImageBytes: IMAGE_BYTES,
      releases: { old: OLD, new: NEW },
    });
    const { call, capacity, builds, imageFile: file } = setUp;
    fleet = setUp.fleet;

    // The limit, in the same run and into the same fleet: one raw ssh2 transfer into every router at once.
    note(`${ROUTERS} parallel raw ssh2 transfers`);
    const rawStarted = performance.now();
    await Promise.all(fleet.routers.map((router) => rawTransfer(router.host, router.address.port, 'simulated', file)));
    const transferLimit = (performance.now() - rawStarted) / 1000;

    const pid = server.child.pid!;
    const rssBefore = residentMemoryMiB(pid);
    const cpuBefore = cpuSeconds(pid);
    note('launching the mass upgrade');
    const started = performance.now();
    const { batch: batchId, warnings } = await call('POST', `/api/v1/firmware/build/${builds[NEW.version]}/upgrade/`, {
      rollout: { canary_percent: 100, max_concurrent: ROUTERS },
    });
    let mostRebooting = 0;
    let rssAtMostRebooting = rssBefore;
    let lastNote = 0;
    let batch: any;
    for (;;) {
      const rebooting = fleet.routers.filter((router) => router.rebooting).length;
      if (rebooting >= mostRebooting) {
        mostRebooting = rebooting;
        rssAtMostRebooting = Math.max(rssAtMostRebooting, residentMemoryMiB(pid));
      }
      batch = await call('GET', `/api/v1/firmware/batch-upgrade-operation/${batchId}/`);
      if (['success', 'failed', 'cancelled'].includes(batch.status)) break;
      if (Date.now() - lastNote > 10_000) {
        lastNote = Date.now();
        note(`${batch.progress_report} decided, ${batch.counts.in_progress} in progress, ${rebooting} rebooting`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const wall = (performance.now() - started) / 1000;
    const cpu = cpuSeconds(pid) - cpuBefore;
    const flashed = fleet.routers.filter((router) => router.flashCount === 1).length;
    const cycle = Math.max(REBOOT_SECONDS, reconnectDelay);
    const limit = transferLimit + cycle;
    const perWaitingKiB = ((rssAtMostRebooting - rssBefore) * 1024) / Math.max(mostRebooting, 1);
    const lines = [
      `waiting: ${ROUTERS} simulated routers, ${IMAGE_BYTES / MiB} MiB image, ${REBOOT_SECONDS} s reboot, ` +
        `openwrt.reconnect_delay ${reconnectDelay} s, ${os.cpus().length} cores; caps ${JSON.stringify(capacity)}`,
      `  launch warnings: ${warnings.length === 0 ? 'none' : warnings.join(' ')}`,
      `  transfer limit (${ROUTERS} parallel raw ssh2 transfers into the same fleet): ${transferLimit.toFixed(1)} s`,
      `  limit = transfer limit + one reboot cycle (${cycle} s) = ${limit.toFixed(1)} s`,
      `  fleetflash: launch → batch ${batch.status} in ${wall.toFixed(1)} s (${batch.progress_report}, ` +
        `${batch.counts.failed} failed, ${batch.counts.aborted} aborted); routers flashed once: ${flashed}`,
      `  most routers rebooting at once: ${mostRebooting} of ${ROUTERS}`,
      `  server: ${cpu.toFixed(1)} CPU s (${((cpu / ROUTERS) * 1000).toFixed(1)} ms per operation); resident ` +
        `${rssBefore.toFixed(0)} MiB before the launch, ${rssAtMostRebooting.toFixed(0)} MiB with ${mostRebooting} ` +
        `waiting: ${perWaitingKiB.toFixed(1)} KiB per waiting operation`,
      `  ratio (fleetflash wall ÷ limit, target ≈ 1): ${(wall / limit).toFixed(2)}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await fleet?.stop();
    await server?.stop();
    await database.stop();
  }
}

runBench(main);
