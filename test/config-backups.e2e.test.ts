import { execFileSync } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeConfigArchive } from '../simulator/config-archive.js';
import { checkBackupArchive } from '../src/modules/backups/backup-archive.js';
import { purgeBackups, recordBackup } from '../src/modules/backups/backup.service.js';
import { purgeBackupsTask } from '../src/modules/backups/purge-backups.task.js';
import { TASKS } from '../src/tasks/registry.js';
import { makeOrganization, makeToken, makeUser } from './helpers/factories.js';
import { client } from './helpers/http.js';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';

/** Configuration backups before a flash (issue 16 §1), against simulated routers. */

let h: Harness;
beforeAll(async () => {
  // The retention the purge task reads from the settings (the purge test below runs the task).
  h = await createHarness({ FLEETFLASH_BACKUPS_KEEP_PER_DEVICE: '2', FLEETFLASH_BACKUPS_MAX_AGE_DAYS: '90' });
  await h.startWorker();
});
afterAll(async () => {
  await h.close();
});

async function backupsOf(deviceId: string) {
  const response = await h.api.get(`/api/v1/devices/${deviceId}/backups/`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { count: number; results: Record<string, unknown>[] };
}

function tarListing(archive: Buffer): string[] {
  return execFileSync('tar', ['-tzf', '-'], { input: archive }).toString().trim().split('\n');
}

describe('a backup before every flash', () => {
  it('takes, stores and lists the backup, downloadable as a valid gzip tar of the configuration', async () => {
    const { router, deviceId } = await h.addRouter({ name: 'backup-router' });
    const releaseBefore = router.describe().os;
    const { imageId } = await h.addImage();
    const operationId = await h.upgrade(deviceId, imageId);
    const result = await h.waitForEnd(operationId);
    expect(result.status, result.log).toBe('success');
    expect(result.log).toContain('configuration backup: required');
    expect(result.log).toMatch(/Configuration backup kept: 3 files, [\d.]+ KiB, sha256 [0-9a-f]{16}…, taken from /);
    expect(router.flashCount).toBe(1);
    const operation = (await h.api.get(`/api/v1/firmware/upgrade-operation/${operationId}/`)).json();
    expect(operation.backup).toBe('required');

    const list = await backupsOf(deviceId);
    expect(list.count).toBe(1);
    const backup = list.results[0]!;
    expect(backup).toMatchObject({ device: deviceId, operation: operationId, release: releaseBefore });
    const download = await h.api.get(`/api/v1/devices/${deviceId}/backups/${backup.id}/download`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-disposition']).toMatch(
      /^attachment; filename="backup-backup-router-\d{8}T\d{6}\.tar\.gz"/,
    );
    const archive = download.rawPayload;
    expect(archive.length).toBe(backup.size);
    expect(archive.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(tarListing(archive)).toEqual(['etc/config/network', 'etc/config/openwisp', 'etc/config/system']);
    expect((await checkBackupArchive(archive)).files).toHaveLength(3);
    const hostname = execFileSync('tar', ['-xzOf', '-', 'etc/config/system'], { input: archive }).toString();
    expect(hostname).toContain("option hostname 'backup-router'");
  });

  it('fails the upgrade with backup-failed when the backup fails, and flashes nothing', async () => {
    const { router, deviceId } = await h.addRouter({ faults: { backupFails: true } });
    const { imageId } = await h.addImage();
    const operationId = await h.upgrade(deviceId, imageId);
    const result = await h.waitForEnd(operationId);
    expect(result.status).toBe('failed');
    expect(result.error_code).toBe('backup-failed');
    expect(result.attempt).toBe(1);
    expect(result.log).toContain('The configuration backup failed (sysupgrade -b exited with 1');
    expect(result.log).toContain('Nothing was flashed');
    expect(result.log).not.toContain('Sending the image');
    expect(router.flashCount).toBe(0);
    expect((await backupsOf(deviceId)).count).toBe(0);
    const retried = await h.api.post(`/api/v1/firmware/upgrade-operation/${operationId}/retry/`);
    expect(retried.statusCode, retried.body).toBe(201);
    expect(retried.json().backup).toBe('required');
  });

  it('stops reading an archive past 16 MiB at once (closing the channel) and fails with backup-failed', async () => {
    const { router, deviceId } = await h.addRouter({ faults: { backupEndless: true } });
    const { imageId } = await h.addImage();
    const result = await h.waitForEnd(await h.upgrade(deviceId, imageId));
    expect(result.status, result.log).toBe('failed');
    expect(result.error_code).toBe('backup-failed');
    expect(result.log).toContain('the archive is larger than 16 MiB (reading stopped)');
    expect(router.flashCount).toBe(0);
    // The server stopped at the cap: the router could send little more than what was in flight.
    const sent = router.backupBytesSent;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(router.backupBytesSent).toBe(sent);
    expect(sent).toBeLessThan(24 * 1024 * 1024);
  });

  it('retries a connection dropped while the archive is read (connection-lost), then keeps one backup', async () => {
    const { router, deviceId } = await h.addRouter({ faults: { backupReadDrops: 1 } });
    const { imageId } = await h.addImage();
    const result = await h.waitForEnd(await h.upgrade(deviceId, imageId));
    expect(result.status, result.log).toBe('success');
    expect(result.attempt).toBe(2);
    expect(result.log).toMatch(/Reading the configuration backup failed|connection dropped while the configuration/);
    expect(router.flashCount).toBe(1);
    expect((await backupsOf(deviceId)).count).toBe(1);
  });

  it('goes on without a backup when the option is best-effort, saying so in the log', async () => {
    const { router, deviceId } = await h.addRouter({ faults: { backupFails: true } });
    const { imageId } = await h.addImage();
    const response = await h.api.put(`/api/v1/firmware/device/${deviceId}/firmware/`, {
      image: imageId,
      backup: 'best-effort',
    });
    expect(response.statusCode, response.body).toBe(201);
    const result = await h.waitForEnd(response.json().upgrade_operation.id);
    expect(result.status, result.log).toBe('success');
    expect(result.log).toContain('configuration backup: best-effort');
    expect(result.log).toContain('continuing without one, as the backup option is "best-effort"');
    expect(router.flashCount).toBe(1);
    expect((await backupsOf(deviceId)).count).toBe(0);
  });

  it('takes none when the option is off, and refuses an unknown option', async () => {
    const { router, deviceId } = await h.addRouter();
    const { imageId } = await h.addImage();
    const bad = await h.api.put(`/api/v1/firmware/device/${deviceId}/firmware/`, { image: imageId, backup: 'maybe' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('ValidationFailed');
    const response = await h.api.put(`/api/v1/firmware/device/${deviceId}/firmware/`, {
      image: imageId,
      backup: 'off',
    });
    const result = await h.waitForEnd(response.json().upgrade_operation.id);
    expect(result.status).toBe('success');
    expect(result.log).toContain('No configuration backup: the backup option is "off".');
    expect(router.flashCount).toBe(1);
    expect((await backupsOf(deviceId)).count).toBe(0);
  });

  it("hands a mass upgrade's backup option to its operations", async () => {
    const { router, deviceId } = await h.addRouter({ faults: { backupFails: true } });
    const { buildId } = await h.addImage();
    const launched = await h.api.post(`/api/v1/firmware/build/${buildId}/upgrade/`, {
      upgrade_all: true,
      devices: [deviceId],
      backup: 'best-effort',
    });
    expect(launched.statusCode, launched.body).toBe(201);
    const batch = (await h.api.get(`/api/v1/firmware/batch-upgrade-operation/${launched.json().batch}/`)).json();
    expect(batch.backup).toBe('best-effort');
    const operations = (await h.api.get(`/api/v1/firmware/device/${deviceId}/upgrade-operation/`)).json().results;
    expect(operations).toHaveLength(1);
    expect(operations[0].backup).toBe('best-effort');
    const result = await h.waitForEnd(operations[0].id);
    expect(result.status, result.log).toBe('success');
    expect(router.flashCount).toBe(1);
  });
});

describe('who reads backups', () => {
  it('lets an operator list but not download (secrets), audits downloads, and answers 404 elsewhere', async () => {
    const { deviceId } = await h.addRouter();
    const { imageId } = await h.addImage();
    expect((await h.waitForEnd(await h.upgrade(deviceId, imageId))).status).toBe('success');
    const backup = (await backupsOf(deviceId)).results[0]!;
    const organization = { id: h.organizationId } as never;
    const operator = client(
      h.t.app,
      await makeToken(h.db, await makeUser(h.db, { memberships: [{ organization, role: 'operator' }] })),
    );
    expect((await operator.get(`/api/v1/devices/${deviceId}/backups/`)).json().count).toBe(1);
    const refused = await operator.get(`/api/v1/devices/${deviceId}/backups/${backup.id}/download`);
    expect(refused.statusCode).toBe(403);
    const downloads = () =>
      sql<{ details: Record<string, unknown>; actor_user_id: string; target_id: string }>`
        SELECT details, actor_user_id, target_id FROM audit_log WHERE action = 'backup.downloaded'
          AND target_id = ${deviceId}`.execute(h.db);
    expect((await downloads()).rows).toHaveLength(0);
    expect((await h.api.get(`/api/v1/devices/${deviceId}/backups/${backup.id}/download`)).statusCode).toBe(200);
    const [entry, ...more] = (await downloads()).rows;
    expect(more).toHaveLength(0);
    expect(entry!.details).toMatchObject({ backup: backup.id, sha256: backup.sha256 });

    const elsewhere = await makeOrganization(h.db);
    const stranger = client(
      h.t.app,
      await makeToken(h.db, await makeUser(h.db, { memberships: [{ organization: elsewhere, role: 'admin' }] })),
    );
    const list = await stranger.get(`/api/v1/devices/${deviceId}/backups/`);
    expect(list.statusCode).toBe(404);
    expect(list.json().code).toBe('DeviceNotFound');
    const download = await stranger.get(`/api/v1/devices/${deviceId}/backups/${backup.id}/download`);
    expect(download.statusCode).toBe(404);
    const unknown = await h.api.get(`/api/v1/devices/${deviceId}/backups/${crypto.randomUUID()}/download`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('BackupNotFound');
  });
});

describe('retention and deletion', () => {
  it('purges backups beyond the newest N per device and older than M days, releasing their files', async () => {
    expect(TASKS).toContain(purgeBackupsTask);
    const { deviceId } = await h.addRouter();
    const stored = await storeBackupsWithoutUpgrades(deviceId, 4);
    // Oldest first: the first is 100 days old, the others recent.
    await sql`UPDATE device_backups SET created = now() - interval '100 days' WHERE id = ${stored[0]!.id}`.execute(
      h.db,
    );
    for (const [index, { id }] of stored.slice(1).entries()) {
      const minutes = 10 - index;
      await sql`UPDATE device_backups SET created = now() - make_interval(mins => ${minutes}) WHERE id = ${id}`.execute(
        h.db,
      );
    }
    // The hourly task, with the settings: keep 2 per device, none older than 90 days.
    expect(h.t.config.backups).toEqual({ keepPerDevice: 2, maxAgeDays: 90 });
    await purgeBackupsTask.run(
      { db: h.db, storage: h.t.storage, config: h.t.config, logger: h.t.resources.logger },
      new AbortController().signal,
    );
    const left = (await backupsOf(deviceId)).results.map((backup) => backup.id);
    expect(left).toEqual([stored[3]!.id, stored[2]!.id]);
    for (const { sha256 } of stored.slice(0, 2)) expect(await h.t.storage.exists(sha256)).toBe(false);
    for (const { sha256 } of stored.slice(2)) expect(await h.t.storage.exists(sha256)).toBe(true);

    // The age limit alone: one of the two kept is now 100 days old. With 0 days (no age limit) it stays.
    await sql`UPDATE device_backups SET created = now() - interval '100 days' WHERE id = ${stored[2]!.id}`.execute(
      h.db,
    );
    expect(await purgeBackups(h.db, h.t.storage, { keepPerDevice: 2, maxAgeDays: 0 })).toBe(0);
    expect(await purgeBackups(h.db, h.t.storage, { keepPerDevice: 2, maxAgeDays: 90 })).toBe(1);
    expect((await backupsOf(deviceId)).results.map((backup) => backup.id)).toEqual([stored[3]!.id]);
    expect(await h.t.storage.exists(stored[2]!.sha256)).toBe(false);
  });

  it('keeps a backup past the retention while a restore of it is pending, and purges it after', async () => {
    const { deviceId } = await h.addRouter();
    const stored = await storeBackupsWithoutUpgrades(deviceId, 3);
    const oldest = stored[0]!;
    await sql`UPDATE device_backups SET created = now() - interval '100 days' WHERE id = ${oldest.id}`.execute(h.db);
    // A restore of the oldest, queued for later (the worker leaves it alone until then).
    const { rows } = await sql<{ id: string }>`
      INSERT INTO upgrade_operations (device_id, image_sha256, kind, backup_id, backup_mode, status, next_attempt_at)
      VALUES (${deviceId}, ${oldest.sha256}, 'restore', ${oldest.id}, 'off', 'pending', now() + interval '1 day')
      RETURNING id`.execute(h.db);
    // The purge sees every device's backups: what it did to this device is what counts here.
    await purgeBackups(h.db, h.t.storage, { keepPerDevice: 1, maxAgeDays: 90 });
    const left = (await backupsOf(deviceId)).results.map((backup) => backup.id);
    expect(left).toEqual([stored[2]!.id, oldest.id]);
    expect(await h.t.storage.exists(oldest.sha256)).toBe(true);

    const restoreId = rows[0]!.id;
    await sql`UPDATE upgrade_operations SET status = 'cancelled', finished_at = now() WHERE id = ${restoreId}`.execute(
      h.db,
    );
    await purgeBackups(h.db, h.t.storage, { keepPerDevice: 1, maxAgeDays: 90 });
    expect((await backupsOf(deviceId)).results.map((backup) => backup.id)).toEqual([stored[2]!.id]);
    expect(await h.t.storage.exists(oldest.sha256)).toBe(false);
  });

  it('deletes the backups of a deleted device with their stored files', async () => {
    const { deviceId } = await h.addRouter();
    const { imageId } = await h.addImage();
    expect((await h.waitForEnd(await h.upgrade(deviceId, imageId))).status).toBe('success');
    const backup = (await backupsOf(deviceId)).results[0]!;
    expect(await h.t.storage.exists(backup.sha256 as string)).toBe(true);
    expect((await h.api.delete(`/api/v1/devices/${deviceId}/`)).statusCode).toBe(204);
    const { rows } = await sql`SELECT 1 FROM device_backups WHERE device_id = ${deviceId}`.execute(h.db);
    expect(rows).toHaveLength(0);
    expect(await h.t.storage.exists(backup.sha256 as string)).toBe(false);
  });

  /** Backups recorded as the worker records them, each for an operation of its own (no flash needed). */
  async function storeBackupsWithoutUpgrades(deviceId: string, count: number) {
    const stored: { id: string; sha256: string }[] = [];
    for (let i = 0; i < count; i += 1) {
      const { rows } = await sql<{ id: string }>`
        INSERT INTO upgrade_operations (device_id, image_sha256, status, finished_at, backup_mode)
        VALUES (${deviceId}, 'none', 'cancelled', now(), 'off') RETURNING id`.execute(h.db);
      const archive = writeConfigArchive(new Map([[`etc/config/n${i}`, `${deviceId} ${i}\n`]]));
      const { backup } = await recordBackup(h.db, h.t.storage, {
        deviceId,
        operationId: rows[0]!.id,
        release: `release ${i}`,
        archive,
      });
      stored.push({ id: backup.id, sha256: backup.sha256 });
    }
    return stored;
  }
});
