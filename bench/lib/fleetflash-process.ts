import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Fleet, type FleetOptions, SIMULATED_BOARDS } from '../../simulator/fleet.js';
import { makeSampleImage } from '../../simulator/sample-image.js';
import { startEmbeddedPostgres } from '../../src/platform/db/embedded-postgres.js';
import type { Logger } from '../../src/platform/logger.js';
import { PROJECT_ROOT } from '../../src/platform/paths.js';

/** Shared by the benchmarks that drive a real `fleetflash` process or an embedded PostgreSQL. */

const TICKS = 100; // USER_HZ on Linux

export interface Release {
  version: string;
  revision: string;
}

/** Resident memory of a process now, in MiB. */
export function residentMemoryMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

export interface BenchDatabase {
  /** A fresh temporary directory (mode 755), the PostgreSQL data directory and FLEETFLASH_DATA_DIR. */
  tempDir: string;
  embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
  /** The URL of the benchmark's own database. */
  databaseUrl: string;
  /** The administrative connection, still open, when `keepAdmin` was asked for (the caller ends it). */
  admin: pg.Client | null;
  /** Stops PostgreSQL and removes the temporary directory. */
  stop(): Promise<void>;
}

/**
 * A temporary directory, an embedded PostgreSQL in it (not durable) and a fresh database `name`.
 * `onStarted` runs as soon as PostgreSQL is up (before the database is created), e.g. to register a stop.
 */
export async function startBenchDatabase(
  prefix: string,
  name: string,
  logger: Logger,
  options: { keepAdmin?: boolean; onStarted?: (embedded: BenchDatabase['embedded']) => void } = {},
): Promise<BenchDatabase> {
  const tempDir = mkdtempSync(path.join(os.tmpdir(), prefix));
  chmodSync(tempDir, 0o755);
  const embedded = await startEmbeddedPostgres({ dataDir: tempDir, logger, durable: false, database: 'postgres' });
  options.onStarted?.(embedded);
  const admin = new pg.Client({ connectionString: embedded.adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  if (!options.keepAdmin) await admin.end();
  const url = new URL(embedded.adminUrl);
  url.pathname = `/${name}`;
  return {
    tempDir,
    embedded,
    databaseUrl: url.toString(),
    admin: options.keepAdmin ? admin : null,
    async stop() {
      await embedded.stop();
      rmSync(tempDir, { recursive: true, force: true });
    },
  };
}

/** The settings every benchmark's server starts with: its database, data directory, secret and admin. */
export function benchServerEnv(databaseUrl: string, tempDir: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    FLEETFLASH_DATA_DIR: tempDir,
    FLEETFLASH_SECRET_KEY: 'bench-secret-key-of-at-least-32-characters',
    FLEETFLASH_ADMIN_USERNAME: 'admin',
    FLEETFLASH_ADMIN_PASSWORD: 'bench-password',
  };
}

export interface Server {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** `nodeArgs`: options of node itself (e.g. `--cpu-prof`, which NODE_OPTIONS does not accept). */
export function startServer(
  role: 'serve' | 'api',
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const main = path.join(PROJECT_ROOT, 'src', 'main.ts');
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', main, role], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env },
    });
    let output = '';
    const onData = (data: Buffer) => {
      output += data.toString();
      const match = /is running at (http:\/\/[^\s/]+)\//.exec(output);
      if (match) {
        child.stdout!.off('data', onData);
        resolve({
          url: match[1]!,
          child,
          stop: () =>
            new Promise((done) => {
              child.once('close', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (data: Buffer) => {
      output += data.toString();
    });
    child.once('close', (code) => reject(new Error(`${role} exited with ${code}:\n${output}`)));
  });
}

/** CPU seconds (user + system) of a process so far. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/** Peak resident memory of a process, in MiB. */
export function peakMemoryMiB(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

/** `errorChars`: how much of a failed response's body the error quotes (all of it when unset). */
export function api(url: string, token: string, errorChars?: number) {
  return async (method: string, route: string, body?: unknown): Promise<any> => {
    const response = await fetch(`${url}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body instanceof FormData || body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: body instanceof FormData ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text.slice(0, errorChars)}`);
    return text ? JSON.parse(text) : null;
  };
}

export async function createToken(databaseUrl: string): Promise<string> {
  // The same path as `fleetflash token create`, through the CLI.
  const result = await new Promise<string>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(PROJECT_ROOT, 'src', 'main.ts'),
        'token',
        'create',
        '--username',
        'admin',
        '--name',
        'bench',
      ],
      {
        cwd: PROJECT_ROOT,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
      },
    );
    let output = '';
    child.stdout.on('data', (data: Buffer) => {
      output += data.toString();
    });
    child.stderr.on('data', (data: Buffer) => {
      output += data.toString();
    });
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(output))));
  });
  return /(fft_[\w-]+)/.exec(result)![1]!;
}

