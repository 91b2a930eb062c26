import { ConfigError } from '../platform/config.js';
import { mapDatabaseError } from '../platform/db/pg-errors.js';
import { AppError } from '../platform/errors.js';
import { USAGE, UsageError } from './usage.js';

/** Says on stderr why a command failed, in the words that fit the failure, and exits with code 1. */
export function exitWithError(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\nSee docs/settings.md for every setting.\n`);
  } else if (error instanceof UsageError) {
    process.stderr.write(`fleetflash: ${error.message}\n\n${USAGE}\n`);
  } else if (error instanceof AppError || mapDatabaseError(error)) {
    process.stderr.write(`fleetflash: ${(error instanceof AppError ? error : mapDatabaseError(error)!).message}\n`);
  } else if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`fleetflash: ${error.message}\n\n${USAGE}\n`);
  } else {
    process.stderr.write(`fleetflash: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
}
