/**
 * Benchmark: 10,000 concurrent live event streams (`GET /api/v1/events/`, Server-Sent Events) on
 * one `fleetflash api` process: its memory per connection and the delivery latency of an event,
 * from the commit of its row to each client's receipt, against a baseline measured in the same run:
 *
 *   baseline = a bare Node http server holding the same number of SSE sockets, fanning the same
 *              payload, serialized once, to every socket on a PostgreSQL notification (LISTEN;
 *              the payload in the NOTIFY: no row read, no authentication, no filter)
 *   ratios   = fleetflash p50 / p99 latency ÷ the baseline's, and memory per connection ÷ the baseline's
 *
 * Also fleetflash with one client (the latency of the pipeline itself, without fan-out).
 * Each event is an `operation` event row of the benchmark's organization, inserted and notified in
 * one statement (as the database triggers do); the clients (several forked processes, raw HTTP with
 * an Agent without a socket cap) authenticate with a Bearer token, as any API client does.
 *
 * The server, PostgreSQL and the client processes share the machine's cores: the clients' own
 * time to read 10,000 sockets is in both figures, the ratio cancels most of it.
 *
 * Needs about 10,000 file descriptors in the server and as many over the client processes: run
 * under `ulimit -n 20000` (or more) if `ulimit -n` says less.
 *
 *   npm run bench:event-streams
 *   BENCH_CLIENTS=2000 BENCH_EVENTS=10 npm run bench:event-streams   # smaller
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createLogger } from '../src/platform/logger.js';
import { PROJECT_ROOT } from '../src/platform/paths.js';
import { benchServerEnv, cpuSeconds, residentMemoryMiB, startBenchDatabase, note } from './lib/fleetflash-process.js';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 10_000);
const CLIENT_PROCESSES = Number(process.env.BENCH_CLIENT_PROCESSES ?? 4);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 20);
const EVENT_GAP_MS = Number(process.env.BENCH_EVENT_GAP_MS ?? 500);
const CONNECT_CONCURRENCY = 25;
const DEADLINE_MS = 7 * 60_000;

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function spawnUntil(command: string[], env: Record<string, string>, ready: RegExp): Promise<[ChildProcess, string]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, command, {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    });
    let output = '';
    const onData = (data: Buffer) => {
      output += data.toString();
      const match = ready.exec(output);
      if (match) {
        child.stdout!.off('data', onData);
        resolve([child, match[1]!]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (data: Buffer) => {
      output += data.toString();
    });
    child.once('close', (code) => reject(new Error(`${command.join(' ')} exited with ${code}:\n${output}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once('close', () => done());
    child.kill('SIGTERM');
  });
}

async function createToken(databaseUrl: string): Promise<string> {
  const [child, token] = await spawnUntil(
    ['--import', 'tsx', path.join(PROJECT_ROOT, 'src', 'main.ts'), 'token', 'create', '--username', 'admin'],
    { DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    /(fft_[\w-]+)/,
  );
  await new Promise((done) => (child.exitCode === null ? child.once('close', done) : done(null)));
  return token;
}

/** Client processes alive, stopped on the time limit. */
const clientProcesses = new Set<ChildProcess>();

/** A forked client process and a way to wait for its next message of a type. */
class ClientProcess {
  readonly child: ChildProcess;
  private readonly waiting = new Map<string, (message: any) => void>();

  constructor() {
    this.child = fork(path.join(PROJECT_ROOT, 'bench', 'lib', 'sse-clients.ts'), [], {
      execArgv: ['--import', 'tsx'],
      cwd: PROJECT_ROOT,
    });
    clientProcesses.add(this.child);
    this.child.once('close', () => clientProcesses.delete(this.child));
    this.child.on('message', (message: any) => {
      const resolve = this.waiting.get(message.type);
      this.waiting.delete(message.type);
      resolve?.(message);
    });
  }

  request(command: Record<string, unknown>, answer: string): Promise<any> {
    return new Promise((resolve) => {
      this.waiting.set(answer, resolve);
      this.child.send(command);
    });
  }

  close(): Promise<void> {
    return new Promise((done) => {
      if (this.child.exitCode !== null) {
        done();
        return;
      }
      this.child.once('close', () => done());
      this.child.send({ cmd: 'close' });
    });
  }
}

