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
      // Reads that go together travel as one command (remote.ts joinCommands), the backup is written, read and
      // removed by one (config-backup.ts), the image's checksum comes with its transfer: eight exec channels in
      // all (first look, backup, room, image, sysupgrade -T, flash, proof of boot, marker), where each read
      // had its own before: fifteen.
      expect(router.commands).toBe(8);
      const firmware = (await h.api.get(`/api/v1/firmware/device/${deviceId}/firmware/`)).json();
      expect(firmware).toMatchObject({ image: imageId, installed: true });
      const device = (await h.api.get(`/api/v1/devices/${deviceId}/`)).json();
      expect(device.os).toBe(os);
      expect(device.ssh_host_key).toMatch(/^SHA256:/);
      expect(result.log).toContain('Verified: new boot');
    },
  );

  it('retries an image that arrived damaged (the checksum the transfer command printed differs)', async () => {
    const { router, deviceId } = await h.addRouter({ faults: { uploadsDamaged: 1 } });
    const { imageId } = await h.addImage();
    const { sha256 } = await h.db
      .selectFrom('firmwareImages')
      .select('sha256')
      .where('id', '=', imageId)
      .executeTakeFirstOrThrow();
    const result = await h.waitForEnd(await h.upgrade(deviceId, imageId));
    expect(result.status, result.log).toBe('success');
    expect(result.attempt).toBe(2);
    const damaged = /The image arrived damaged: the device computed sha256 ([0-9a-f]{64}), expected ([0-9a-f]{64})/;
    const [, computed, expected] = damaged.exec(result.log) ?? [];
    expect(expected).toBe(sha256);
    expect(computed).not.toBe(sha256);
    expect(router.uploads).toBe(2);
    expect(router.flashCount).toBe(1);
  });
});
