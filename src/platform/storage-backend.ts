import path from 'node:path';
import type { Config } from './config.js';
import { S3Storage } from './s3-storage.js';
import { LocalStorage, type ManagedStorage } from './storage.js';

/**
 * The storage backend the settings choose: `<data_dir>/files` on this machine, or an S3-compatible
 * object store every machine of the installation shares (storage.backend).
 */
export function createStorage(config: Pick<Config, 'dataDir' | 'storage'>): ManagedStorage {
  if (config.storage.backend === 's3') return new S3Storage(config.storage.s3);
  return new LocalStorage(path.join(config.dataDir, 'files'));
}
