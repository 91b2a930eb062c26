import type { Db } from '../../database.js';
import type { Storage } from '../../platform/storage.js';
import { findBackup } from '../backups/backup.service.js';
import type { DeviceRow } from '../devices/devices.table.js';
import { findImage } from '../firmware/image.service.js';
import type { OperationErrorCode } from '../upgraders/error-codes.js';
import type { ImageTarget, Upgrader, UpgradeContext, UpgradeSuccess } from '../upgraders/upgrader.js';
import type { OperationRow } from './upgrades.table.js';

/**
 * What one operation puts on its device, by kind: an upgrade's image, or a restore's backup archive
 * (whose "build" is the release the device runs now: a restore must come back on it). And which of the
 * upgrader's functions does it.
 */
export type OperationTarget =
  | {
      ok: true;
      image: ImageTarget;
      /** The image the device runs after success (null for a restore: its firmware record stays). */
      installsImageId: string | null;
      run(upgrader: Upgrader, context: UpgradeContext): Promise<UpgradeSuccess>;
    }
  | { ok: false; status: 'failed' | 'aborted'; code: OperationErrorCode; message: string };

export async function resolveOperationTarget(
  db: Db,
  storage: Storage,
  operation: OperationRow,
  device: DeviceRow,
  upgrader: Upgrader,
): Promise<OperationTarget> {
  if (operation.kind === 'restore') {
    const backup = operation.backupId ? await findBackup(db, operation.backupId) : undefined;
    if (!backup)
      return { ok: false, status: 'failed', code: 'backup-deleted', message: 'The backup to restore was deleted.' };
    if (!upgrader.restore)
      return {
        ok: false,
        status: 'aborted',
        code: 'restore-unsupported',
        message: `Restore aborted: the ${upgrader.name} upgrader cannot restore configuration backups.`,
      };
    return {
      ok: true,
      installsImageId: null,
      image: {
        sha256: backup.sha256,
        size: backup.size,
        fileName: 'backup.tar.gz',
        boards: [device.boardName],
        build: { version: device.os, os: device.os || null },
        open: () => storage.open(backup.sha256),
      },
      run: (chosen, context) => chosen.restore!(context),
    };
  }
  const image = operation.imageId ? await findImage(db, operation.imageId) : undefined;
  if (!image)
    return { ok: false, status: 'failed', code: 'image-deleted', message: 'The image of this upgrade was deleted.' };
  return {
    ok: true,
    installsImageId: image.id,
    image: {
      sha256: image.sha256,
      size: image.size,
      fileName: image.fileName,
      boards: image.boards,
      build: { version: image.buildVersion, os: image.buildOs },
      open: () => storage.open(image.sha256),
    },
    run: (chosen, context) => chosen.upgrade(context),
  };
}
