import { Type, type Static } from '@sinclair/typebox';
import { DateTime, Nullable, PaginationQuery, Uuid } from '../../http/schemas.js';
import type { DeviceBackupRow } from './backups.table.js';

export const BackupParams = Type.Object({ id: Uuid, backupId: Uuid });

export const ListBackupsQuery = Type.Object({ ...PaginationQuery });

export const DeviceBackupDto = Type.Object(
  {
    id: Uuid,
    device: Uuid,
    operation: Nullable(Uuid, { description: 'The upgrade that took it; null once that operation is deleted.' }),
    sha256: Type.String({ description: 'SHA-256 of the archive (a gzip tar written by sysupgrade -b).' }),
    size: Type.Integer({ description: 'Bytes.' }),
    release: Type.String({ description: 'The release the device ran when the backup was taken.' }),
    created: DateTime,
    download_url: Type.String({ description: 'Where to download the archive (GET, the same credentials).' }),
  },
  { title: 'DeviceBackup' },
);

/** The download path of a backup (relative to the server: the UI and API clients add their origin). */
export function backupDownloadPath(backup: DeviceBackupRow): string {
  return `/api/v1/devices/${backup.deviceId}/backups/${backup.id}/download`;
}

export function toDeviceBackupDto(backup: DeviceBackupRow, origin: string): Static<typeof DeviceBackupDto> {
  return {
    id: backup.id,
    device: backup.deviceId,
    operation: backup.operationId,
    sha256: backup.sha256,
    size: backup.size,
    release: backup.release,
    created: backup.created.toISOString(),
    download_url: `${origin}${backupDownloadPath(backup)}`,
  };
}

/** The file name a download gets: the device's name, the backup's date, and the extension sysupgrade -r expects. */
export function backupFileName(deviceName: string, backup: DeviceBackupRow): string {
  const safe = deviceName.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 64) || 'device';
  const stamp = backup.created.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  return `backup-${safe}-${stamp}.tar.gz`;
}
