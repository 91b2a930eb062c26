import type { Kysely } from 'kysely';
import type { HardwareTable } from '../modules/firmware/hardware-table.js';
import type { AsuBuildRow } from '../modules/imagebuilder/imagebuilder.table.js';
import type { Config } from '../platform/config.js';
import type { SecretBox } from '../platform/crypto.js';
import type { Database } from '../database.js';
import type { Logger } from '../platform/logger.js';
import type { Storage } from '../platform/storage.js';

/** What every periodic task receives: the same services the HTTP routes and workers use. */
export interface TaskContext {
  config: Config;
  db: Kysely<Database>;
  storage: Storage;
  secrets: SecretBox;
  hardwareTable: HardwareTable;
  logger: Logger;
  /** What follows once an image build has finished: as the build worker's `onBuildFinished`. */
  onBuildFinished(build: AsuBuildRow): Promise<void>;
}
