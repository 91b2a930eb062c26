import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await h.startWorker();
});
afterAll(async () => {
  await h.close();
});

describe('single-device upgrade against a simulated router', () => {
  it(
    'upgrades: transfers, tests, flashes, waits for the reboot, verifies the new release, and records ' + 'it',
    async () => {
      const { router, deviceId } = await h.addRouter();
      const { imageId, os } = await h.addImage();
      const operationId = await h.upgrade(deviceId, imageId);
      const result = await h.waitForEnd(operationId);
      expect(result.status, result.log).toBe('success');
      expect(result.progress).toBe(100);
      expect(router.state.description).toBe(os);
      expect(router.flashCount).toBe(1);
      // Reads that go together travel as one command (remote.ts joinCommands): eleven exec channels in all
      // (first look, backup, its fetch and removal, room, image, checksum, sysupgrade -T, flash, proof of
      // boot, marker), where each read had its own before: fifteen.
      expect(router.commands).toBe(11);
      const firmware = (await h.api.get(`/api/v1/firmware/device/${deviceId}/firmware/`)).json();
      expect(firmware).toMatchObject({ image: imageId, installed: true });
      const device = (await h.api.get(`/api/v1/devices/${deviceId}/`)).json();
      expect(device.os).toBe(os);
      expect(device.ssh_host_key).toMatch(/^SHA256:/);
      expect(result.log).toContain('Verified: new boot');
    },
  );
});
