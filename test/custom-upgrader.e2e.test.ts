import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/platform/paths.js';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';

/** A custom upgrader registered by module path in the settings (the example from docs/extending.md). */

let h: Harness;
beforeAll(async () => {
  h = await createHarness({
    FLEETFLASH_UPGRADERS: JSON.stringify([
      { os_pattern: '^LegacyWrt ', module: path.join(PROJECT_ROOT, 'examples', 'scp-upgrader.ts') },
      {
        os_pattern: '^OldPluginWrt ',
        module: path.join(PROJECT_ROOT, 'test', 'fixtures', 'upgraders', 'backup-ignoring-upgrader.ts'),
      },
    ]),
  });
  await h.startWorker();
});
afterAll(async () => {
  await h.close();
});

describe('custom upgraders', () => {
  it("picks the custom upgrader by the device's OS, validates its own options, and runs it to success", async () => {
    const { router, deviceId } = await h.addRouter({ os: 'LegacyWrt 1.0' });
    const { imageId, os } = await h.addImage();
    const options = (await h.api.get(`/api/v1/firmware/device/${deviceId}/upgrade-options/`)).json();
    expect(options).toMatchObject({ upgrader: 'scp-example', options: [{ key: 'keep_backup_copy' }] });
    const refused = await h.api.put(`/api/v1/firmware/device/${deviceId}/firmware/`, {
      image: imageId,
      upgrade_options: { c: true },
    });
    expect(refused.json()).toMatchObject({ code: 'InvalidUpgradeOptions', fields: { c: 'unknown option' } });
    const result = await h.waitForEnd(await h.upgrade(deviceId, imageId, { keep_backup_copy: true }));
    expect(result.status, result.log).toBe('success');
    expect(result.log).toContain('using the scp-example upgrader');
    expect(result.log).toContain('over scp');
    expect(result.log).toContain('Configuration backup kept');
    expect(router.flashCount).toBe(1);
    expect(router.state.description).toBe(os);
    const backups = (await h.api.get(`/api/v1/devices/${deviceId}/backups/`)).json();
    expect(backups.count).toBe(1);
  });

  it('refuses to flash with no backup an upgrader that ignores the "required" backup option', async () => {
    const { router, deviceId } = await h.addRouter({ os: 'OldPluginWrt 1.0' });
    const { imageId } = await h.addImage();
    const result = await h.waitForEnd(await h.upgrade(deviceId, imageId));
    expect(result.status, result.log).toBe('failed');
    expect(result.error_code).toBe('backup-failed');
    expect(result.log).toContain('The backup-ignoring upgrader took no configuration backup');
    expect(router.flashCount).toBe(0);

    // With the option "best-effort" the same upgrader flashes (without a backup, as asked).
    const launched = await h.api.put(`/api/v1/firmware/device/${deviceId}/firmware/`, {
      image: imageId,
      backup: 'best-effort',
    });
    expect(launched.statusCode, launched.body).toBeLessThan(300);
    const second = await h.waitForEnd(launched.json().upgrade_operation.id);
    expect(second.status, second.log).toBe('success');
    expect(router.flashCount).toBe(1);
  });

  it('still uses the OpenWrt upgrader for OpenWrt devices', async () => {
    const { deviceId } = await h.addRouter();
    const { imageId } = await h.addImage();
    const result = await h.waitForEnd(await h.upgrade(deviceId, imageId));
    expect(result.status).toBe('success');
    expect(result.log).toContain('using the openwrt upgrader');
  });

  it('refuses to start with a module that is not an upgrader', async () => {
    const { loadUpgraderRegistry } = await import('../src/modules/upgraders/registry.js');
    await expect(
      loadUpgraderRegistry(
        [{ osPattern: 'x', module: path.join(PROJECT_ROOT, 'src', 'platform', 'paths.ts') }],
        h.t.config.upgrades.openwrt,
      ),
    ).rejects.toThrow(/must export an Upgrader/);
    await expect(
      loadUpgraderRegistry([{ osPattern: 'x', module: '/nonexistent/upgrader.js' }], h.t.config.upgrades.openwrt),
    ).rejects.toThrow(/could not be loaded/);
  });
});
