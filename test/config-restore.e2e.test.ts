import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeToken, makeUser } from './helpers/factories.js';
import { client } from './helpers/http.js';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';

/** Restoring configuration backups (issue 16 §1), against simulated routers. */

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await h.startWorker();
});
afterAll(async () => {
  await h.close();
});

async function firstBackup(deviceId: string): Promise<{ id: string; sha256: string }> {
  const list = (await h.api.get(`/api/v1/devices/${deviceId}/backups/`)).json();
  expect(list.count).toBeGreaterThan(0);
  return list.results[0];
}

describe('restoring a backup on a device', () => {
  it('sends the archive, runs sysupgrade -r, reboots and verifies the device came back on its release', async () => {
    const { router, deviceId } = await h.addRouter({ name: 'restore-me' });
    const { imageId } = await h.addImage();
    expect((await h.waitForEnd(await h.upgrade(deviceId, imageId))).status).toBe('success');
    const release = router.describe().os;
    const backup = await firstBackup(deviceId);
    // The configuration changes after the upgrade (a person's mistake): the restore puts the backup back.
    router.state.writeFile('/etc/config/system', "config system\n\toption hostname 'broken'\n", false);
    const bootBefore = router.state.bootId;

    const response = await h.api.post(`/api/v1/devices/${deviceId}/backups/${backup.id}/restore`);
    expect(response.statusCode, response.body).toBe(201);
    const created = response.json();
    expect(created).toMatchObject({
      kind: 'restore',
      restored_backup: backup.id,
      image: null,
      image_sha256: backup.sha256,
    });
    const result = await h.waitForEnd(created.id);
    expect(result.status, result.log).toBe('success');
    expect(result.log).toContain('Restore requested by');
    expect(result.log).toContain('The device confirmed the backup checksum.');
    expect(result.log).toContain("Restoring: sysupgrade -r '/tmp/fleetflash-restore.tar.gz'");
    expect(result.log).toContain(`Verified: new boot, running ${release}.`);
    expect(result.log).toContain(`Configuration restored; the device runs ${release}.`);
    expect(router.state.restoreCount).toBe(1);
    expect(router.state.bootId).not.toBe(bootBefore);
    expect(router.state.readFile('/etc/config/system')).toContain("option hostname 'restore-me'");
    expect(router.flashCount).toBe(1);
    // A restore installs no image: the device's firmware record still names the upgrade's image.
    const firmware = (await h.api.get(`/api/v1/firmware/device/${deviceId}/firmware/`)).json();
    expect(firmware).toMatchObject({ image: imageId, installed: true });
  });

  it('restores a device that failed its health check: the release it proved at boot is recorded', async () => {
    const check = await h.api.post('/api/v1/health-checks/', {
      organization: h.organizationId,
      name: 'wan up',
      probes: [{ name: 'WAN up', command: 'ubus call network.interface.wan status', timeout_seconds: 5 }],
    });
    expect(check.statusCode, check.body).toBe(201);
    const { router, deviceId } = await h.addRouter({ faults: { probeFails: 'network.interface.wan' } });
    const { imageId } = await h.addImage();
    const upgrade = await h.api.put(`/api/v1/firmware/device/${deviceId}/firmware/`, {
      image: imageId,
      health_check: check.json().id,
    });
    expect(upgrade.statusCode, upgrade.body).toBe(201);
    const failed = await h.waitForEnd(upgrade.json().upgrade_operation.id);
    expect(failed.error_code, failed.log).toBe('health-check-failed');
    // The router runs the new release although its check failed: the device says so.
    const release = router.describe().os;
    expect((await h.api.get(`/api/v1/devices/${deviceId}/`)).json().os).toBe(release);

    const backup = await firstBackup(deviceId);
    const response = await h.api.post(`/api/v1/devices/${deviceId}/backups/${backup.id}/restore`);
    expect(response.statusCode, response.body).toBe(201);
    const result = await h.waitForEnd(response.json().id);
    expect(result.status, result.log).toBe('success');
    expect(result.log).toContain(`Configuration restored; the device runs ${release}.`);
  });

  it('is for admins: an operator gets 403, another device or an unknown backup 404', async () => {
    const { deviceId } = await h.addRouter();
    const { imageId } = await h.addImage();
    expect((await h.waitForEnd(await h.upgrade(deviceId, imageId))).status).toBe('success');
    const backup = await firstBackup(deviceId);
    const organization = { id: h.organizationId } as never;
    const operator = client(
      h.t.app,
      await makeToken(h.db, await makeUser(h.db, { memberships: [{ organization, role: 'operator' }] })),
    );
    expect((await operator.post(`/api/v1/devices/${deviceId}/backups/${backup.id}/restore`)).statusCode).toBe(403);
    const { deviceId: other } = await h.addRouter();
    const elsewhere = await h.api.post(`/api/v1/devices/${other}/backups/${backup.id}/restore`);
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json().code).toBe('BackupNotFound');
  });
});

