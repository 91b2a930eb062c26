import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import type { Storage } from '../platform/storage.js';
import type { ImageRow } from '../modules/firmware/firmware.table.js';
import type { HardwareTable } from '../modules/firmware/hardware-table.js';
import { prepareStoredImage, recordImage, type StoredImageInput } from '../modules/firmware/image.service.js';
import { linkInstalledFirmwareForImage } from '../modules/upgrades/device-firmware.service.js';

/**
 * Adds an image whose bytes are already stored (a custom build's output) to a build, for the
 * system, and in the same transaction links the devices that already run it (see upload-image.ts).
 */
export async function attachImage(
  db: Kysely<Database>,
  storage: Storage,
  table: HardwareTable,
  buildId: string,
  input: StoredImageInput,
): Promise<ImageRow> {
  const prepared = await prepareStoredImage(db, storage, table, buildId, input);
  return db.transaction().execute(async (trx) => {
    const row = await recordImage(trx, prepared);
    await linkInstalledFirmwareForImage(trx, row, prepared.build);
    return row;
  });
}
