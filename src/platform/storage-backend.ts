import path from 'node:path';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { LocalStorage, type ManagedStorage } from './storage.js';

/**
 * The storage backend the settings choose: `<data_dir>/files` on this machine, or an S3-compatible
 * object store every machine of the installation shares (storage.backend). The AWS SDK is loaded
 * only for the latter.
 */
export async function createStorage(
  config: Pick<Config, 'dataDir' | 'storage'>,
  logger?: Pick<Logger, 'warn'>,
): Promise<ManagedStorage> {
  if (config.storage.backend === 's3') {
    const { S3Storage } = await import('./s3-storage.js');
    return new S3Storage(config.storage.s3, (error, message) => logger?.warn({ err: error }, message));
  }
  return new LocalStorage(path.join(config.dataDir, 'files'));
}
