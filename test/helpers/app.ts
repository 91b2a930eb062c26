import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { type AppResources, createHttpApp } from '../../src/composition.js';
import { buildHardwareTable, type HardwareTable } from '../../src/modules/firmware/hardware-table.js';
import { parseConfig, type Config } from '../../src/platform/config.js';
import { connectDatabase, type Database } from '../../src/database.js';
import { pino, type DestinationStream } from 'pino';
import { createLogger, loggerOptions } from '../../src/platform/logger.js';
import type { ManagedStorage } from '../../src/platform/storage.js';
import { createStorage } from '../../src/platform/storage-backend.js';
import { readInstallationId } from '../../src/platform/installation.js';
import { createSecretBox, type SecretBox } from '../../src/platform/crypto.js';
import { agentUpgrader } from '../../src/modules/agent/agent.upgrader.js';
import {
  loadUpgraderRegistry,
  type UpgraderRegistry,
  withAgentUpgrader,
} from '../../src/modules/upgraders/registry.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface TestApp {
  app: FastifyInstance;
  /** Method and URL of every route the app registered. */
  routes: { method: string; url: string; hidden: boolean }[];
  db: Kysely<Database>;
  database: TestDatabase;
  /** The backend the settings chose: `<data_dir>/files`, or the object store of FLEETFLASH_STORAGE_BACKEND=s3. */
  storage: ManagedStorage;
  /** The local backend's folder (empty with the S3 backend). */
  storageDir: string;
  config: Config;
  hardwareTable: HardwareTable;
  secrets: SecretBox;
  upgraders: UpgraderRegistry;
  /** What the app was built from: start workers on the same with `startBackgroundWork(t.resources, …)`. */
  resources: AppResources;
  close(): Promise<void>;
}

/**
 * The real application on a database of its own and a private storage folder. `env` sets
 * fleetflash settings exactly as the environment would; `logStream` receives the app's log.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  options: {
    sameDatabaseAs?: TestApp;
    logStream?: DestinationStream;
    listenerDatabaseUrl?: string;
    agentScriptsDir?: string;
  } = {},
): Promise<TestApp> {
  // A second app on another app's database stands for a second process: its own pool, same data.
  const database = options.sameDatabaseAs
    ? connectToSameDatabase(options.sameDatabaseAs.database)
    : await createTestDatabase();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-data-'));
  // Simulated routers listen on 127.0.0.1: tests allow loopback device addresses unless they say otherwise.
  const config = parseConfig({
    FLEETFLASH_DATA_DIR: dataDir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    FLEETFLASH_DEVICE_ALLOW_LOOPBACK: 'true',
    ...env,
  });
  const storageDir = path.join(dataDir, 'files');
  const storage = await createStorage(config);
  try {
    await storage.init({ installationId: await readInstallationId(database.db) });
  } catch (error) {
    // A test of a refused start: let go of what was opened.
    storage.close();
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const hardwareTable = buildHardwareTable(config.firmware.customOpenwrtImages);
  const routes: TestApp['routes'] = [];
  const secrets = createSecretBox('test-secret-key-of-at-least-32-characters');
  const upgraders = withAgentUpgrader(
    await loadUpgraderRegistry(config.upgrades.customUpgraders, config.upgrades.openwrt),
    agentUpgrader({ db: database.db, secrets, config }),
  );
  // As in production, requests use a pool of their own bounded by the database timeout settings.
  const { poolSize, connectTimeout, statementTimeout } = config.database;
  const apiConnection = connectDatabase(database.url, poolSize, createLogger('silent'), {
    connectTimeout,
    statementTimeout,
  });
  const resources: AppResources = {
    config,
    // A test that reads the log passes a stream: every line at info and above goes there.
    logger: options.logStream ? pino(loggerOptions('info'), options.logStream) : createLogger(config.log.level),
    db: database.db,
    apiDb: apiConnection.db,
    databaseUrl: database.url,
    storage,
    hardwareTable,
    secrets,
    upgraders,
  };
  const app = await createHttpApp(resources, {
    version: 'test',
    onRoute: (route) => {
      const hidden = Boolean((route.schema as { hide?: boolean } | undefined)?.hide);
      for (const method of [route.method].flat()) routes.push({ method, url: route.url, hidden });
    },
    // The live events' LISTEN connection may go another way (e.g. through a slow proxy).
    ...(options.listenerDatabaseUrl ? { listenerDatabaseUrl: options.listenerDatabaseUrl } : {}),
    ...(options.agentScriptsDir ? { agentScriptsDir: options.agentScriptsDir } : {}),
  });
  await app.ready();
  return {
    app,
    routes,
    db: database.db,
    database,
    storage,
    storageDir,
    config,
    hardwareTable,
    secrets,
    upgraders,
    resources,
    async close() {
      await app.close();
      storage.close();
      await apiConnection.close();
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Another pool on an existing test database; closing it leaves the database to its owner. */
function connectToSameDatabase(owner: TestDatabase): TestDatabase {
  const connection = connectDatabase(owner.url, 5, createLogger('silent'));
  return { name: owner.name, url: owner.url, db: connection.db, close: () => connection.close() };
}

/** One counter or gauge of the app's `/metrics` (NaN when it is not there). */
export async function readMetric(app: TestApp, name: string): Promise<number> {
  const text = (await app.app.inject({ method: 'GET', url: '/metrics' })).body;
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return Number(line?.split(' ')[1] ?? Number.NaN);
}
