import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';

/** Cancel, retry and the task timeout. */

// The default task timeout: a tight one would also end the cancel tests' upgrades on a slow machine
// (ssh2 without its optional native crypto, as `npm ci` installs it, is several times slower).
// "time limits" has a harness of its own with a 3 s timeout.
let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('cancel', () => {
  it('cancels a pending operation (no worker running); a second cancel says it has ended', async () => {
    const { deviceId } = await h.addRouter();
    const { imageId } = await h.addImage();
    const operationId = await h.upgrade(deviceId, imageId);
    const cancelled = await h.api.post(`/api/v1/firmware/upgrade-operation/${operationId}/cancel/`);
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', error_code: 'cancelled' });
    const again = await h.api.post(`/api/v1/firmware/upgrade-operation/${operationId}/cancel/`);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'CancelNotPossible', detail: expect.stringContaining('"cancelled"') });
    // The device is free again: a new upgrade can start.
    const next = await h.api.put(`/api/v1/firmware/device/${deviceId}/firmware/`, { image: imageId });
    expect(next.json().upgrade_operation.status).toBe('pending');
    await h.api.post(`/api/v1/firmware/upgrade-operation/${next.json().upgrade_operation.id}/cancel/`);
  });

  it(
    'stops a running transfer at once, restarts stopped services, removes the partial file, and never ' + 'flashes',
    async () => {
      const worker = await h.startWorker();
      try {
        const { router, deviceId } = await h.addRouter({
          faults: { slowLinkBytesPerSecond: 200_000 },
          memTotalKb: 62_000,
        });
        const { imageId } = await h.addImage({ size: 16 * 1024 * 1024 });
        const operationId = await h.upgrade(deviceId, imageId);
        await waitFor(async () => router.uploads > 0);
        await waitFor(async () => !router.state.runningServices.includes('uhttpd'));
        const started = Date.now();
        const cancelled = await h.api.post(`/api/v1/firmware/upgrade-operation/${operationId}/cancel/`);
        expect(cancelled.statusCode).toBe(200);
        await waitFor(async () => worker.activeCount === 0);
        expect(Date.now() - started).toBeLessThan(3000);
        const operation = (await h.api.get(`/api/v1/firmware/upgrade-operation/${operationId}/`)).json();
        expect(operation.status).toBe('cancelled');
        expect(operation.log).toContain('Cancelled by');
        expect(operation.log).toContain('Restarted the services');
        expect(router.state.runningServices).toContain('uhttpd');
        expect(router.state.list('/tmp')?.filter((name) => name.startsWith('fleetflash-'))).toEqual([]);
        expect(router.flashCount).toBe(0);
      } finally {
        await h.stopWorker();
      }
    },
  );

  it('refuses to cancel once flashing started (409 with the reason), and the upgrade completes', async () => {
    await h.startWorker();
    try {
      const { router, deviceId } = await h.addRouter({ rebootMs: 1500 });
      const { imageId } = await h.addImage();
      const operationId = await h.upgrade(deviceId, imageId);
      await waitFor(
        async () => (await h.api.get(`/api/v1/firmware/upgrade-operation/${operationId}/`)).json().flash_started,
      );
      const refused = await h.api.post(`/api/v1/firmware/upgrade-operation/${operationId}/cancel/`);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().detail).toContain('flashing has already started');
      expect((await h.waitForEnd(operationId)).status).toBe('success');
      expect(router.flashCount).toBe(1);
    } finally {
      await h.stopWorker();
    }
  });

  it('lets a cancel win the race against a worker about to flash: exactly one of them succeeds', async () => {
    await h.startWorker();
    try {
      const outcomes: string[] = [];
      for (let round = 0; round < 6; round += 1) {
        const { router, deviceId } = await h.addRouter();
        const { imageId } = await h.addImage();
        const operationId = await h.upgrade(deviceId, imageId);
        // Cancel at a moment somewhere in the run.
        await new Promise((resolve) => setTimeout(resolve, 40 + round * 60));
        const cancel = await h.api.post(`/api/v1/firmware/upgrade-operation/${operationId}/cancel/`);
        const result = await h.waitForEnd(operationId);
        if (cancel.statusCode === 200) {
          expect(result.status).toBe('cancelled');
          expect(router.flashCount).toBe(0);
        } else {
          expect(cancel.statusCode).toBe(409);
          expect(['success']).toContain(result.status);
          expect(router.flashCount).toBe(1);
        }
        outcomes.push(result.status);
      }
      expect(outcomes).toContain('cancelled');
    } finally {
      await h.stopWorker();
    }
  });
});

describe('retry', () => {
  it('retries a failed operation as a new operation; refuses to retry a running or successful one', async () => {
    await h.startWorker();
    try {
      const { router, deviceId } = await h.addRouter({ faults: { authRefused: true } });
      const { imageId } = await h.addImage();
      const first = await h.upgrade(deviceId, imageId);
      expect((await h.waitForEnd(first)).status).toBe('aborted');
      router.faults.authRefused = false;
      const retry = await h.api.post(`/api/v1/firmware/upgrade-operation/${first}/retry/`);
      expect(retry.statusCode).toBe(201);
      expect(retry.json()).toMatchObject({ retry_of: first, device: deviceId, image: imageId });
      // The answer reads the operation after commit: the running worker may already have claimed it.
      expect(['pending', 'in-progress']).toContain(retry.json().status);
      const result = await h.waitForEnd(retry.json().id);
      expect(result.status).toBe('success');
      const notAgain = await h.api.post(`/api/v1/firmware/upgrade-operation/${retry.json().id}/retry/`);
      expect(notAgain.statusCode).toBe(409);
      expect(notAgain.json().code).toBe('RetryNotPossible');
    } finally {
      await h.stopWorker();
    }
  });
});

describe('time limits', () => {
  let limited: Harness;
  beforeAll(async () => {
    limited = await createHarness({ FLEETFLASH_TASK_TIMEOUT: '3' });
  });
  afterAll(async () => {
    await limited?.close();
  });

  it('fails an attempt that exceeds the task timeout, restarting what it stopped', async () => {
    await limited.startWorker();
    try {
      const { router, deviceId } = await limited.addRouter({ faults: { slowLinkBytesPerSecond: 100_000 } });
      const { imageId } = await limited.addImage({ size: 2 * 1024 * 1024 });
      const result = await limited.waitForEnd(await limited.upgrade(deviceId, imageId), 20_000);
      expect(result).toMatchObject({ status: 'failed', error_code: 'timeout' });
      expect(result.log).toContain('task timeout (3 s)');
      expect(router.flashCount).toBe(0);
    } finally {
      await limited.stopWorker();
    }
  });
});