export async function uploadImage(
  call: ReturnType<typeof api>,
  buildId: string,
  board: (typeof SIMULATED_BOARDS)[number],
  release: Release,
  size: number,
) {
  const image = makeSampleImage({
    payloadSize: size,
    supportedDevices: [board.boardName],
    target: board.target,
    board: board.boardName.replace(',', '_'),
    ...release,
  });
  const form = new FormData();
  form.append('file', new Blob([image]), `openwrt-${release.version}-${board.imageType}`);
  return call('POST', `/api/v1/firmware/build/${buildId}/image/`, form);
}

export async function waitForBatch(
  call: ReturnType<typeof api>,
  id: string,
  onTick?: (batch: any) => void,
): Promise<any> {
  for (;;) {
    const batch = await call('GET', `/api/v1/firmware/batch-upgrade-operation/${id}/`);
    onTick?.(batch);
    if (['success', 'failed', 'cancelled'].includes(batch.status)) return batch;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export interface BenchFleetOptions {
  routers: number;
  rebootSeconds: number;
  newImageBytes: number;
  releases: { old: Release; new: Release };
  /** `agent`: routers in pull mode, enrolling with the server (FleetOptions.mode). */
  mode?: FleetOptions['mode'];
  onAgentPoll?: FleetOptions['onAgentPoll'];
}

/**
 * Through the API: an organization `bench` with a registration secret, the simulated routers' default
 * credential, a category and one build per release (every simulated board's image: `newImageBytes` for
 * `releases.new`, 4 KiB for `releases.old`); and the fleet (not started yet), running `releases.old`,
 * registering with the server. The builds' ids are keyed by version.
 */
export async function setUpBenchFleet(
  call: ReturnType<typeof api>,
  serverUrl: string,
  options: BenchFleetOptions,
): Promise<{ fleet: Fleet; builds: Record<string, string> }> {
  const { old, new: next } = options.releases;
  const organization = await call('POST', '/api/v1/organizations/', { name: 'Bench', slug: 'bench' });
  const { secret } = await call('POST', `/api/v1/organizations/${organization.id}/registration-secret/`);
  await call('POST', '/api/v1/credentials/', {
    organization: organization.id,
    name: 'sim',
    username: 'root',
    password: 'simulated',
    is_default: true,
  });
  const category = await call('POST', '/api/v1/firmware/category/', { organization: organization.id, name: 'bench' });
  const builds: Record<string, string> = {};
  for (const release of [old, next]) {
    const build = await call('POST', '/api/v1/firmware/build/', {
      category: category.id,
      version: release.version,
      os: `OpenWrt ${release.version} ${release.revision}`,
    });
    builds[release.version] = build.id;
    for (const board of SIMULATED_BOARDS)
      await uploadImage(call, build.id, board, release, release === next ? options.newImageBytes : 4096);
  }
  const fleet = new Fleet({
    count: options.routers,
    rebootMs: options.rebootSeconds * 1000,
    release: { distribution: 'OpenWrt', ...old },
    password: 'simulated',
    register: { url: serverUrl, organization: 'bench', secret },
    ...(options.mode ? { mode: options.mode } : {}),
    ...(options.onAgentPoll ? { onAgentPoll: options.onAgentPoll, spreadAgentPolls: true } : {}),
  });
  return { fleet, builds };
}

/**
 * What a benchmark of a simulated fleet sets up once its server runs: an API client with a fresh
 * token, the server's upgrade capacity, the fleet (started, registered) with its builds, and the new
 * image written to `<tempDir>/image.bin` for the raw transfers that measure the limit.
 */
export async function startBenchFleet(
  server: Server,
  databaseUrl: string,
  tempDir: string,
  options: BenchFleetOptions,
): Promise<{
  call: ReturnType<typeof api>;
  /** The API token `call` sends. */
  token: string;
  capacity: unknown;
  fleet: Fleet;
  builds: Record<string, string>;
  imageFile: string;
}> {
  const token = await createToken(databaseUrl);
  const call = api(server.url, token);
  const capacity = await call('GET', '/api/v1/firmware/upgrade-capacity/');
  const { fleet, builds } = await setUpBenchFleet(call, server.url, options);
  try {
    note(`starting ${options.routers} simulated routers`);
    await fleet.start();
    const imageFile = path.join(tempDir, 'image.bin');
    writeFileSync(imageFile, makeSampleImage({ payloadSize: options.newImageBytes }));
    return { call, token, capacity, fleet, builds, imageFile };
  } catch (error) {
    // The caller never gets the fleet to stop: stop what started of it here.
    await fleet.stop().catch(() => undefined);
    throw error;
  }
}

/**
 * Seeds `count` devices set-wise in SQL into an organization, half of them on each of the first two
 * simulated boards, each running `release` with `oldImages[i]` (one per board, in SIMULATED_BOARDS order)
 * installed.
 */
export function seedPlanDevices(
  sqlClient: pg.Client,
  organizationId: string,
  count: number,
  oldImages: { id: string }[],
  release: Release,
): Promise<pg.QueryResult> {
  return sqlClient.query(
    `
      WITH made AS (
        INSERT INTO devices
          (organization_id, name, mac_address, model, board_name, os, management_ip, ssh_port, location)
        SELECT $1, 'plan-' || lpad(n::text, 6, '0'),
               '02:' || lpad(to_hex((n >> 24) & 255), 2, '0') || ':' || lpad(to_hex((n >> 16) & 255), 2, '0') || ':' ||
               lpad(to_hex((n >> 8) & 255), 2, '0') || ':' || lpad(to_hex(n & 255), 2, '0') || ':00',
               CASE WHEN n % 2 = 0 THEN $2 ELSE $3 END, CASE WHEN n % 2 = 0 THEN $4 ELSE $5 END,
               'OpenWrt ${release.version} ${release.revision}', '10.0.0.1', 22, 'site-' || (n % 500)
        FROM generate_series(1, $6) AS n
        RETURNING id, board_name
      )
      INSERT INTO device_firmwares (device_id, image_id, installed)
      SELECT id, CASE WHEN board_name = $4 THEN $7::uuid ELSE $8::uuid END, true FROM made`,
    [
      organizationId,
      SIMULATED_BOARDS[0]!.model,
      SIMULATED_BOARDS[1]!.model,
      SIMULATED_BOARDS[0]!.boardName,
      SIMULATED_BOARDS[1]!.boardName,
      count,
      oldImages[0]!.id,
      oldImages[1]!.id,
    ],
  );
}

/** Runs a benchmark's main; on a failure, its stack on stderr and exit code 1. */
export function runBench(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}

/** Progress, on stderr: the figures go to stdout. */
export function note(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** The releases the fleet benchmarks upgrade from and to (the fixture upstream's 23.05 pair). */
export const BENCH_RELEASES = {
  old: { version: '23.05.2', revision: 'r23630-842932a63d' },
  new: { version: '23.05.3', revision: 'r23809-234f1a2efa' },
} as const;
