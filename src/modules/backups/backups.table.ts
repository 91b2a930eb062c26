import type { Generated, Insertable, Selectable } from 'kysely';
import type { Timestamp } from '../accounts/accounts.table.js';

/** A configuration backup taken before a flash (`sysupgrade -b`), its archive in the file store. */
export interface DeviceBackupsTable {
  id: Generated<string>;
  deviceId: string;
  /** The upgrade that took it; null once that operation's row is gone. */
  operationId: string | null;
  /** The archive in the content-addressed store. */
  sha256: string;
  size: number;
  /** The release the device ran when the backup was taken (its description). */
  release: string;
  created: Timestamp;
}

export type DeviceBackupRow = Selectable<DeviceBackupsTable>;
export type NewDeviceBackupRow = Insertable<DeviceBackupsTable>;