interface Round {
  clients: number;
  connectSeconds: number;
  rssIdle: number;
  rssConnected: number;
  rssAfter: number;
  cpuSeconds: number;
  latencies: Float64Array;
  missing: number;
  /** Streams the server ended before the end of the round. */
  closed: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Opens `clients` streams to `url` over the client processes, sends EVENTS events with `send`
 * (which resolves with the commit time), and collects each client's receipt of each.
 */
async function measure(
  pid: number,
  url: string,
  headers: Record<string, string>,
  clients: number,
  send: (seq: number) => Promise<number>,
): Promise<Round> {
  const processes = Array.from({ length: Math.min(CLIENT_PROCESSES, clients) }, () => new ClientProcess());
  try {
    await sleep(1000);
    const rssIdle = residentMemoryMiB(pid);
    let started = performance.now();
    const share = (index: number) =>
      Math.floor(clients / processes.length) + (index < clients % processes.length ? 1 : 0);
    const opened = await Promise.all(
      processes.map((client, index) =>
        client.request({ cmd: 'open', url, headers, count: share(index), concurrency: CONNECT_CONCURRENCY }, 'opened'),
      ),
    );
    const connectSeconds = (performance.now() - started) / 1000;
    const failed = opened.reduce((sum, result) => sum + result.failed, 0);
    if (failed > 0) throw new Error(`${failed} streams could not open: ${opened.find((r) => r.error)?.error}`);
    const retries = opened.reduce((sum, result) => sum + result.retries, 0);
    note(`${clients} streams open in ${connectSeconds.toFixed(1)} s (${retries} refused and retried); settling`);
    await sleep(3000);
    const rssConnected = residentMemoryMiB(pid);
    const cpuBefore = cpuSeconds(pid);
    const committed: number[] = [];
    for (let seq = 0; seq < EVENTS; seq += 1) {
      started = performance.now();
      committed.push(await send(seq));
      await sleep(Math.max(0, EVENT_GAP_MS - (performance.now() - started)));
    }
    // Late receipts still count: wait until every client has every event (or 20 s without progress).
    let received = -1;
    let stalledSince = performance.now();
    let open = clients;
    for (;;) {
      await sleep(1000);
      const counts = await Promise.all(processes.map((client) => client.request({ cmd: 'count' }, 'count')));
      const total = counts.reduce((sum, count) => sum + count.received, 0);
      open = counts.reduce((sum, count) => sum + count.open, 0);
      if (total >= clients * EVENTS) break;
      if (total > received) {
        received = total;
        stalledSince = performance.now();
      } else if (performance.now() - stalledSince > 20_000) break;
    }
    const cpu = cpuSeconds(pid) - cpuBefore;
    const rssAfter = residentMemoryMiB(pid);
    const reports = await Promise.all(processes.map((client) => client.request({ cmd: 'report' }, 'receipts')));
    const values: number[] = [];
    for (const report of reports) {
      for (const [seq, times] of Object.entries(report.bySeq as Record<string, number[]>))
        for (const at of times) values.push(at - committed[Number(seq)]!);
    }
    const latencies = Float64Array.from(values).sort();
    return {
      clients,
      connectSeconds,
      rssIdle,
      rssConnected,
      rssAfter,
      cpuSeconds: cpu,
      latencies,
      missing: clients * EVENTS - latencies.length,
      closed: clients - open,
    };
  } finally {
    await Promise.all(processes.map((client) => client.close()));
  }
}

function describe(name: string, round: Round): string[] {
  const { latencies: l } = round;
  const perConnection = ((round.rssConnected - round.rssIdle) * 1024) / round.clients;
  return [
    `${name}: ${round.clients} streams (opened in ${round.connectSeconds.toFixed(1)} s)`,
    `  memory (RSS): idle ${round.rssIdle.toFixed(0)} MiB, with the streams ${round.rssConnected.toFixed(0)} MiB ` +
      `(${perConnection.toFixed(1)} KiB per stream), after the events ${round.rssAfter.toFixed(0)} MiB`,
    `  latency commit → receipt over ${l.length} receipts ` +
      `(${round.missing} missing, ${round.closed} streams ended early): ` +
      `p50 ${percentile(l, 50).toFixed(1)} ms, p99 ${percentile(l, 99).toFixed(1)} ms, ` +
      `max ${(l[l.length - 1] ?? Number.NaN).toFixed(1)} ms`,
    `  server CPU while the ${EVENTS} events were delivered: ${round.cpuSeconds.toFixed(2)} s ` +
      `(${((round.cpuSeconds / EVENTS) * 1000).toFixed(0)} ms per event)`,
  ];
}

function payload(seq: number): Record<string, unknown> {
  // The shape of an operation event (the fields a progress view needs), plus the benchmark's sequence.
  return {
    bench_seq: seq,
    id: '6f1c1a52-3a8e-4c5e-9a7b-0d3c2f1e4b5a',
    device: '0a4d7e2b-8c1f-4e6a-b3d9-5f2e1c7a9b08',
    batch: '9e8d7c6b-5a4f-4e3d-a2c1-b0a9f8e7d6c5',
    status: 'in_progress',
    progress: 42,
    attempt: 1,
    error_code: null,
    flash_started: true,
  };
}

async function main(): Promise<void> {
  const children: ChildProcess[] = [];
  let stopDatabase: () => Promise<void> = async () => undefined;
  const deadline = setTimeout(() => {
    process.stderr.write('[bench] gave up: over the time limit\n');
    void Promise.all([...children, ...clientProcesses].map(stopChild))
      .then(() => stopDatabase())
      .finally(() => process.exit(2));
  }, DEADLINE_MS);
  deadline.unref();
  const logger = createLogger('silent');
  const { tempDir, embedded, databaseUrl } = await startBenchDatabase('fleetflash-bench-sse-', 'bench_sse', logger, {
    onStarted: (started) => {
      stopDatabase = () => started.stop();
    },
  });
  const env = {
    ...benchServerEnv(databaseUrl, tempDir),
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
  };
  const sqlClient = new pg.Client({ connectionString: databaseUrl });
  try {
    const [server, serverUrl] = await spawnUntil(
      ['--import', 'tsx', path.join(PROJECT_ROOT, 'src', 'main.ts'), 'api'],
      env,
      /is running at (http:\/\/[^\s/]+)\//,
    );
    children.push(server);
    const token = await createToken(databaseUrl);
    const headers = { authorization: `Bearer ${token}` };
    const response = await fetch(`${serverUrl}/api/v1/organizations/`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Bench', slug: 'bench' }),
    });
    if (!response.ok) throw new Error(`creating the organization: ${response.status} ${await response.text()}`);
    const organization = (await response.json()) as { id: string };
    await sqlClient.connect();
    const sendFleetflash = async (seq: number) => {
      await sqlClient.query(
        `WITH e AS (INSERT INTO events (type, organization_id, data) VALUES ('operation', $1, $2::jsonb) RETURNING id)
         SELECT pg_notify('fleetflash_events', '') FROM e`,
        [organization.id, JSON.stringify(payload(seq))],
      );
      return now();
    };
    const sendBare = async (seq: number) => {
      const data = JSON.stringify({ ...payload(seq), at: new Date() });
      await sqlClient.query('SELECT pg_notify($1, $2)', ['bench_bare', data]);
      return now();
    };
    const streamsUrl = `${serverUrl}/api/v1/events/`;

    note('fleetflash, one stream');
    const one = await measure(server.pid!, streamsUrl, headers, 1, sendFleetflash);
    note(`fleetflash, ${CLIENTS} streams`);
    const many = await measure(server.pid!, streamsUrl, headers, CLIENTS, sendFleetflash);
    await stopChild(server);

    const [bare, port] = await spawnUntil(
      ['--import', 'tsx', path.join(PROJECT_ROOT, 'bench', 'lib', 'bare-sse-server.ts'), databaseUrl],
      {},
      /listening on (\d+)/,
    );
    children.push(bare);
    note(`bare Node http server, ${CLIENTS} streams`);
    const baseline = await measure(bare.pid!, `http://127.0.0.1:${port}/`, {}, CLIENTS, sendBare);
    await stopChild(bare);

    const perConnection = (round: Round) => (round.rssConnected - round.rssIdle) / round.clients;
    const lines = [
      `event streams: ${EVENTS} events ${EVENT_GAP_MS} ms apart, ${CLIENT_PROCESSES} client processes, ` +
        `${os.cpus().length} cores`,
      ...describe('fleetflash api, one stream', one),
      ...describe(`fleetflash api, ${CLIENTS} streams`, many),
      ...describe(`baseline (bare Node http + LISTEN), ${CLIENTS} streams`, baseline),
      `ratios (fleetflash ÷ baseline, ${CLIENTS} streams): ` +
        `latency p50 ${(percentile(many.latencies, 50) / percentile(baseline.latencies, 50)).toFixed(2)}, ` +
        `p99 ${(percentile(many.latencies, 99) / percentile(baseline.latencies, 99)).toFixed(2)}; ` +
        `memory per stream ${(perConnection(many) / perConnection(baseline)).toFixed(2)}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await sqlClient.end().catch(() => undefined);
    for (const child of children) await stopChild(child);
    await embedded.stop();
    rmSync(tempDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
