import type { CatalogCache } from '../platform/catalog-cache.js';
import type { Kysely } from 'kysely';
import type { HardwareTable } from '../modules/firmware/hardware-table.js';
import type { UpgraderRegistry } from '../modules/upgraders/registry.js';
import type { SecretBox } from '../platform/crypto.js';
import type { Config } from '../platform/config.js';
import type { Database } from '../database.js';
import type { Storage } from '../platform/storage.js';
import type { EventPump } from '../platform/events.js';

/** What route plugins receive: passed explicitly, never hung on the Fastify instance. */
export interface AppDeps {
  config: Config;
  db: Kysely<Database>;
  storage: Storage;
  hardwareTable: HardwareTable;
  secrets: SecretBox;
  upgraders: UpgraderRegistry;
  /** The process's live event feed (for Server-Sent Events). */
  events: EventPump;
  /** Build lists remembered by this process (catalog-cache.ts); absent: always asked of the database. */
  catalogCache?: CatalogCache;
}
