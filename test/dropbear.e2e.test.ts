import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addDropbearDevice,
  DROPBEAR_FIRST_OS,
  type DropbearRouter,
  startDropbearRouter,
} from './helpers/dropbear-router.js';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';
import { DROPBEAR, skipWithout } from './helpers/system-tools.js';

/**
 * The upgrader against the SSH server real OpenWrt routers run: Debian's dropbear, on a loopback port,
 * in front of a fake OpenWrt root run by the real /bin/sh (test/helpers/dropbear-router.ts). The tests
 * run in order on one device: the upgrade, upgrades with health checks, then a restore of the first backup.
 */

// Root, because the set-up creates the user dropbear logs in as.
const skip = skipWithout(
  import.meta.url,
  [DROPBEAR, { command: 'pkill', aptPackage: 'procps' }],
  process.getuid?.() === 0 ? null : 'needs root (it creates the system user dropbear logs in as)',
);

let h: Harness;
let router: DropbearRouter;
let deviceId: string;

beforeAll(async () => {
  if (skip) return;
  router = await startDropbearRouter();
  h = await createHarness({
    FLEETFLASH_OPENWRT_RECONNECT_DELAY: '0.5',
    FLEETFLASH_OPENWRT_RECONNECT_RETRY_DELAY: '0.2',
  });
  await h.startWorker();
  deviceId = await addDropbearDevice(h, router, '02:db:00:00:00:01');
});

afterAll(async () => {
  await h?.close();
  await router?.stop();
});

function homeFile(name: string): string {
  return readFileSync(path.join(router.home, name), 'utf8');
}

/** An upgrade to a new image, the fake root set to boot into its release; resolves with the ended operation. */
async function upgradeWithCheck(probes: object[]) {
  const check = await h.api.post('/api/v1/health-checks/', {
    organization: h.organizationId,
    name: `dropbear check ${probes.length}-${Date.now()}`,
    probes,
  });
  expect(check.statusCode, check.body).toBe(201);
  const { imageId, os: targetOs } = await h.addImage();
  router.setNextRelease(targetOs);
  const response = await h.api.put(`/api/v1/firmware/device/${deviceId}/firmware/`, {
    image: imageId,
    health_check: check.json().id,
  });
  // 200: the device's firmware record exists since the first test's upgrade.
  expect(response.statusCode, response.body).toBe(200);
  return { targetOs, result: await h.waitForEnd(response.json().upgrade_operation.id, 60_000) };
}

