/**
 * Benchmark: the pull agent at scale, against one real `fleetflash serve` process.
 *
 * Part 1, polls: AGENTS simulated agent routers (simulator/agent-router.ts, real HTTP) enrolled and polling
 * at the default 60 s interval for MEASURE_SECONDS, in two set-ups:
 *   a. plain polls (agent.long_poll 0): every poll answered at once. Server CPU per poll, poll round trip
 *      p50/p99 at the agents, server memory. Baseline in the same run: a bare Node http server answering the
 *      same form posts with the same `action=none` text, loaded at the same rate with the same bodies:
 *      ratio = fleetflash CPU per poll ÷ the bare server's.
 *   b. long polls (agent.long_poll 55, the default): every agent holds a poll almost all the time. Server
 *      memory per held poll (resident memory over part a's, divided by the agents), CPU per poll, and the wake
 *      latency: single upgrades released to WAKE_SAMPLE agents, from the API's answer to the agent's receipt
 *      of `action=upgrade`, p50/p99.
 * Part 2, a staged mass upgrade of ROUTERS agent routers with an IMAGE_MIB image (canary 10, stages ×10,
 * no bake): launch → success. Judged against the transfer limit of the same run, ROUTERS parallel HTTP
 * downloads of the same image from the same server (its image download route), plus one reboot cycle per
 * stage: ratio = wall ÷ (transfer limit + stages × reboot).
 *
 * The agents run in this process and share its two cores with the server and PostgreSQL: their own time is
 * in the round trips; the ratios compare like with like.
 *
 *   npm run bench:agents
 *   BENCH_AGENTS=2000 BENCH_MEASURE_SECONDS=60 BENCH_ROUTERS=200 npm run bench:agents   # smaller
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import type { SimulatedAgentRouter } from '../simulator/agent-router.js';
import type { Fleet } from '../simulator/fleet.js';
import { createLogger } from '../src/platform/logger.js';
import {
  BENCH_RELEASES,
  benchServerEnv,
  cpuSeconds,
  note,
  residentMemoryMiB,
  runBench,
  type Server,
  startBenchDatabase,
  startBenchFleet,
  startServer,
} from './lib/fleetflash-process.js';

const MiB = 1024 * 1024;
const AGENTS = Number(process.env.BENCH_AGENTS ?? 10_000);
const MEASURE_SECONDS = Number(process.env.BENCH_MEASURE_SECONDS ?? 120);
const WAKE_SAMPLE = Number(process.env.BENCH_WAKE_SAMPLE ?? 100);
const ROUTERS = Number(process.env.BENCH_ROUTERS ?? 1000);
const IMAGE_MIB = Number(process.env.BENCH_MIB ?? 8);
const REBOOT_SECONDS = Number(process.env.BENCH_REBOOT_SECONDS ?? 5);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Polls answered, and their round trips, since the last `take`. */
class PollLog {
  private durations: number[] = [];
  /** Called with every poll's action (the wake measurement listens). */
  onAction: ((router: SimulatedAgentRouter, action: string) => void) | null = null;
  readonly record = (router: SimulatedAgentRouter, ms: number, action: string) => {
    this.durations.push(ms);
    this.onAction?.(router, action);
  };
  take(): { count: number; p50: number; p99: number } {
    const durations = this.durations;
    this.durations = [];
    return { count: durations.length, p50: percentile(durations, 50), p99: percentile(durations, 99) };
  }
}

async function withServer<T>(
  prefix: string,
  extraEnv: Record<string, string>,
  body: (server: Server, databaseUrl: string, tempDir: string) => Promise<T>,
): Promise<T> {
  const database = await startBenchDatabase(prefix, 'bench_agents', createLogger('silent'));
  let server: Server | null = null;
  try {
    server = await startServer('serve', {
      ...benchServerEnv(database.databaseUrl, database.tempDir),
      FLEETFLASH_DATABASE_POOL_SIZE: '20',
      FLEETFLASH_UPGRADE_GLOBAL_CONCURRENCY: String(Math.max(ROUTERS, WAKE_SAMPLE)),
      FLEETFLASH_ROLLOUT_MAX_CONCURRENT: String(ROUTERS),
      FLEETFLASH_AGENT_DOWNLOAD_RATE_LIMIT: '1000',
      ...extraEnv,
    });
    return await body(server, database.databaseUrl, database.tempDir);
  } finally {
    await server?.stop();
    await database.stop();
  }
}

