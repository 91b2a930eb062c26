import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import { keepReceivedBlob } from '../platform/blob-references.js';
import type { Storage } from '../platform/storage.js';
import type { Actor } from '../modules/accounts/actor.js';
import type { ImageRow } from '../modules/firmware/firmware.table.js';
import type { HardwareTable } from '../modules/firmware/hardware-table.js';
import { type NewImageInput, prepareUploadedImage, recordImage } from '../modules/firmware/image.service.js';
import { linkInstalledFirmwareForImage } from '../modules/upgrades/device-firmware.service.js';
import { recordImageAudit } from '../modules/firmware/firmware-audit.js';

/**
 * Records a received file as an image of the build, and in the same transaction links the devices
 * that already run the build's OS on a fitting board to it (their firmware record says they run
 * this image). The file moves into storage last, still inside the transaction and under its lock
 * (platform/blob-references.ts): a failure at any step leaves no row, no link and no stored file.
 * The received file is discarded in any case (after a commit, that does nothing).
 */
export async function uploadImage(
  db: Kysely<Database>,
  storage: Storage,
  table: HardwareTable,
  actor: Actor,
  buildId: string,
  input: NewImageInput,
): Promise<ImageRow> {
  try {
    const prepared = await prepareUploadedImage(db, storage, table, actor, buildId, input);
    return await db.transaction().execute(async (trx) => {
      const row = await recordImage(trx, prepared);
      await recordImageAudit(trx, actor, 'image.uploaded', row, prepared.build, { forced: input.force ?? false });
      await linkInstalledFirmwareForImage(trx, row, prepared.build);
      await keepReceivedBlob(trx, storage, input.file);
      return row;
    });
  } finally {
    // Left over only when the store fails: the storage housekeeping removes it; the first error is reported.
    await storage.discard(input.file).catch(() => {});
  }
}