describe('a restore and the maintenance window', () => {
  it('waits for a closed window unless an admin asks with ignore_maintenance_window', async () => {
    // A window of one hour, six hours from now (UTC): closed now.
    const start = Math.min((new Date().getUTCHours() + 6) % 24, 22);
    const hour = (value: number) => `${String(value).padStart(2, '0')}:00`;
    const window = await h.api.post('/api/v1/maintenance-windows/', {
      organization: h.organizationId,
      name: 'Later',
      time_zone: 'UTC',
      schedule: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: hour(start), end: hour(start + 1) }],
      applies_to: { groups: ['restore-later'] },
    });
    expect(window.statusCode, window.body).toBe(201);
    const { router, deviceId } = await h.addRouter({ group: 'restore-later' });
    const { imageId } = await h.addImage();
    const upgraded = await h.api.put(`/api/v1/firmware/device/${deviceId}/firmware/`, {
      image: imageId,
      ignore_maintenance_window: true,
    });
    expect((await h.waitForEnd(upgraded.json().upgrade_operation.id)).status).toBe('success');
    const backup = await firstBackup(deviceId);

    const now = await h.api.post(`/api/v1/devices/${deviceId}/backups/${backup.id}/restore`, {
      ignore_maintenance_window: true,
    });
    expect(now.statusCode, now.body).toBe(201);
    expect(now.json().ignore_maintenance_window).toBe(true);
    const done = await h.waitForEnd(now.json().id);
    expect(done.status, done.log).toBe('success');
    expect(done.log).toContain("Starts regardless of the device's maintenance window.");
    expect(router.state.restoreCount).toBe(1);

    const later = (await h.api.post(`/api/v1/devices/${deviceId}/backups/${backup.id}/restore`)).json();
    expect(later.ignore_maintenance_window).toBe(false);
    const deadline = Date.now() + 10_000;
    let waiting = null;
    while (!waiting && Date.now() < deadline) {
      waiting = (await h.api.get(`/api/v1/firmware/upgrade-operation/${later.id}/`)).json().waiting_for_window;
      if (!waiting) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(waiting).not.toBeNull();
    expect(router.state.restoreCount).toBe(1);
    expect((await h.api.post(`/api/v1/firmware/upgrade-operation/${later.id}/cancel/`)).statusCode).toBeLessThan(300);
  });
});