/** The bare baseline: a child process answering form posts with the idle answer, as cheaply as Node can. */
function startBareServer(): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const source = `
    const http = require('node:http');
    const server = http.createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk) => { body += chunk; });
      request.on('end', () => {
        const fields = new URLSearchParams(body);
        if (!fields.get('token')) { response.statusCode = 401; response.end('detail=no token\\n'); return; }
        response.setHeader('content-type', 'text/plain; charset=utf-8');
        response.end('action=none\\npoll_interval=60\\nlong_poll=0\\n');
      });
    });
    server.keepAliveTimeout = 65000;
    server.listen(0, '127.0.0.1', () => process.stdout.write('port=' + server.address().port + '\\n'));`;
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => {
    child.stdout!.once('data', (data: Buffer) => {
      const port = /port=(\d+)/.exec(data.toString())![1];
      resolve({
        url: `http://127.0.0.1:${port}`,
        pid: child.pid!,
        stop: () =>
          new Promise((done) => {
            child.once('close', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/** Posts `count` polls spread evenly over `seconds`, as `agents` keep-alive clients would; round trips in ms. */
async function loadBare(url: string, count: number, seconds: number, bodies: string[]): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const durations: number[] = [];
  const gap = (seconds * 1000) / count;
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let index = 0; index < count; index += 1) {
    const due = started + index * gap;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const sent = performance.now();
    pending.push(
      new Promise<void>((resolve, reject) => {
        const request = http.request(`${url}/agent/v1/poll`, {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
        request.once('response', (response) => {
          response.resume();
          response.once('end', () => {
            durations.push(performance.now() - sent);
            resolve();
          });
        });
        request.once('error', reject);
        request.end(bodies[index % bodies.length]);
      }),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  return durations;
}

async function measurePolls(
  server: Server,
  fleet: Fleet,
  log: PollLog,
): Promise<{ polls: number; cpuMsPerPoll: number; p50: number; p99: number; rssMiB: number }> {
  const pid = server.child.pid!;
  // One interval (the agents' first polls are spread over it) to settle into the steady rate, then the measurement.
  await sleep(60_000);
  log.take();
  const cpuBefore = cpuSeconds(pid);
  await sleep(MEASURE_SECONDS * 1000);
  const cpu = cpuSeconds(pid) - cpuBefore;
  const polls = log.take();
  note(`${polls.count} polls by ${fleet.agents.length} agents in ${MEASURE_SECONDS} s`);
  return {
    polls: polls.count,
    cpuMsPerPoll: (cpu * 1000) / Math.max(polls.count, 1),
    p50: polls.p50,
    p99: polls.p99,
    rssMiB: residentMemoryMiB(pid),
  };
}

async function pollsPart(longPoll: number): Promise<string[]> {
  const log = new PollLog();
  return withServer(
    'fleetflash-bench-agents-',
    { FLEETFLASH_AGENT_LONG_POLL: String(longPoll) },
    async (server, databaseUrl, tempDir) => {
      const rssEmpty = residentMemoryMiB(server.child.pid!);
      const setUp = await startBenchFleet(server, databaseUrl, tempDir, {
        routers: AGENTS,
        rebootSeconds: REBOOT_SECONDS,
        newImageBytes: 64 * 1024,
        releases: { old: BENCH_RELEASES.old, new: BENCH_RELEASES.new },
        mode: 'agent',
        onAgentPoll: log.record,
      });
      const fleet = setUp.fleet;
      try {
        const figures = await measurePolls(server, fleet, log);
        const lines = [
          `  fleetflash, agent.long_poll ${longPoll}: ${figures.polls} polls in ${MEASURE_SECONDS} s ` +
            `(${(figures.polls / MEASURE_SECONDS).toFixed(0)}/s), ` +
            `${figures.cpuMsPerPoll.toFixed(2)} ms CPU per poll, ` +
            `round trip p50 ${figures.p50.toFixed(1)} ms p99 ${figures.p99.toFixed(1)} ms, resident ` +
            `${figures.rssMiB.toFixed(0)} MiB (${rssEmpty.toFixed(0)} MiB before the agents: ` +
            `${(((figures.rssMiB - rssEmpty) * 1024) / AGENTS).toFixed(1)} KiB per agent)`,
        ];
        if (longPoll === 0) {
          const bodies = fleet.agents.slice(0, 1000).map((agent) =>
            new URLSearchParams({
              token: agent.token ?? '',
              boot_id: agent.state.bootId,
              release: agent.state.release.version,
              agent_version: '1.0.0-sim',
              operation: '',
            }).toString(),
          );
          await fleet.stop();
          const bare = await startBareServer();
          try {
            const cpuBefore = cpuSeconds(bare.pid);
            const durations = await loadBare(bare.url, figures.polls, MEASURE_SECONDS, bodies);
            const cpuMs = ((cpuSeconds(bare.pid) - cpuBefore) * 1000) / figures.polls;
            lines.push(
              `  bare Node http server, same rate and bodies: ${cpuMs.toFixed(3)} ms CPU per poll, round trip ` +
                `p50 ${percentile(durations, 50).toFixed(1)} ms p99 ${percentile(durations, 99).toFixed(1)} ms`,
              `  ratio (fleetflash CPU per poll ÷ bare): ${(figures.cpuMsPerPoll / cpuMs).toFixed(1)}`,
            );
          } finally {
            await bare.stop();
          }
        } else {
          // Wake latency: single upgrades released to a sample of agents holding their polls.
          const sample = fleet.agents.slice(0, WAKE_SAMPLE);
          const released = new Map<SimulatedAgentRouter, number>();
          const woke: number[] = [];
          let allWoke: () => void = () => {};
          const done = new Promise<void>((resolve) => {
            allWoke = resolve;
          });
          log.onAction = (router, action) => {
            const at = released.get(router);
            if (action !== 'upgrade' || at === undefined) return;
            released.delete(router);
            woke.push(performance.now() - at);
            if (woke.length === sample.length) allWoke();
          };
          const imageFor = await imagesByBoard(setUp.call, setUp.builds[BENCH_RELEASES.new.version]!);
          for (const agent of sample) {
            // From the request: the worker publishes the job once the API has created the operation.
            released.set(agent, performance.now());
            await setUp.call('PUT', `/api/v1/firmware/device/${agent.deviceId}/firmware/`, {
              image: imageFor.get(agent.state.reportedBoard),
              backup: 'off',
            });
          }
          await Promise.race([done, sleep(120_000)]);
          log.onAction = null;
          lines.push(
            `  wake latency (single upgrade requested → its agent has the job), ${woke.length} of ` +
              `${sample.length} agents: p50 ${percentile(woke, 50).toFixed(0)} ms, ` +
              `p99 ${percentile(woke, 99).toFixed(0)} ms`,
          );
          await fleet.stop();
        }
        return lines;
      } finally {
        await fleet.stop().catch(() => undefined);
      }
    },
  );
}

/** The build's images by the board they fit. */
async function imagesByBoard(
  call: (method: string, route: string, body?: unknown) => Promise<any>,
  buildId: string,
): Promise<Map<string, string>> {
  const images = await call('GET', `/api/v1/firmware/build/${buildId}/image/`);
  const byBoard = new Map<string, string>();
  for (const image of images.results ?? images) for (const board of image.boards) byBoard.set(board, image.id);
  return byBoard;
}

async function massUpgradePart(): Promise<string[]> {
  return withServer('fleetflash-bench-agents-mass-', {}, async (server, databaseUrl, tempDir) => {
    const setUp = await startBenchFleet(server, databaseUrl, tempDir, {
      routers: ROUTERS,
      rebootSeconds: REBOOT_SECONDS,
      newImageBytes: IMAGE_MIB * MiB,
      releases: { old: BENCH_RELEASES.old, new: BENCH_RELEASES.new },
      mode: 'agent',
    });
    const { call, builds, fleet } = setUp;
    try {
      // The limit: every router's download of the image at once, from the same server.
      const buildId = builds[BENCH_RELEASES.new.version]!;
      const images = await call('GET', `/api/v1/firmware/build/${buildId}/image/`);
      const image = (images.results ?? images)[0];
      const token = setUp.token;
      note(`${ROUTERS} parallel downloads of the ${IMAGE_MIB} MiB image`);
      const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
      const rawStarted = performance.now();
      await Promise.all(
        Array.from(
          { length: ROUTERS },
          () =>
            new Promise<void>((resolve, reject) => {
              const request = http.get(
                `${server.url}/api/v1/firmware/build/${buildId}/image/${image.id}/download/`,
                { agent, headers: { authorization: `Bearer ${token}` } },
                (response) => {
                  if (response.statusCode !== 200) reject(new Error(`download answered ${response.statusCode}`));
                  response.resume();
                  response.once('end', () => resolve());
                },
              );
              request.once('error', reject);
            }),
        ),
      );
      const transferLimit = (performance.now() - rawStarted) / 1000;
      agent.destroy();

      const pid = server.child.pid!;
      const cpuBefore = cpuSeconds(pid);
      note('launching the staged mass upgrade');
      const started = performance.now();
      const { batch: batchId } = await call('POST', `/api/v1/firmware/build/${buildId}/upgrade/`, {
        backup: 'off',
        rollout: { canary_count: 10, stage_factor: 10, bake_seconds: 0, max_concurrent: ROUTERS },
      });
      let batch: any;
      let lastNote = 0;
      for (;;) {
        batch = await call('GET', `/api/v1/firmware/batch-upgrade-operation/${batchId}/`);
        if (['success', 'failed', 'cancelled', 'paused'].includes(batch.status)) break;
        if (Date.now() - lastNote > 10_000) {
          lastNote = Date.now();
          note(`${batch.progress_report} decided, stage ${batch.current_stage}`);
        }
        await sleep(250);
      }
      const wall = (performance.now() - started) / 1000;
      const cpu = cpuSeconds(pid) - cpuBefore;
      const stages = batch.stages.length as number;
      const limit = transferLimit + stages * REBOOT_SECONDS;
      const flashed = fleet.agents.filter((router) => router.flashCount === 1).length;
      return [
        `  staged mass upgrade of ${ROUTERS} agent routers, ${IMAGE_MIB} MiB image, ${REBOOT_SECONDS} s reboot, ` +
          `stages ${batch.stages.map((stage: { size: number }) => stage.size).join('/')}:`,
        `  transfer limit (${ROUTERS} parallel downloads of the image from the same server): ` +
          `${transferLimit.toFixed(1)} s; limit = transfer limit + ${stages} stages × ${REBOOT_SECONDS} s reboot = ` +
          `${limit.toFixed(1)} s`,
        `  fleetflash: launch → batch ${batch.status} in ${wall.toFixed(1)} s (${batch.progress_report}, ` +
          `${batch.counts.failed} failed); routers flashed once: ${flashed}; ` +
          `server ${((cpu / ROUTERS) * 1000).toFixed(1)} ` +
          'ms CPU per operation',
        `  ratio (wall ÷ limit): ${(wall / limit).toFixed(2)}`,
      ];
    } finally {
      await fleet.stop();
    }
  });
}

async function main(): Promise<void> {
  const lines = [
    `agents: ${os.cpus().length} cores; ${AGENTS} agents polling every 60 s; ${MEASURE_SECONDS} s measured`,
  ];
  note(`part 1a: ${AGENTS} agents, plain polls`);
  lines.push(...(await pollsPart(0)));
  note(`part 1b: ${AGENTS} agents, long polls`);
  lines.push(...(await pollsPart(55)));
  note(`part 2: staged mass upgrade of ${ROUTERS} agent routers`);
  lines.push(...(await massUpgradePart()));
  process.stdout.write(`${lines.join('\n')}\n`);
}

runBench(main);
