import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, workerProcesses } from './helpers/upgrade-harness.js';

/**
 * Mass upgrades with real worker processes on one database: two workers share a batch without
 * doing any operation twice; a worker killed with SIGKILL mid-batch loses nothing once another starts.
 */

let h: Harness;
const workers = workerProcesses(() => h, { FLEETFLASH_ROLLOUT_CHECK_INTERVAL: '0.1' });
beforeAll(async () => {
  h = await createHarness();
});
afterEach(() => workers.stopAll());
afterAll(async () => {
  await h.close();
});

const startWorker = () => workers.start();

async function fleet(count: number, options: { slow?: boolean } = {}) {
  await h.newCategory();
  const old = await h.addImage({ os: null });
  const devices = [];
  for (let i = 0; i < count; i += 1) {
    const added = await h.addRouter({
      rebootMs: 200,
      ...(options.slow ? { faults: { slowLinkBytesPerSecond: 2_000_000 } } : {}),
    });
    await h.markInstalled(added.deviceId, old.imageId);
    devices.push(added);
  }
  const target = await h.addImage({ size: 512 * 1024 });
  return { buildId: target.buildId, os: target.os, devices };
}

async function waitForBatch(id: string, until: (body: Record<string, any>) => boolean, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const body = (await h.api.get(`/api/v1/firmware/batch-upgrade-operation/${id}/`)).json();
    if (until(body)) return body;
    if (Date.now() > deadline) throw new Error(`batch not there in time: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function operationsOf(id: string) {
  return (await h.api.get(`/api/v1/firmware/batch-upgrade-operation/${id}/operations/?page_size=100`)).json()
    .results as Record<string, any>[];
}

async function logOf(operationId: string): Promise<string> {
  return (await h.api.get(`/api/v1/firmware/upgrade-operation/${operationId}/`)).json().log;
}

describe('mass upgrades with worker processes', () => {
  it('two workers share a batch; no operation runs twice', async () => {
    const { buildId, os, devices } = await fleet(12);
    // Three at a time each: one worker cannot take a whole stage, so both must take part.
    await workers.start({ FLEETFLASH_UPGRADE_CONCURRENCY: '3' });
    await workers.start({ FLEETFLASH_UPGRADE_CONCURRENCY: '3' });
    const launched = await h.api.post(`/api/v1/firmware/build/${buildId}/upgrade/`, {
      rollout: { canary_count: 2, stage_factor: 4 },
    });
    const id = launched.json().batch;
    const end = await waitForBatch(id, (body) => ['success', 'failed', 'cancelled'].includes(body.status));
    expect(end).toMatchObject({ status: 'success', counts: { operations: 12, success: 12 } });
    const operations = await operationsOf(id);
    const claimedBy = new Set<string>();
    for (const operation of operations) {
      expect(operation.attempt).toBe(1);
      const log = await logOf(operation.id);
      const starts = [...log.matchAll(/started by worker (\S+),/g)];
      expect(starts).toHaveLength(1);
      claimedBy.add(starts[0]![1]!);
    }
    expect(claimedBy.size).toBe(2);
    for (const device of devices) {
      expect(device.router.flashCount).toBe(1);
      expect(device.router.state.description).toBe(os);
    }
  });

  it(
    'a worker killed with SIGKILL mid-batch: another finishes it, every operation decided, nothing flashed twice, ' +
      'counts right',
    async () => {
      const { buildId, devices } = await fleet(10, { slow: true });
      const first = await startWorker();
      const launched = await h.api.post(`/api/v1/firmware/build/${buildId}/upgrade/`, {
        rollout: { canary_percent: 100, max_concurrent: 4 },
      });
      const id = launched.json().batch;
      // Kill it while some devices are done, some transferring, some flashed and rebooting.
      await waitForBatch(id, (body) => body.counts.success >= 2 && body.counts.in_progress > 0);
      await workers.kill(first);
      const killedAt = (await h.api.get(`/api/v1/firmware/batch-upgrade-operation/${id}/`)).json();
      expect(killedAt.status).toBe('in-progress');

      await startWorker();
      const end = await waitForBatch(id, (body) => ['success', 'failed', 'cancelled'].includes(body.status));
      expect(end).toMatchObject({
        status: 'success',
        counts: { operations: 10, success: 10, pending: 0, in_progress: 0, failed: 0 },
        progress_report: '10 out of 10',
      });
      const operations = await operationsOf(id);
      expect(operations.every((operation) => operation.status === 'success')).toBe(true);
      const takenOver = operations.filter((operation) => operation.attempt > 1);
      expect(takenOver.length).toBeGreaterThan(0);
      for (const operation of takenOver)
        expect(await logOf(operation.id)).toContain('taking over from a worker that stopped answering');
      for (const device of devices) expect(device.router.flashCount).toBe(1);
    },
  );
});
