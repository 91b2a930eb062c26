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
    expect(options).toMatchObject({ upgrader: 'scp-example', options: [{ key: 'backup' }] });
    const refused = await h.api.put(`/api/v1/firmware/device/${deviceId}/firmware/`, {
      image: imageId,
      upgrade_options: { c: true },
    });
    expect(refused.json()).toMatchObject({ code: 'InvalidUpgradeOptions', fields: { c: 'unknown option' } });
    const result = await h.waitForEnd(await h.upgrade(deviceId, imageId, { backup: true }));
    expect(result.status, result.log).toBe('success');
    expect(result.log).toContain('using the scp-example upgrader');
    expect(result.log).toContain('over scp');
    expect(router.flashCount).toBe(1);
    expect(router.state.description).toBe(os);
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
