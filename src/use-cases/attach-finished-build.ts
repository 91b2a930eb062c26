import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import { mapDatabaseError } from '../platform/db/pg-errors.js';
import { AppError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import type { Storage } from '../platform/storage.js';
import type { HardwareTable } from '../modules/firmware/hardware-table.js';
import {
  findImageOfBuildByType,
  prepareStoredImage,
  recordImage,
  type StoredImageInput,
} from '../modules/firmware/image.service.js';
import {
  customImagesToAttach,
  markCustomImageAttached,
  markCustomImageFailed,
} from '../modules/imagebuilder/custom-image.service.js';
import type { AsuBuildRow, CustomImageRow } from '../modules/imagebuilder/imagebuilder.table.js';
import { linkInstalledFirmwareForImage } from '../modules/upgrades/device-firmware.service.js';
import { IMAGE_BUILD_WORKER, recordAudit } from '../modules/audit/record-audit.js';

export interface AttachDeps {
  db: Kysely<Database>;
  storage: Storage;
  hardwareTable: HardwareTable;
  logger: Logger;
}

/**
 * Attaches (or marks failed) every custom image waiting for this finished image build: its file
 * becomes an image of the custom image's firmware build, for the system, and in the same
 * transaction the devices that already run it are linked to it (see upload-image.ts) and the custom
 * image is marked attached: one transaction per custom image. Safe to run twice (a custom image
 * attached already is no longer waiting). The build worker runs it when a build finishes, the build
 * housekeeping when it gives a build up, a request for custom images for builds done already.
 */
export async function attachFinishedBuild(deps: AttachDeps, build: AsuBuildRow): Promise<void> {
  for (const waiting of await customImagesToAttach(deps.db, build)) {
    if (waiting.failure !== undefined) await markCustomImageFailed(deps.db, waiting.row.id, waiting.failure);
    else await attachOne(deps, waiting.row, waiting.image);
  }
}

async function attachOne(deps: AttachDeps, row: CustomImageRow, input: StoredImageInput): Promise<void> {
  const { db } = deps;
  try {
    const prepared = await prepareStoredImage(db, deps.storage, deps.hardwareTable, row.buildId, input);
    await db.transaction().execute(async (trx) => {
      const image = await recordImage(trx, prepared);
      await linkInstalledFirmwareForImage(trx, image, prepared.build);
      await markCustomImageAttached(trx, row.id, image.id);
      await recordAudit(trx, IMAGE_BUILD_WORKER, {
        action: 'custom_image.attached',
        organizationId: prepared.build.organizationId,
        target: { type: 'custom_image', id: row.id, label: `${row.target} ${row.profile}` },
        details: { build: row.buildId, image: image.id, type: image.type, file_name: image.fileName },
      });
    });
  } catch (raw) {
    // Constraint violations arrive as PostgreSQL errors: map them as the HTTP layer would.
    const error = raw instanceof AppError ? raw : (mapDatabaseError(raw) ?? raw);
    if (error instanceof AppError && error.code === 'DuplicateImageType') {
      // Attached already (by a concurrent attach of the same build): the same bytes under this type.
      const existing = await findImageOfBuildByType(db, row.buildId, input.type);
      if (existing?.sha256 === input.sha256) await markCustomImageAttached(db, row.id, existing.id);
      else
        await markCustomImageFailed(
          db,
          row.id,
          `The build already has another image of type ${input.type}: delete it and request the custom images again.`,
        );
      return;
    }
    if (error instanceof AppError) return markCustomImageFailed(db, row.id, error.message);
    deps.logger.error({ err: error, customImage: row.id }, 'attaching a custom image failed');
    await markCustomImageFailed(db, row.id, 'Attaching the image failed on the server; see the server log.');
  }
}
