import type { Kysely } from 'kysely';
import { buildHardwareTable, type HardwareTable } from './modules/firmware/hardware-table.js';
import type { Config } from './platform/config.js';
import { connectDatabase, type Database } from './database.js';
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from './platform/db/embedded-postgres.js';
import { migrate } from './platform/db/migrator.js';
import type { Logger } from './platform/logger.js';
import { readInstallationId } from './platform/installation.js';
import { MIGRATIONS_DIR } from './platform/paths.js';
import type { ManagedStorage } from './platform/storage.js';
import { createStorage } from './platform/storage-backend.js';
import { createSecretBox, type SecretBox } from './platform/crypto.js';
import { resolveSecretKey } from './platform/secret-key.js';
import { agentUpgrader } from './modules/agent/agent.upgrader.js';
import { loadUpgraderRegistry, type UpgraderRegistry, withAgentUpgrader } from './modules/upgraders/registry.js';

/**
 * Everything a fleetflash process needs, opened in order and closed in reverse: the database
 * (embedded unless DATABASE_URL is set), its migrations, the pool, file storage, the hardware table.
 */
export interface Runtime {
  config: Config;
  logger: Logger;
  /** Pool for background work and CLI commands (statement limit: database_worker_statement_timeout). */
  db: Kysely<Database>;
  /** Pool for HTTP requests (statement limit: database_statement_timeout); opens connections only when used. */
  apiDb: Kysely<Database>;
  databaseUrl: string;
  /** Direct connection for LISTEN (and the migration lock): `database_listen_url`, else `databaseUrl`. */
  listenDatabaseUrl: string;
  storage: ManagedStorage;
  hardwareTable: HardwareTable;
  secrets: SecretBox;
  upgraders: UpgraderRegistry;
  embedded: EmbeddedPostgresHandle | null;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Server processes: refuse to share an embedded PostgreSQL another live process owns. */
  exclusive?: boolean;
  /** The embedded PostgreSQL died and could not be restarted. */
  onDatabaseLost?: (error: Error) => void;
}

export async function openRuntime(config: Config, logger: Logger, options: RuntimeOptions = {}): Promise<Runtime> {
  const embedded = config.database.url
    ? null
    : await startEmbeddedPostgres({
        dataDir: config.dataDir,
        logger,
        exclusive: options.exclusive ?? false,
        ...(options.onDatabaseLost ? { onLost: options.onDatabaseLost } : {}),
      });
  const databaseUrl = config.database.url ?? embedded!.url;
  const listenDatabaseUrl = config.database.listenUrl ?? databaseUrl;
  try {
    // The migration lock is a session-level advisory lock held across transactions: not through a pooler.
    await migrate(listenDatabaseUrl, MIGRATIONS_DIR, logger);
    const { poolSize, connectTimeout, statementTimeout, workerStatementTimeout } = config.database;
    const connection = connectDatabase(databaseUrl, poolSize, logger, {
      connectTimeout,
      statementTimeout: workerStatementTimeout,
    });
    const apiConnection = connectDatabase(databaseUrl, poolSize, logger, { connectTimeout, statementTimeout });
    const storage = await createStorage(config, logger);
    await storage.init({ installationId: await readInstallationId(connection.db) });
    await storage.startHousekeeping((removed) =>
      logger.info({ removed }, 'removed partial uploads whose writer stopped'),
    );
    const secrets = createSecretBox(await resolveSecretKey(config.security.secretKey, config.dataDir, logger));
    // Devices managed by their pull agent get the agent's upgrader, which works on the worker pool.
    const upgraders = withAgentUpgrader(
      await loadUpgraderRegistry(config.upgrades.customUpgraders, config.upgrades.openwrt),
      agentUpgrader({ db: connection.db, secrets, config }),
    );
    return {
      config,
      logger,
      db: connection.db,
      apiDb: apiConnection.db,
      databaseUrl,
      listenDatabaseUrl,
      storage,
      hardwareTable: buildHardwareTable(config.firmware.customOpenwrtImages),
      secrets,
      upgraders,
      embedded,
      async close() {
        storage.close();
        await apiConnection.close();
        await connection.close();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}
