import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATED_BOARDS } from '../simulator/fleet.js';
import type { Faults, SimulatedRouter } from '../simulator/router.js';
import { batchOperations, launchBatch, readBatch } from './helpers/batches.js';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';

/**
 * Mass upgrades against simulated routers: the dry run and its skip reasons, launching, stages and
 * their gates, the failure threshold, pause/resume/cancel/retry-failed, waiting for offline devices.
 */

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ FLEETFLASH_ROLLOUT_CHECK_INTERVAL: '0.05' });
  await h.startWorker();
});
afterAll(async () => {
  await h.close();
});

interface Fleet {
  oldImageId: string;
  newImageId: string;
  buildId: string;
  devices: { router: SimulatedRouter; deviceId: string }[];
}

/** N routers in a category of their own, all recorded as running the old build; a new build with an image for them. */
async function fleet(
  count: number,
  options: {
    faults?: (index: number) => Faults;
    location?: (index: number) => string;
    rebootMs?: number;
    group?: string;
  } = {},
): Promise<Fleet> {
  await h.newCategory();
  const old = await h.addImage({ os: null });
  const devices = [];
  for (let index = 0; index < count; index += 1) {
    const added = await h.addRouter({
      faults: options.faults?.(index) ?? {},
      location: options.location?.(index) ?? '',
      rebootMs: options.rebootMs ?? 100,
      ...(options.group ? { group: options.group } : {}),
    });
    await h.markInstalled(added.deviceId, old.imageId);
    devices.push(added);
  }
  const target = await h.addImage();
  return { oldImageId: old.imageId, newImageId: target.imageId, buildId: target.buildId, devices };
}

const launch = (buildId: string, body: Record<string, unknown> = {}) => launchBatch(h.api, buildId, body);

const batch = (id: string) => readBatch(h.api, id);

