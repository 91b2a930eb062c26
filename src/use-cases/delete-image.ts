import type { Kysely } from 'kysely';
import { BLOB_REFERENCES, type Database } from '../database.js';
import { releaseBlobs } from '../platform/blob-references.js';
import type { Storage } from '../platform/storage.js';
import type { Actor } from '../modules/accounts/actor.js';
import { getDeletableImage, removeImage } from '../modules/firmware/image.service.js';
import { assertImagesNotInUse } from '../modules/upgrades/operation.service.js';
import { recordImageAudit } from '../modules/firmware/firmware-audit.js';

/**
 * Deletes an image, unless a pending or running upgrade installs it (409). Its stored file goes
 * after the commit when no other row refers to it.
 */
export async function deleteImage(
  db: Kysely<Database>,
  storage: Storage,
  actor: Actor,
  buildId: string,
  imageId: string,
): Promise<void> {
  const hash = await db.transaction().execute(async (trx) => {
    const { image, build } = await getDeletableImage(trx, actor, buildId, imageId);
    await assertImagesNotInUse(trx, [image.id]);
    const hash = await removeImage(trx, image.id);
    await recordImageAudit(trx, actor, 'image.deleted', image, build);
    return hash;
  });
  if (hash !== undefined) await releaseBlobs(db, storage, BLOB_REFERENCES, [hash]);
}