describe('a restore taken over from a worker that died', () => {
  it('is done again when the device is still on the same boot (restoring twice changes nothing)', async () => {
    const { router, deviceId } = await h.addRouter();
    const { imageId } = await h.addImage();
    expect((await h.waitForEnd(await h.upgrade(deviceId, imageId))).status).toBe('success');
    const backup = await firstBackup(deviceId);
    router.state.writeFile('/etc/config/system', "config system\n\toption hostname 'broken'\n", false);
    // What a worker leaves when it dies right after recording the restore's start: in progress, its lease run out.
    const { rows } = await sql<{ id: string }>`
      INSERT INTO upgrade_operations (device_id, image_sha256, kind, backup_id, backup_mode, status, attempt,
        flash_started_at, boot_id_before, lease_owner, lease_expires_at, started_at)
      VALUES (${deviceId}, ${backup.sha256}, 'restore', ${backup.id}, 'off', 'in-progress', 1, now(),
        ${router.state.bootId}, 'a-dead-worker', now() - interval '1 second', now())
      RETURNING id`.execute(h.db);
    const result = await h.waitForEnd(rows[0]!.id);
    expect(result.status, result.log).toBe('success');
    expect(result.log).toContain('taking over from a worker that stopped answering');
    expect(result.log).toContain('the restore is done again');
    expect(router.state.restoreCount).toBe(1);
    expect(router.state.readFile('/etc/config/system')).not.toContain('broken');
  });
});

describe('a restore that fails', () => {
  it('ends failed with restore-failed without a reboot, and a retry restores the same backup', async () => {
    const { router, deviceId } = await h.addRouter();
    const { imageId } = await h.addImage();
    expect((await h.waitForEnd(await h.upgrade(deviceId, imageId))).status).toBe('success');
    const backup = await firstBackup(deviceId);
    router.faults.restoreFails = true;
    const bootBefore = router.state.bootId;
    const created = (await h.api.post(`/api/v1/devices/${deviceId}/backups/${backup.id}/restore`)).json();
    const failed = await h.waitForEnd(created.id);
    expect(failed.status).toBe('failed');
    expect(failed.error_code).toBe('restore-failed');
    // Its events say it is a restore (the notification words it so).
    const { rows: events } = await sql<{ data: { kind: string; status: string } }>`
      SELECT data FROM events WHERE type = 'operation' AND operation_id = ${created.id} ORDER BY id`.execute(h.db);
    expect(events.at(-1)!.data).toMatchObject({ kind: 'restore', status: 'failed' });
    expect(failed.log).toContain('sysupgrade -r exited with 1: tar:');
    expect(failed.log).toContain('the device was not rebooted');
    expect(router.state.bootId).toBe(bootBefore);

    router.faults.restoreFails = false;
    const retried = await h.api.post(`/api/v1/firmware/upgrade-operation/${created.id}/retry/`);
    expect(retried.statusCode, retried.body).toBe(201);
    expect(retried.json()).toMatchObject({ kind: 'restore', restored_backup: backup.id, retry_of: created.id });
    const result = await h.waitForEnd(retried.json().id);
    expect(result.status, result.log).toBe('success');
    expect(result.log).toContain(`(retry of ${created.id})`);
    expect(router.state.restoreCount).toBe(1);
  });
});

