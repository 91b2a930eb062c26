import type { Kysely } from 'kysely';
import { BLOB_REFERENCES, type Database } from '../database.js';
import { releaseBlobs } from '../platform/blob-references.js';
import type { Storage } from '../platform/storage.js';
import type { Actor } from '../modules/accounts/actor.js';
import { getDeletableCategory, imageIdsOfCategory, removeCategory } from '../modules/firmware/category.service.js';
import { assertImagesNotInUse } from '../modules/upgrades/operation.service.js';
import { recordCategoryAudit } from '../modules/firmware/firmware-audit.js';

/**
 * Deletes a category with its builds and images, unless a pending or running upgrade installs one
 * of them (409). Stored files go after the commit when no other row refers to them.
 */
export async function deleteCategory(db: Kysely<Database>, storage: Storage, actor: Actor, id: string): Promise<void> {
  const hashes = await db.transaction().execute(async (trx) => {
    const category = await getDeletableCategory(trx, actor, id);
    await assertImagesNotInUse(trx, await imageIdsOfCategory(trx, category.id));
    const removed = await removeCategory(trx, category.id);
    await recordCategoryAudit(trx, actor, 'category.deleted', category);
    return removed;
  });
  await releaseBlobs(db, storage, BLOB_REFERENCES, hashes);
}
