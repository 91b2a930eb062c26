import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { BLOB_REFERENCES, type Database, type Db } from '../../database.js';
import { keepReceivedBlob, releaseBlobs } from '../../platform/blob-references.js';
import { notFound } from '../../platform/errors.js';
import type { Storage } from '../../platform/storage.js';
import type { Actor } from '../accounts/actor.js';
import { recordAudit } from '../audit/record-audit.js';
import { getDevice, getWritableDevice } from '../devices/device.service.js';
import { type BackupArchiveSummary, checkBackupArchive, MAX_BACKUP_BYTES } from './backup-archive.js';
import * as backupRepository from './backup.repository.js';
import type { DeviceBackupRow } from './backups.table.js';

/**
 * Configuration backups of devices: recorded by the upgrade worker before a flash, listed and
 * downloaded by the device's organization, purged by the retention settings. The archives live in
 * the content-addressed file store, counted like firmware images (src/database.ts BLOB_REFERENCES).
 */

/**
 * Checks and keeps a backup the upgrader fetched, for the device and the operation. Throws
 * `InvalidBackupArchive` when it is not a readable gzip tar. When the operation has a backup
 * already (an earlier attempt took it), that one stays and is returned.
 */
export async function recordBackup(
  db: Kysely<Database>,
  storage: Storage,
  input: { deviceId: string; operationId: string; release: string; archive: Buffer },
): Promise<{ backup: DeviceBackupRow; summary: BackupArchiveSummary }> {
  const summary = await checkBackupArchive(input.archive);
  const file = await storage.receive(Readable.from([input.archive]), MAX_BACKUP_BYTES);
  try {
    const backup = await db.transaction().execute(async (trx) => {
      const inserted = await backupRepository.insertBackup(trx, {
        deviceId: input.deviceId,
        operationId: input.operationId,
        sha256: file.sha256,
        size: file.size,
        release: input.release,
      });
      if (!inserted) return backupRepository.findBackupOfOperation(trx, input.operationId);
      await keepReceivedBlob(trx, storage, file);
      return inserted;
    });
    if (!backup) throw new Error('the backup row of the operation vanished while it was recorded');
    return { backup, summary };
  } finally {
    await storage.discard(file).catch(() => {});
  }
}

/** A backup by id, for the worker (restores). */
export async function findBackup(db: Db, id: string): Promise<DeviceBackupRow | undefined> {
  return backupRepository.findBackupById(db, id);
}

/** The backup an earlier attempt of the operation took, if any (a retry does not take another). */
export async function findBackupOfOperation(db: Db, operationId: string): Promise<DeviceBackupRow | undefined> {
  return backupRepository.findBackupOfOperation(db, operationId);
}

/** A page of the device's backups, newest first (404 for a device the actor cannot see). */
export async function listBackups(
  db: Db,
  actor: Actor,
  deviceId: string,
  page: { limit: number; offset: number },
): Promise<{ count: number; backups: DeviceBackupRow[] }> {
  const device = await getDevice(db, actor, deviceId);
  const [count, backups] = await Promise.all([
    backupRepository.countDeviceBackups(db, device.id),
    backupRepository.listDeviceBackups(db, device.id, page),
  ]);
  return { count, backups };
}

/** One backup of a device the actor can see, with the device's name (for the download's file name). */
export async function getBackup(
  db: Db,
  actor: Actor,
  deviceId: string,
  backupId: string,
): Promise<{ backup: DeviceBackupRow; deviceName: string }> {
  const device = await getDevice(db, actor, deviceId);
  const backup = await backupRepository.findDeviceBackup(db, device.id, backupId);
  if (!backup) throw notFound('backup', backupId);
  return { backup, deviceName: device.name };
}

/**
 * A backup the actor may download, recorded in the audit log (`backup.downloaded`). An archive holds
 * the router's secrets (/etc/shadow, Wi-Fi and VPN keys), so downloading needs write rights on the
 * device's organization (admins), although operators may list the backups. `audit: false` for a
 * HEAD request, which hands out no byte of the archive.
 */
export async function downloadBackup(
  db: Db,
  actor: Actor,
  deviceId: string,
  backupId: string,
  options: { audit: boolean },
): Promise<{ backup: DeviceBackupRow; deviceName: string }> {
  const device = await getWritableDevice(db, actor, deviceId);
  const backup = await backupRepository.findDeviceBackup(db, device.id, backupId);
  if (!backup) throw notFound('backup', backupId);
  if (!options.audit) return { backup, deviceName: device.name };
  await recordAudit(db, actor, {
    action: 'backup.downloaded',
    organizationId: device.organizationId,
    target: { type: 'device', id: device.id, label: device.name },
    details: { backup: backup.id, release: backup.release, sha256: backup.sha256 },
  });
  return { backup, deviceName: device.name };
}

/** The stored files of a device's backups: read before the device is deleted, released after the commit. */
export async function listDeviceBackupFiles(db: Db, deviceId: string): Promise<string[]> {
  return backupRepository.listDeviceBackupHashes(db, deviceId);
}

/** Releases stored backup files no row refers to any more (after the rows were deleted and committed). */
export async function releaseBackupFiles(db: Kysely<Database>, storage: Storage, hashes: string[]): Promise<void> {
  if (hashes.length > 0) await releaseBlobs(db, storage, BLOB_REFERENCES, hashes);
}

/** Rows one purge statement deletes at most; a run repeats until none is left. */
const PURGE_CHUNK = 500;

/**
 * Deletes the backups past the retention (settings `backups.keep_per_device` and
 * `backups.max_age_days`, 0 = no age limit) and releases their stored files. Returns how many went.
 */
export async function purgeBackups(
  db: Kysely<Database>,
  storage: Storage,
  retention: { keepPerDevice: number; maxAgeDays: number },
  options: { now?: Date; signal?: AbortSignal } = {},
): Promise<number> {
  const now = options.now ?? new Date();
  const createdBefore = retention.maxAgeDays > 0 ? new Date(now.getTime() - retention.maxAgeDays * 86_400_000) : null;
  let removed = 0;
  for (;;) {
    if (options.signal?.aborted) return removed;
    const hashes = await backupRepository.deleteBackupsPastRetention(db, {
      keepPerDevice: retention.keepPerDevice,
      createdBefore,
      limit: PURGE_CHUNK,
    });
    removed += hashes.length;
    await releaseBackupFiles(db, storage, hashes);
    if (hashes.length < PURGE_CHUNK) return removed;
  }
}