describe('restoring the failed devices of a mass upgrade', () => {
  it('restores the pre-upgrade backup of each failed device, and skips one that is busy', async () => {
    // The flash does not take: the device reboots on the old release and the upgrade fails after flashing.
    const { router, deviceId } = await h.addRouter({ faults: { returnsOldRelease: true } });
    const { buildId } = await h.addImage();
    const launched = await h.api.post(`/api/v1/firmware/build/${buildId}/upgrade/`, {
      upgrade_all: true,
      devices: [deviceId],
    });
    expect(launched.statusCode, launched.body).toBe(201);
    const batchId = launched.json().batch as string;
    const [failed] = (await h.api.get(`/api/v1/firmware/device/${deviceId}/upgrade-operation/`)).json().results;
    const ended = await h.waitForEnd(failed.id);
    expect(ended.status).toBe('failed');
    expect(ended.error_code).toBe('not-flashed');
    const backup = await firstBackup(deviceId);

    const restored = await h.api.post(`/api/v1/firmware/batch-upgrade-operation/${batchId}/restore-failed/`);
    expect(restored.statusCode, restored.body).toBe(201);
    const body = restored.json();
    expect(body.skipped).toEqual([]);
    expect(body.operations).toHaveLength(1);
    expect(body.operations[0]).toMatchObject({ kind: 'restore', device: deviceId, restored_backup: backup.id });
    expect(body.operations[0].batch).toBeNull();
    // Asked again while that restore is queued or running: the device is reported busy, nothing is queued twice.
    const again = (await h.api.post(`/api/v1/firmware/batch-upgrade-operation/${batchId}/restore-failed/`)).json();
    expect(again.operations).toHaveLength(0);
    expect(again.skipped).toEqual([{ device: deviceId, detail: expect.stringContaining('already has an operation') }]);

    const result = await h.waitForEnd(body.operations[0].id);
    expect(result.status, result.log).toBe('success');
    expect(result.log).toContain(`failed in mass upgrade ${batchId}`);
    expect(router.state.restoreCount).toBe(1);
  });

  it("restores the first backup of a retried upgrade's chain, once, and only after a flash started", async () => {
    const { router, deviceId } = await h.addRouter({ faults: { returnsOldRelease: true } });
    const { buildId } = await h.addImage();
    const launched = await h.api.post(`/api/v1/firmware/build/${buildId}/upgrade/`, {
      upgrade_all: true,
      devices: [deviceId],
    });
    const batchId = launched.json().batch as string;
    const [first] = (await h.api.get(`/api/v1/firmware/device/${deviceId}/upgrade-operation/`)).json().results;
    expect((await h.waitForEnd(first.id)).error_code).toBe('not-flashed');
    const backup = await firstBackup(deviceId);

    // The retry keeps the first backup (the configuration before the first flash) and takes no second one.
    const retried = await h.api.post(`/api/v1/firmware/batch-upgrade-operation/${batchId}/retry-failed/`);
    expect(retried.statusCode, retried.body).toBeLessThan(300);
    const [second] = (await h.api.get(`/api/v1/firmware/device/${deviceId}/upgrade-operation/`)).json().results;
    expect(second.retry_of).toBe(first.id);
    const ended = await h.waitForEnd(second.id);
    expect(ended.error_code).toBe('not-flashed');
    expect(ended.log).toContain('The configuration backup an earlier attempt of this upgrade');
    expect((await h.api.get(`/api/v1/devices/${deviceId}/backups/`)).json().count).toBe(1);

    // A failed upgrade whose flash never started has nothing to restore.
    await sql`UPDATE upgrade_operations SET flash_started_at = NULL WHERE id = ${second.id}`.execute(h.db);
    const none = await h.api.post(`/api/v1/firmware/batch-upgrade-operation/${batchId}/restore-failed/`);
    expect(none.statusCode, none.body).toBe(409);
    await sql`UPDATE upgrade_operations SET flash_started_at = now() WHERE id = ${second.id}`.execute(h.db);

    const restored = (await h.api.post(`/api/v1/firmware/batch-upgrade-operation/${batchId}/restore-failed/`)).json();
    expect(restored.operations).toHaveLength(1);
    expect(restored.operations[0]).toMatchObject({ restored_backup: backup.id });
    expect((await h.waitForEnd(restored.operations[0].id)).status).toBe('success');
    expect(router.state.restoreCount).toBe(1);
    // Restored successfully: asking again restores nothing twice.
    const again = await h.api.post(`/api/v1/firmware/batch-upgrade-operation/${batchId}/restore-failed/`);
    expect(again.statusCode, again.body).toBe(409);
  });

  it('answers 409 when no failed operation has a backup', async () => {
    const { deviceId } = await h.addRouter({ faults: { backupFails: true } });
    const { buildId } = await h.addImage();
    const launched = await h.api.post(`/api/v1/firmware/build/${buildId}/upgrade/`, {
      upgrade_all: true,
      devices: [deviceId],
    });
    const batchId = launched.json().batch as string;
    const [operation] = (await h.api.get(`/api/v1/firmware/device/${deviceId}/upgrade-operation/`)).json().results;
    expect((await h.waitForEnd(operation.id)).error_code).toBe('backup-failed');
    const response = await h.api.post(`/api/v1/firmware/batch-upgrade-operation/${batchId}/restore-failed/`);
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('BatchStateConflict');
  });
});
