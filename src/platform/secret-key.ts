import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from './logger.js';

/**
 * The server's secret key: FLEETFLASH_SECRET_KEY when set, else a key generated on the first
 * start into `<data_dir>/secret.key` (mode 0600). Every process that shares a database must use
 * the same key, or it cannot read the credentials the others stored.
 */
export async function resolveSecretKey(configured: string | null, dataDir: string, logger: Logger): Promise<string> {
  if (configured) return configured;
  const file = path.join(dataDir, 'secret.key');
  if (existsSync(file)) return (await fs.readFile(file, 'utf8')).trim();
  await fs.mkdir(dataDir, { recursive: true });
  const key = randomBytes(32).toString('hex');
  try {
    await fs.writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return (await fs.readFile(file, 'utf8')).trim();
    throw error;
  }
  logger.warn(
    { file },
    'generated the server secret key; set FLEETFLASH_SECRET_KEY to share one key between several processes or machines',
  );
  return key;
}
