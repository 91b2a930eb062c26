import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import { withRuntime } from './with-runtime.js';

/** `fleetflash migrate`: opening the runtime applies the migrations; nothing else to do. */
export function migrateCommand(config: Config, logger: Logger): Promise<void> {
  return withRuntime(config, logger, async () => void process.stdout.write('Database is up to date.\n'));
}