describe.skipIf(skip)('a router served by the real dropbear', () => {
  it(
    'is upgraded: image streamed, checksum confirmed by the real sha256sum, flash, session dropped, new release ' +
      'verified',
    async () => {
      const { imageId, os: targetOs } = await h.addImage();
      router.setNextRelease(targetOs);
      const result = await h.waitForEnd(await h.upgrade(deviceId, imageId), 60_000);
      expect(result.status, result.log).toBe('success');
      expect(result.log).toContain('The device confirmed the image checksum');
      expect(result.log).toContain('Commencing upgrade');
      expect(result.log).not.toContain('kept the session open');
      expect(result.log).toContain(`Verified: new boot, running ${targetOs}`);
      expect(homeFile('flash.log').trim().split('\n')).toHaveLength(1);
      expect(readFileSync(path.join(router.root, 'etc', 'fleetflash', 'firmware.sha256'), 'utf8').trim()).toMatch(
        /^[0-9a-f]{64}$/,
      );
      expect((await h.api.get(`/api/v1/devices/${deviceId}/`)).json().ssh_host_key).toMatch(/^SHA256:/);
      // The configuration backup before the flash: the scripted `sysupgrade -b` ran tar, and the archive came
      // back through the real dropbear byte for byte (GNU tar reads it).
      expect(result.log).toContain('Configuration backup kept');
      const backups = (await h.api.get(`/api/v1/devices/${deviceId}/backups/`)).json();
      expect(backups.count).toBe(1);
      expect(backups.results[0].release).toBe(DROPBEAR_FIRST_OS);
      const archive = await h.api.get(`/api/v1/devices/${deviceId}/backups/${backups.results[0].id}/download`);
      const listing = execFileSync('tar', ['-tzf', '-'], { input: archive.rawPayload }).toString();
      expect(listing).toContain('etc/board.json');
      expect(listing).toContain('etc/config/system');
    },
  );

  it('passes a health check whose probes run in the real shell on the new boot', async () => {
    const { targetOs, result } = await upgradeWithCheck([
      { name: 'release file', command: 'test -f /etc/openwrt_release', timeout_seconds: 5 },
      { name: 'is OpenWrt', command: 'grep -q OpenWrt /etc/openwrt_release', timeout_seconds: 5 },
    ]);
    expect(result.status, result.log).toBe('success');
    expect(result.log).toMatch(/Probe "release file" passed \([\d.]+ s\)/);
    expect(result.log).toMatch(/Probe "is OpenWrt" passed \([\d.]+ s\)/);
    expect(result.log).toMatch(/Health check "dropbear check 2-\d+" passed\./);
    expect(result.log.indexOf(`Verified: new boot, running ${targetOs}`)).toBeLessThan(
      result.log.indexOf('Probe "release file" passed'),
    );
    expect(homeFile('flash.log').trim().split('\n')).toHaveLength(2);
  });

  it('restores the first backup: the router gets exactly its bytes, restores them, reboots, is verified', async () => {
    const backups = (await h.api.get(`/api/v1/devices/${deviceId}/backups/`)).json();
    const backup = backups.results.find((item: { release: string }) => item.release === DROPBEAR_FIRST_OS);
    expect(backup).toBeDefined();
    const archive = await h.api.get(`/api/v1/devices/${deviceId}/backups/${backup.id}/download`);
    expect(createHash('sha256').update(archive.rawPayload).digest('hex')).toBe(backup.sha256);
    const current = (await h.api.get(`/api/v1/devices/${deviceId}/`)).json().os as string;
    router.writeRootFile('etc/config/system', "config system\n\toption hostname 'broken'\n");
    const bootBefore = readFileSync(path.join(router.root, 'proc/sys/kernel/random/boot_id'), 'utf8');

    const response = await h.api.post(`/api/v1/devices/${deviceId}/backups/${backup.id}/restore`);
    expect(response.statusCode, response.body).toBe(201);
    const result = await h.waitForEnd(response.json().id, 60_000);
    expect(result.status, result.log).toBe('success');
    expect(result.log).toContain('The device confirmed the backup checksum.');
    expect(result.log).toContain("Restoring: sysupgrade -r '/tmp/fleetflash-restore.tar.gz'");
    expect(result.log).toContain(`Verified: new boot, running ${current}.`);
    expect(result.log).toContain(`Configuration restored; the device runs ${current}.`);
    // The scripted sysupgrade -r kept what it was given: the stored backup, byte for byte.
    const received = readFileSync(path.join(router.home, 'restored.tar.gz'));
    expect(createHash('sha256').update(received).digest('hex')).toBe(backup.sha256);
    expect(readFileSync(path.join(router.root, 'etc/config/system'), 'utf8')).toContain("'dropbear-router'");
    expect(homeFile('reboot.log').trim().split('\n')).toHaveLength(1);
    expect(readFileSync(path.join(router.root, 'proc/sys/kernel/random/boot_id'), 'utf8')).not.toBe(bootBefore);
    // A restore flashes nothing.
    expect(homeFile('flash.log').trim().split('\n')).toHaveLength(2);
  });

  it("fails with health-check-failed on a failing probe, logging its exit code and the shell's output", async () => {
    const { result } = await upgradeWithCheck([
      { name: 'release file', command: 'test -f /etc/openwrt_release', timeout_seconds: 5 },
      { name: 'marker', command: 'test -e /nonexistent', timeout_seconds: 5 },
      { name: 'marker file', command: 'cat /nonexistent', timeout_seconds: 5 },
    ]);
    expect(result.status).toBe('failed');
    expect(result.error_code).toBe('health-check-failed');
    expect(result.log).toMatch(/Probe "release file" passed/);
    expect(result.log).toContain('probe "marker" (test -e /nonexistent) failed with exit code 1; no output.');
    expect(result.log).toContain('the upgrade is not retried');
    expect(result.log).not.toContain('Probe "marker file"');
    // The flash happened (the check runs after proof of boot).
    expect(homeFile('flash.log').trim().split('\n')).toHaveLength(3);
  });

  it("fails a probe with the real shell's message and exit code", async () => {
    const { result } = await upgradeWithCheck([
      { name: 'marker file', command: 'cat /nonexistent', timeout_seconds: 5 },
    ]);
    expect(result.error_code).toBe('health-check-failed');
    expect(result.log).toContain(
      'probe "marker file" (cat /nonexistent) failed with exit code 1; output: cat: /nonexistent: No such file or ' +
        'directory.',
    );
  });
});
