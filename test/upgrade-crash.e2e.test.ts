import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, workerProcesses } from './helpers/upgrade-harness.js';

/**
 * Crash recovery with real worker processes: SIGKILL a worker in the middle of an upgrade, start
 * another; the operation ends correctly and the router is flashed at most once.
 */

let h: Harness;
const workers = workerProcesses(() => h);
beforeAll(async () => {
  h = await createHarness();
});
afterEach(() => workers.stopAll());
afterAll(async () => {
  await h.close();
});

const startWorker = workers.start;

async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const kill = workers.kill;

describe('a worker killed mid-upgrade', () => {
  it(
    'mid-transfer: another worker takes over after the lease expires, sends the image again and flashes ' + 'once',
    async () => {
      const { router, deviceId } = await h.addRouter({ faults: { slowLinkBytesPerSecond: 300_000 } });
      const { imageId, os } = await h.addImage({ size: 1024 * 1024 });
      const first = await startWorker();
      const operationId = await h.upgrade(deviceId, imageId);
      await waitFor(() => router.uploads > 0);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await kill(first);
      router.faults.slowLinkBytesPerSecond = undefined;
      await startWorker();
      const result = await h.waitForEnd(operationId, 60_000);
      expect(result.status, result.log).toBe('success');
      expect(result.log).toContain('taking over from a worker that stopped answering');
      expect(result.attempt).toBe(2);
      expect(router.flashCount).toBe(1);
      expect(router.state.description).toBe(os);
    },
  );

  it('while waiting for the reboot: the next worker only verifies, never flashes again', async () => {
    const { router, deviceId } = await h.addRouter({ rebootMs: 300 });
    const { imageId, os } = await h.addImage();
    const first = await startWorker({ FLEETFLASH_OPENWRT_RECONNECT_DELAY: '5' });
    const operationId = await h.upgrade(deviceId, imageId);
    await waitFor(
      async () => (await h.api.get(`/api/v1/firmware/upgrade-operation/${operationId}/`)).json().flash_started,
    );
    await waitFor(() => router.flashCount === 1);
    await kill(first);
    const second = await startWorker({ FLEETFLASH_OPENWRT_RECONNECT_DELAY: '0.05' });
    const result = await h.waitForEnd(operationId, 60_000);
    expect(result.status, result.log).toBe('success');
    expect(result.log).toContain('A previous worker recorded the flash; checking whether it happened.');
    expect(result.log).toContain('new boot id');
    expect(router.flashCount).toBe(1);
    expect(router.uploads).toBe(1);
    expect(router.state.description).toBe(os);
    expect(await second.stop()).toBe(0);
    workers.release(second);
  });

  it(
    'right after the flash was recorded, before the device flashed: the next worker finds out and flashes ' + 'once',
    async () => {
      const { router, deviceId } = await h.addRouter({ faults: { flashHangs: true } });
      const { imageId, os } = await h.addImage();
      const first = await startWorker();
      const operationId = await h.upgrade(deviceId, imageId);
      // The flash is recorded and its command reached the router, where it hangs without flashing.
      await waitFor(() => router.state.runningProcesses.includes('sysupgrade'));
      expect((await h.api.get(`/api/v1/firmware/upgrade-operation/${operationId}/`)).json().flash_started).toBe(true);
      await kill(first);
      router.faults.flashHangs = false;
      await startWorker();
      const result = await h.waitForEnd(operationId, 60_000);
      expect(result.status, result.log).toBe('success');
      expect(result.log).toContain('A previous worker recorded the flash; checking whether it happened.');
      expect(result.log).toContain('the flash was never performed');
      expect(result.log).toContain('Continuing the upgrade from the transfer as attempt 2 of 5.');
      // The only "accepted" line is the real flash's, after the check.
      expect(result.log.match(/Flash command accepted/g)).toHaveLength(1);
      expect(result.log.indexOf('Flash command accepted')).toBeGreaterThan(
        result.log.indexOf('the flash was never performed'),
      );
      expect(result.attempt).toBe(2);
      expect(router.uploads).toBe(2);
      expect(router.flashCount).toBe(1);
      expect(router.state.description).toBe(os);
    },
  );

  it('a recorded flash that never happened, with no attempt left: failed, the device untouched', async () => {
    const { router, deviceId } = await h.addRouter({ faults: { flashHangs: true } });
    const { imageId } = await h.addImage();
    const releaseBefore = router.state.description;
    const first = await startWorker({ FLEETFLASH_RETRY_MAX_RETRIES: '0' });
    const operationId = await h.upgrade(deviceId, imageId);
    await waitFor(() => router.state.runningProcesses.includes('sysupgrade'));
    await kill(first);
    router.faults.flashHangs = false;
    await startWorker({ FLEETFLASH_RETRY_MAX_RETRIES: '0' });
    const result = await h.waitForEnd(operationId, 60_000);
    expect(result).toMatchObject({ status: 'failed', error_code: 'max-retries-exceeded', attempt: 2 });
    expect(result.log).toContain('the flash was never performed');
    expect(result.log).toContain('the device was not changed');
    expect(result.log).not.toContain('Flash command accepted');
    expect((await h.api.get(`/api/v1/firmware/upgrade-operation/${operationId}/`)).json().flash_started).toBe(false);
    expect(router.uploads).toBe(1);
    expect(router.flashCount).toBe(0);
    expect(router.state.description).toBe(releaseBefore);
  });

  it(
    'a recorded flash, and pidof cannot tell whether sysupgrade runs: waits for a reboot, never sends the image ' +
      'again',
    async () => {
      const { router, deviceId } = await h.addRouter({ faults: { flashHangs: true } });
      const { imageId } = await h.addImage();
      const releaseBefore = router.state.description;
      const first = await startWorker();
      const operationId = await h.upgrade(deviceId, imageId);
      await waitFor(() => router.state.runningProcesses.includes('sysupgrade'));
      await kill(first);
      router.faults.flashHangs = false;
      // busybox without pidof: "/bin/ash: pidof: not found", exit 127, nothing on stdout.
      router.faults.pidofFailsWith = 127;
      await startWorker({
        FLEETFLASH_OPENWRT_RECONNECT_DELAY: '0.05',
        FLEETFLASH_OPENWRT_RECONNECT_RETRY_DELAY: '0.05',
        FLEETFLASH_OPENWRT_RECONNECT_MAX_RETRIES: '2',
      });
      const result = await h.waitForEnd(operationId, 60_000);
      expect(result, result.log).toMatchObject({ status: 'failed', error_code: 'flash-unconfirmed' });
      expect(result.log).toContain(
        'whether sysupgrade is running is unknown ("pidof sysupgrade upgraded" exited with 127',
      );
      expect(result.log).toContain('the image was not sent again');
      expect(result.log).not.toContain('the flash was never performed');
      expect(router.uploads).toBe(1);
      expect(router.flashCount).toBe(0);
      expect(router.state.description).toBe(releaseBefore);
    },
  );

  it(
    "a recorded flash on a device that already runs the build's release: success without flashing it " + 'again',
    async () => {
      const { router, deviceId } = await h.addRouter({ faults: { flashHangs: true } });
      const { imageId, os } = await h.addImage();
      router.state.release = { ...router.state.release, version: '23.05.3', revision: os.split(' ')[2]! };
      const bootBefore = router.state.bootId;
      const first = await startWorker();
      // A re-flash ("installed": false) goes past the already-installed check to the flash, which hangs.
      const forced = await h.api.put(`/api/v1/firmware/device/${deviceId}/firmware/`, {
        image: imageId,
        installed: false,
      });
      const operationId = forced.json().upgrade_operation.id as string;
      await waitFor(() => router.state.runningProcesses.includes('sysupgrade'));
      await kill(first);
      router.faults.flashHangs = false;
      await startWorker();
      const result = await h.waitForEnd(operationId, 60_000);
      expect(result.status, result.log).toBe('success');
      expect(result.log).toContain(`already runs ${os}, the release of this build: it is not flashed again`);
      expect(result.log).not.toContain('the flash was never performed');
      expect(router.uploads).toBe(1);
      expect(router.flashCount).toBe(0);
      expect(router.state.bootId).toBe(bootBefore);
    },
  );

  it('a graceful stop hands unflashed work back to the queue at once (attempt not counted)', async () => {
    const { router, deviceId } = await h.addRouter({ faults: { slowLinkBytesPerSecond: 300_000 } });
    const { imageId } = await h.addImage({ size: 1024 * 1024 });
    const first = await startWorker();
    const operationId = await h.upgrade(deviceId, imageId);
    await waitFor(() => router.uploads > 0);
    workers.release(first);
    expect(await first.stop()).toBe(0);
    const returned = (await h.api.get(`/api/v1/firmware/upgrade-operation/${operationId}/`)).json();
    expect(returned).toMatchObject({ status: 'pending', attempt: 0 });
    expect(returned.log).toContain('goes back to the queue');
    router.faults.slowLinkBytesPerSecond = undefined;
    await startWorker();
    const result = await h.waitForEnd(operationId, 60_000);
    expect(result.status).toBe('success');
    expect(result.attempt).toBe(1);
    expect(router.flashCount).toBe(1);
  });
});
