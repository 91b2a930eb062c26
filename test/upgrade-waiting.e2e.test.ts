import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';

/**
 * Waiting is free: a worker bounds image transfers (upgrade_max_transfers) and operations talking to
 * their devices (upgrade_max_ssh_sessions), not operations that only wait for a reboot; the API
 * reports the effective caps and warns when a mass upgrade's max_concurrent cannot be reached.
 */

let h: Harness;
beforeAll(async () => {
  h = await createHarness({
    FLEETFLASH_UPGRADE_MAX_TRANSFERS: '2',
    FLEETFLASH_UPGRADE_MAX_SSH_SESSIONS: '4',
    FLEETFLASH_UPGRADE_CONCURRENCY: '100',
    FLEETFLASH_UPGRADE_GLOBAL_CONCURRENCY: '150',
    FLEETFLASH_OPENWRT_RECONNECT_DELAY: '30',
    FLEETFLASH_TASK_TIMEOUT: '300',
    FLEETFLASH_ROLLOUT_CHECK_INTERVAL: '0.05',
  });
  await h.startWorker();
});
afterAll(async () => {
  await h.close();
});

describe('waiting is free', () => {
  it('with 2 transfers and 4 sessions, 20 routers reboot at once while at most 2 images are sent at once', async () => {
    await h.newCategory();
    // 1 MiB at 2 MB/s: half a second per image, so that two transfers overlap even on a loaded machine (with
    // 256 KiB, a transfer could end before the next one had finished its checks, and the cap went unseen).
    const { imageId } = await h.addImage({ size: 1024 * 1024 });
    const devices = [];
    for (let index = 0; index < 20; index += 1)
      devices.push(await h.addRouter({ rebootMs: 30_000, faults: { slowLinkBytesPerSecond: 2 * 1024 * 1024 } }));
    const routers = devices.map((device) => device.router);
    let mostReceiving = 0;
    let mostRebooting = 0;
    let mostBusy = 0;
    let mostWaiting = 0;
    const sampler = setInterval(() => {
      mostReceiving = Math.max(
        mostReceiving,
        routers.reduce((sum, router) => sum + router.receiving, 0),
      );
      mostRebooting = Math.max(mostRebooting, routers.filter((router) => router.rebooting).length);
      mostBusy = Math.max(mostBusy, h.dispatcher!.busyCount);
      mostWaiting = Math.max(mostWaiting, h.dispatcher!.waitingCount);
    }, 2);
    try {
      const operations = await Promise.all(devices.map((device) => h.upgrade(device.deviceId, imageId)));
      const ends = await Promise.all(operations.map((id) => h.waitForEnd(id, 120_000)));
      expect(ends.map((end) => end.status)).toEqual(operations.map(() => 'success'));
    } finally {
      clearInterval(sampler);
    }
    expect(mostReceiving).toBe(2);
    expect(mostBusy).toBeLessThanOrEqual(4);
    expect(mostRebooting).toBe(20);
    expect(mostWaiting).toBeGreaterThanOrEqual(16);
    expect(routers.map((router) => router.flashCount)).toEqual(routers.map(() => 1));
  }, 180_000);

  it('reports the effective caps', async () => {
    const response = await h.api.get('/api/v1/firmware/upgrade-capacity/');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      per_worker_operations: 100,
      per_worker_ssh_sessions: 4,
      per_worker_transfers: 2,
      global_operations: 150,
      default_max_concurrent: 100,
    });
  });

  it('warns when a launch asks for more devices at once than the workers can run', async () => {
    await h.newCategory();
    const old = await h.addImage({ os: null });
    const { deviceId } = await h.addRouter({ rebootMs: 50 });
    await h.markInstalled(deviceId, old.imageId);
    const target = await h.addImage();
    const over = await h.api.post(`/api/v1/firmware/build/${target.buildId}/upgrade/`, {
      rollout: { max_concurrent: 200 },
    });
    expect(over.statusCode, over.body).toBe(201);
    expect(over.json().warnings).toEqual([expect.stringContaining('max_concurrent 200 cannot be reached')]);
    expect(over.json().warnings[0]).toContain('upgrade_global_concurrency');
    const cancel = await h.api.post(`/api/v1/firmware/batch-upgrade-operation/${over.json().batch}/cancel/`, {});
    expect(cancel.statusCode, cancel.body).toBeLessThan(300);
  });

  it('warns when one worker process cannot hold max_concurrent, and not when it can', async () => {
    await h.newCategory();
    const old = await h.addImage({ os: null });
    const { deviceId } = await h.addRouter({ rebootMs: 50 });
    await h.markInstalled(deviceId, old.imageId);
    const target = await h.addImage();
    const dry = await h.api.post(`/api/v1/firmware/build/${target.buildId}/upgrade/`, {
      rollout: { max_concurrent: 120 },
    });
    expect(dry.statusCode, dry.body).toBe(201);
    expect(dry.json().warnings).toEqual([expect.stringContaining('needs at least 2 worker processes')]);
    await h.api.post(`/api/v1/firmware/batch-upgrade-operation/${dry.json().batch}/cancel/`, {});
    const fits = await h.api.post(`/api/v1/firmware/build/${target.buildId}/upgrade/`, {
      rollout: { max_concurrent: 10 },
    });
    expect(fits.statusCode, fits.body).toBe(201);
    expect(fits.json().warnings).toEqual([]);
  });
});
