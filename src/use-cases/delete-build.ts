import type { Kysely } from 'kysely';
import { BLOB_REFERENCES, type Database } from '../database.js';
import { releaseBlobs } from '../platform/blob-references.js';
import type { Storage } from '../platform/storage.js';
import type { Actor } from '../modules/accounts/actor.js';
import { getDeletableBuild, removeBuild } from '../modules/firmware/build.service.js';
import { imageIdsOfBuild } from '../modules/firmware/image.service.js';
import { assertImagesNotInUse } from '../modules/upgrades/operation.service.js';
import { recordBuildAudit } from '../modules/firmware/firmware-audit.js';

/**
 * Deletes a build with its images, unless a pending or running upgrade installs one of them (409).
 * Stored files go after the commit when no other row refers to them.
 */
export async function deleteBuild(db: Kysely<Database>, storage: Storage, actor: Actor, id: string): Promise<void> {
  const hashes = await db.transaction().execute(async (trx) => {
    const build = await getDeletableBuild(trx, actor, id);
    await assertImagesNotInUse(trx, await imageIdsOfBuild(trx, build.id));
    const removed = await removeBuild(trx, build.id);
    await recordBuildAudit(trx, actor, 'build.deleted', build);
    return removed;
  });
  await releaseBlobs(db, storage, BLOB_REFERENCES, hashes);
}
