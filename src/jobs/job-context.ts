import type { Kysely } from 'kysely';
import type { Config } from '../platform/config.js';
import type { Database } from '../database.js';
import type { Logger } from '../platform/logger.js';
import type { Storage } from '../platform/storage.js';

/** What every job handler receives: the same services the HTTP routes use. */
export interface JobContext {
  config: Config;
  db: Kysely<Database>;
  storage: Storage;
  logger: Logger;
}
