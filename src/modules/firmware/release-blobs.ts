import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { Storage } from '../../platform/storage.js';
import { countBlobReferences, lockBlob } from './blob.repository.js';

/**
 * Removes stored files that no row references any more. Each file is checked and removed under
 * its lock, so an upload of the same content in the meantime keeps it.
 */
export async function releaseBlobs(db: Kysely<Database>, storage: Storage, hashes: readonly string[]): Promise<void> {
  for (const sha256 of new Set(hashes)) {
    await db.transaction().execute(async (trx) => {
      await lockBlob(trx, sha256);
      if ((await countBlobReferences(trx, sha256)) === 0) await storage.remove(sha256);
    });
  }
}
