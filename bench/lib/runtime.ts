import { parseConfig } from '../../src/platform/config.js';
import type { Logger } from '../../src/platform/logger.js';
import { openRuntime, type Runtime } from '../../src/runtime.js';

/**
 * A fleetflash runtime on the benchmark's database, opened as `fleetflash serve` opens it, so that
 * the benchmarks measure the production wiring (then `createHttpApp` / `startBackgroundWork`).
 * `env` sets further settings as the environment would.
 */
export function openBenchRuntime(
  databaseUrl: string,
  dataDir: string,
  logger: Logger,
  env: Record<string, string> = {},
): Promise<Runtime> {
  const config = parseConfig({
    DATABASE_URL: databaseUrl,
    FLEETFLASH_DATA_DIR: dataDir,
    FLEETFLASH_SECRET_KEY: 'bench-secret-key-of-at-least-32-characters',
    LOG_LEVEL: 'silent',
    ...env,
  });
  return openRuntime(config, logger);
}
