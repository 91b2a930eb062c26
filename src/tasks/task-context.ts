import type { Kysely } from 'kysely';
import type { HardwareTable } from '../modules/firmware/hardware-table.js';
import type { AsuBuildRow } from '../modules/imagebuilder/imagebuilder.table.js';
import type { Config } from '../platform/config.js';
import type { SecretBox } from '../platform/crypto.js';
import type { Database } from '../database.js';
import type { Logger } from '../platform/logger.js';
import type { Storage } from '../platform/storage.js';

/**
 * What the scheduler hands every periodic task: the union of what the tasks declare they need (each
 * `*.task.ts` types its own context, so a module imports nothing from here).
 */
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