async function waitForBatch(id: string, until: (body: Record<string, any>) => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const body = await batch(id);
    if (until(body)) return body;
    if (Date.now() > deadline) throw new Error(`batch did not reach the state in time: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const finished = (body: Record<string, any>) => ['success', 'failed', 'cancelled'].includes(body.status);

const operationsOf = (id: string, query = '') => batchOperations(h.api, id, query);

describe('dry run', () => {
  it('lists the devices to upgrade and, for every other candidate, why it is skipped', async () => {
    const f = await fleet(7);
    const [ok, deactivated, onBuild, running, noAddress] = f.devices;
    await h.api.patch(`/api/v1/devices/${deactivated!.deviceId}/`, { is_active: false });
    await h.markInstalled(onBuild!.deviceId, f.newImageId);
    await h.api.patch(`/api/v1/devices/${noAddress!.deviceId}/`, { management_ip: null });
    // A device whose board has no image in the new build.
    const otherBoard = await h.addRouter({ board: SIMULATED_BOARDS[1]! });
    const otherOld = await h.addImage({ os: null, board: SIMULATED_BOARDS[1]! });
    await h.markInstalled(otherBoard.deviceId, otherOld.imageId);
    // Two devices with no firmware record: one fits the new image, one does not.
    const firmwareless = await h.addRouter({ os: 'OpenWrt SNAPSHOT' });
    const unfitting = await h.addRouter({ os: 'OpenWrt SNAPSHOT', board: SIMULATED_BOARDS[1]! });
    // Another upgrade going on (the worker is stopped so that it stays pending).
    await h.stopWorker();
    const pendingOperation = await h.upgrade(running!.deviceId, f.newImageId);
    try {
      const response = await h.api.get(`/api/v1/firmware/build/${f.buildId}/upgrade/?upgrade_all=true`);
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json();
      const upgraded = [ok!, ...f.devices.slice(5)].map((device) => device.deviceId).sort();
      expect([...body.device_firmwares].sort()).toEqual(upgraded);
      expect(body.devices).toEqual([firmwareless.deviceId]);
      expect(body.devices).not.toContain(unfitting.deviceId);
      const reasons = Object.fromEntries(
        body.skipped.map((skip: { device: string; reason: string }) => [skip.device, skip.reason]),
      );
      expect(reasons).toEqual({
        [deactivated!.deviceId]: 'deactivated',
        [onBuild!.deviceId]: 'already-on-build',
        [running!.deviceId]: 'operation-running',
        [noAddress!.deviceId]: 'no-address',
        [otherBoard.deviceId]: 'no-fitting-image',
      });
      expect(body.skipped.find((skip: { reason: string }) => skip.reason === 'operation-running').detail).toContain(
        pendingOperation,
      );
      // Default policy: a canary of five, then the rest.
      expect(body.stages).toEqual([4]);

      // Nothing changed: no batch, no operation.
      expect((await h.api.get('/api/v1/firmware/batch-upgrade-operation/')).json().count).toBe(0);
      expect((await h.api.get(`/api/v1/firmware/upgrade-operation/?device=${ok!.deviceId}`)).json().count).toBe(0);

      // Without upgrade_all, the device without firmware that fits is skipped, and says how to include it.
      const known = (await h.api.get(`/api/v1/firmware/build/${f.buildId}/upgrade/`)).json();
      expect(known.devices).toEqual([]);
      expect(known.skipped).toContainEqual(
        expect.objectContaining({ device: firmwareless.deviceId, reason: 'not-in-category' }),
      );
    } finally {
      await h.api.post(`/api/v1/firmware/upgrade-operation/${pendingOperation}/cancel/`);
      await h.startWorker();
    }
  });

  it('names devices without credentials', async () => {
    // A group of its own: devices of other tests' categories are in the build's scope too.
    const f = await fleet(1, { group: 'no-credentials' });
    const credentials = (await h.api.get(`/api/v1/credentials/?organization=${h.organizationSlug}`)).json().results[0];
    await h.api.patch(`/api/v1/credentials/${credentials.id}/`, { is_default: false });
    try {
      const body = (await h.api.get(`/api/v1/firmware/build/${f.buildId}/upgrade/?group=no-credentials`)).json();
      expect(body.device_firmwares).toEqual([]);
      expect(body.skipped).toEqual([
        expect.objectContaining({ device: f.devices[0]!.deviceId, reason: 'no-credentials' }),
      ]);
    } finally {
      await h.api.patch(`/api/v1/credentials/${credentials.id}/`, { is_default: true });
    }
  });
});

describe('launch', () => {
  it('refuses bad input with a 4xx naming the field, and creates nothing', async () => {
    const f = await fleet(2);
    const post = (body: Record<string, unknown>, build = f.buildId) =>
      h.api.post(`/api/v1/firmware/build/${build}/upgrade/`, body);
    const cases: [Record<string, unknown>, number, string][] = [
      [{ rollout: { canary_percent: 0 } }, 400, 'rollout.canary_percent'],
      [{ rollout: { canary_percent: 150 } }, 400, 'rollout.canary_percent'],
      [{ rollout: { stage_sizes: [] } }, 400, 'rollout.stage_sizes'],
      [{ rollout: { canary_count: 2, canary_percent: 10 } }, 400, 'rollout.canary_percent'],
      [{ rollout: { stage_factor: 2, stage_sizes: [3] } }, 400, 'rollout.stage_sizes'],
      [{ rollout: { failure_threshold_percent: -1 } }, 400, 'rollout.failure_threshold_percent'],
      [{ rollout: { start_at: 'tomorrow' } }, 400, 'rollout.start_at'],
      [{ wait_for_offline: true, offline_deadline_seconds: -5 }, 400, 'offline_deadline_seconds'],
      [{ offline_deadline_seconds: 60 }, 400, 'offline_deadline_seconds'],
      [{ group: 'nowhere' }, 400, 'group'],
      [{ location: 'mars' }, 400, 'location'],
      [{ organization: 'no-such-org' }, 400, 'organization'],
      [{ upgrade_options: { n: true, c: true } }, 400, ''],
    ];
    for (const [body, status, field] of cases) {
      const response = await post(body);
      expect(response.statusCode, `${JSON.stringify(body)}: ${response.body}`).toBe(status);
      const answer = response.json();
      expect(answer.detail).toBeTruthy();
      if (field) expect(Object.keys(answer.fields ?? {}), JSON.stringify(answer)).toContain(field);
    }
    expect((await post({}, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);

    const emptyBuild = await h.api.post('/api/v1/firmware/build/', { category: h.categoryId, version: 'no-images' });
    const noImages = await post({}, emptyBuild.json().id);
    expect(noImages.statusCode).toBe(400);
    expect(noImages.json().code).toBe('BuildHasNoImages');

    expect((await h.api.get(`/api/v1/firmware/batch-upgrade-operation/?build=${f.buildId}`)).json().count).toBe(0);
    expect((await h.api.get(`/api/v1/firmware/upgrade-operation/?device=${f.devices[0]!.deviceId}`)).json().count).toBe(
      0,
    );
  });

  it('ends a batch whose candidates all skip at once, with the reasons recorded', async () => {
    const f = await fleet(3, { group: 'all-skip' });
    for (const device of f.devices.slice(0, 2)) await h.markInstalled(device.deviceId, f.newImageId);
    await h.api.patch(`/api/v1/devices/${f.devices[2]!.deviceId}/`, { is_active: false });
    const id = await launch(f.buildId, { group: 'all-skip' });
    const body = await batch(id);
    // Devices already on the build or deactivated needed nothing: not failures.
    expect(body).toMatchObject({
      status: 'success',
      total_operations: 0,
      counts: { skipped: 3 },
      skip_reasons: { 'already-on-build': 2, deactivated: 1 },
      progress: 100,
    });
    expect(body.finished_at).toBeTruthy();
    const skipped = (await h.api.get(`/api/v1/firmware/batch-upgrade-operation/${id}/skipped/`)).json();
    expect(skipped.count).toBe(3);

    // A device that should have been upgraded but could not be (no address) is a failure.
    await h.api.patch(`/api/v1/devices/${f.devices[2]!.deviceId}/`, { is_active: true, management_ip: null });
    const failedId = await launch(f.buildId, { group: 'all-skip' });
    expect(await batch(failedId)).toMatchObject({
      status: 'failed',
      skip_reasons: { 'no-address': 1, 'already-on-build': 2 },
    });
  });
});

describe('staged rollout', () => {
  it(
    'runs the canary, then each stage only when the previous one is decided, never more than max_concurrent at ' +
      'once',
    async () => {
      const f = await fleet(8, { rebootMs: 50 });
      const id = await launch(f.buildId, { rollout: { canary_count: 2, stage_sizes: [3], max_concurrent: 2 } });
      const started = await batch(id);
      expect(started).toMatchObject({ status: 'in-progress', stages: [{ size: 2 }, { size: 3 }, { size: 3 }] });
      let peakSeen = 0;
      const end = await waitForBatch(
        id,
        (body) => {
          peakSeen = Math.max(peakSeen, body.counts.in_progress);
          return finished(body);
        },
        60_000,
      );
      expect(peakSeen).toBeLessThanOrEqual(2);
      expect(end).toMatchObject({
        status: 'success',
        counts: { operations: 8, success: 8, failed: 0 },
        progress: 100,
        progress_report: '8 out of 8',
        success_rate: 100,
      });
      for (const device of f.devices) expect(device.router.flashCount).toBe(1);

      const operations = await operationsOf(id);
      const byStage = [0, 1, 2].map((stage) => operations.filter((operation) => operation.stage === stage));
      expect(byStage.map((ops) => ops.length)).toEqual([2, 3, 3]);
      for (let stage = 1; stage < 3; stage += 1) {
        const previousEnd = Math.max(...byStage[stage - 1]!.map((operation) => Date.parse(operation.finished_at)));
        for (const operation of byStage[stage]!)
          expect(Date.parse(operation.started_at)).toBeGreaterThanOrEqual(previousEnd);
      }
      // At most two operations overlapped at any moment (an operation retried after a recoverable
      // failure was not in flight between its attempts: only first-attempt ones give exact intervals).
      const moments = operations
        .filter((operation) => operation.attempt === 1)
        .flatMap((operation) => [
          { at: Date.parse(operation.started_at), delta: 1 },
          { at: Date.parse(operation.finished_at), delta: -1 },
        ])
        .sort((a, b) => a.at - b.at || a.delta - b.delta);
      let inFlight = 0;
      let peak = 0;
      for (const moment of moments) {
        inFlight += moment.delta;
        peak = Math.max(peak, inFlight);
      }
      expect(
        peak,
        JSON.stringify(operations.map((o) => [o.stage, o.attempt, o.started_at, o.finished_at])),
      ).toBeLessThanOrEqual(2);
      expect(peak).toBeGreaterThanOrEqual(1);

      // The sub-list filters.
      expect((await operationsOf(id, '&stage=1')).length).toBe(3);
      expect((await operationsOf(id, '&status=failed')).length).toBe(0);
      const list = (await h.api.get(`/api/v1/firmware/batch-upgrade-operation/?build=${f.buildId}`)).json();
      expect(list.results[0]).toMatchObject({ id, status: 'success', progress_report: '8 out of 8' });
    },
  );

  it('puts one device of each location in the canary before a second of any', async () => {
    const f = await fleet(6, { location: (index) => ['north', 'south', 'east'][index % 3]! });
    await h.stopWorker();
    try {
      const id = await launch(f.buildId, { rollout: { canary_count: 3 } });
      const canary = await operationsOf(id, '&stage=0');
      const locations = await Promise.all(
        canary.map(async (operation) => (await h.api.get(`/api/v1/devices/${operation.device}/`)).json().location),
      );
      expect(locations.sort()).toEqual(['east', 'north', 'south']);
      await h.api.post(`/api/v1/firmware/batch-upgrade-operation/${id}/cancel/`);
    } finally {
      await h.startWorker();
    }
  });

  it('pauses itself at the failure threshold; resume, retry-failed and the gate behave', async () => {
    // Routers 1 and 2 report another board: the upgrader aborts them (device untouched).
    const f = await fleet(8, { faults: (index) => (index < 2 ? { boardMismatch: 'tplink,archer-c7-v5' } : {}) });
    const id = await launch(f.buildId, {
      rollout: {
        canary_count: 4,
        stage_sizes: [4],
        failure_threshold_percent: 30,
        failure_threshold_min_decided: 4,
        success_gate_percent: 90,
      },
    });
    const paused = await waitForBatch(id, (body) => body.status === 'paused');
    expect(paused.pause_reason).toBe('failure-threshold');
    expect(paused.pause_detail).toContain('2 of 4');
    expect(paused.counts).toMatchObject({ aborted: 2, success: 2 });
    expect(paused.current_stage).toBe(0);
    // The next stage was never released.
    expect(
      (await operationsOf(id, '&stage=1')).every(
        (operation) => operation.status === 'pending' && operation.attempt === 0,
      ),
    ).toBe(true);

    // Fix the routers, retry the failed ones: the batch stays paused until resumed.
    for (const device of f.devices.slice(0, 2)) {
      device.router.faults.boardMismatch = undefined;
      device.router.state.reportedBoard = SIMULATED_BOARDS[0]!.boardName;
    }
    const retried = await h.api.post(`/api/v1/firmware/batch-upgrade-operation/${id}/retry-failed/`);
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({ status: 'paused', counts: { aborted: 0, pending: 6 } });
    const resumed = await h.api.post(`/api/v1/firmware/batch-upgrade-operation/${id}/resume/`);
    expect(resumed.statusCode, resumed.body).toBe(200);
    const end = await waitForBatch(id, finished, 60_000);
    expect(end).toMatchObject({ status: 'success', counts: { operations: 8, success: 8, aborted: 0 } });
    for (const device of f.devices) expect(device.router.flashCount).toBe(1);
    // The retried operations are kept in the history, replaced in the counts.
    const all = (await h.api.get(`/api/v1/firmware/upgrade-operation/?device=${f.devices[0]!.deviceId}`)).json();
    expect(all.results.map((operation: { status: string }) => operation.status).sort()).toEqual(['aborted', 'success']);

    expect((await h.api.post(`/api/v1/firmware/batch-upgrade-operation/${id}/resume/`)).statusCode).toBe(409);
    expect((await h.api.post(`/api/v1/firmware/batch-upgrade-operation/${id}/retry-failed/`)).json().code).toBe(
      'BatchStateConflict',
    );
  });

  it('pauses at a stage whose success rate misses the gate; resuming accepts it and goes on', async () => {
    const f = await fleet(4, { faults: (index) => (index === 0 ? { boardMismatch: 'tplink,archer-c7-v5' } : {}) });
    const id = await launch(f.buildId, {
      rollout: { canary_count: 2, success_gate_percent: 100, failure_threshold_percent: 100 },
    });
    const paused = await waitForBatch(id, (body) => body.status === 'paused');
    expect(paused).toMatchObject({ pause_reason: 'stage-gate', current_stage: 0, counts: { aborted: 1, success: 1 } });
    await h.api.post(`/api/v1/firmware/batch-upgrade-operation/${id}/resume/`);
    const end = await waitForBatch(id, finished);
    expect(end).toMatchObject({ status: 'failed', counts: { success: 3, aborted: 1 } });
  });

  it('pause stops new operations, resume continues, cancel cancels everything not flashing', async () => {
    const f = await fleet(6, { faults: () => ({ slowLinkBytesPerSecond: 200_000 }) });
    const id = await launch(f.buildId, { rollout: { canary_percent: 100, max_concurrent: 2 } });
    await waitForBatch(id, (body) => body.counts.in_progress > 0);
    const paused = await h.api.post(`/api/v1/firmware/batch-upgrade-operation/${id}/pause/`);
    expect(paused.json()).toMatchObject({ status: 'paused', pause_reason: 'manual' });
    // Running ones finish; nothing new starts.
    const settled = await waitForBatch(id, (body) => body.counts.in_progress === 0, 30_000);
    const startedWhilePaused = settled.counts.success + settled.counts.failed;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await batch(id)).counts.in_progress).toBe(0);
    expect(startedWhilePaused).toBeLessThanOrEqual(2);

    expect((await h.api.post(`/api/v1/firmware/batch-upgrade-operation/${id}/resume/`)).json().status).toBe(
      'in-progress',
    );
    await waitForBatch(id, (body) => body.counts.in_progress > 0);
    const cancelled = await h.api.post(`/api/v1/firmware/batch-upgrade-operation/${id}/cancel/`);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json().status).toBe('cancelled');
    const end = await waitForBatch(id, (body) => body.counts.pending === 0 && body.counts.in_progress === 0);
    expect(end.status).toBe('cancelled');
    expect(end.counts.cancelled).toBeGreaterThan(0);
    expect(end.counts.success + end.counts.cancelled).toBe(6);
    const log = (
      await h.api.get(`/api/v1/firmware/upgrade-operation/${(await operationsOf(id, '&status=cancelled'))[0]!.id}/`)
    ).json().log;
    expect(log).toContain('with the whole mass upgrade');
    for (const device of f.devices) expect(device.router.flashCount).toBeLessThanOrEqual(1);
    expect((await h.api.post(`/api/v1/firmware/batch-upgrade-operation/${id}/pause/`)).statusCode).toBe(409);
  });

  it('waits for a scheduled start', async () => {
    const f = await fleet(1);
    const id = await launch(f.buildId, { rollout: { start_at: new Date(Date.now() + 1500).toISOString() } });
    const scheduled = await batch(id);
    expect(scheduled.status).toBe('scheduled');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await batch(id)).counts.pending).toBe(1);
    const end = await waitForBatch(id, finished);
    expect(end.status).toBe('success');
    expect(Date.parse(end.started_at)).toBeGreaterThanOrEqual(Date.parse(scheduled.start_at));
  });
});

describe('offline devices', () => {
  async function registerAgain(router: SimulatedRouter, secret: string) {
    const description = router.describe();
    const response = await h.api.post('/api/v1/devices/register/', {
      organization: h.organizationSlug,
      secret,
      mac_address: description.mac_address,
      os: description.os,
      board_name: description.board_name,
      model: description.model,
      management_ip: description.host,
      ssh_port: description.port,
    });
    expect(response.statusCode, response.body).toBeLessThan(300);
  }

  it('waits for a device that comes back before the deadline, and upgrades it when it registers', async () => {
    const secret = (await h.api.post(`/api/v1/organizations/${h.organizationId}/registration-secret/`)).json()
      .secret as string;
    const f = await fleet(2);
    const offline = f.devices[1]!.router;
    await offline.stop();
    const launchedAt = Date.now();
    const id = await launch(f.buildId, {
      wait_for_offline: true,
      offline_deadline_seconds: 3600,
      rollout: { canary_percent: 100 },
    });
    const waiting = await waitForBatch(id, (body) => body.counts.waiting_offline === 1 && body.counts.success === 1);
    expect(waiting.status).toBe('in-progress');
    // The tests' retry backoff is 50 ms, so the waiting operation is pending between tries most of the time,
    // and its next try may already be due when read on a loaded machine: read it while pending.
    let operation: Record<string, any> | undefined;
    for (let tries = 0; !operation && tries < 200; tries += 1) {
      operation = (await operationsOf(id, '&status=pending'))[0];
      if (!operation) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(operation, 'the offline operation is pending between tries').toBeDefined();
    expect(operation!.error_code).toBe('unreachable');
    // A next try is scheduled, and never past the batch's deadline.
    const nextAttempt = Date.parse(operation!.next_attempt_at);
    expect(nextAttempt).toBeGreaterThan(launchedAt);
    expect(nextAttempt).toBeLessThanOrEqual(Date.now() + 3600_000);
    // Not counted against the retry budget.
    expect(operation!.attempt).toBe(0);

    await offline.start();
    await registerAgain(offline, secret);
    const end = await waitForBatch(id, finished);
    expect(end).toMatchObject({ status: 'success', counts: { success: 2 } });
    expect(offline.flashCount).toBe(1);
    const log = (await h.api.get(`/api/v1/firmware/upgrade-operation/${operation!.id}/`)).json().log;
    expect(log).toContain('The mass upgrade waits for it until');
  });

  it(
    'fails a device still offline at the deadline, and a batch without waiting fails it by the retry ' + 'rules',
    async () => {
      const f = await fleet(1);
      await f.devices[0]!.router.stop();
      const id = await launch(f.buildId, { wait_for_offline: true, offline_deadline_seconds: 1 });
      const end = await waitForBatch(id, finished);
      expect(end).toMatchObject({ status: 'failed', counts: { failed: 1 } });
      const operation = (await operationsOf(id))[0]!;
      expect(operation.error_code).toBe('offline-deadline');

      const plain = await launch(f.buildId, {});
      const plainEnd = await waitForBatch(plain, finished);
      expect(plainEnd.status).toBe('failed');
      expect((await operationsOf(plain))[0]!.error_code).toBe('max-retries-exceeded');
    },
  );
});
