import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Faults } from '../simulator/router.js';
import { FakeClock } from './helpers/fake-clock.js';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';

/**
 * Maintenance windows against simulated routers, with a fake clock for the window decisions: an upgrade
 * outside its device's window waits pending (attempt not counted) until the clock is inside it; the end
 * margin; an admin's override; a mass upgrade across two time zones.
 */

let h: Harness;
// Thursday 2026-12-03, 13:00 in Berlin, 07:00 in New York: both nightly windows are closed.
const clock = new FakeClock('2026-12-03T12:00:00Z');
beforeAll(async () => {
  h = await createHarness({ FLEETFLASH_ROLLOUT_CHECK_INTERVAL: '0.05', FLEETFLASH_WINDOW_END_MARGIN: '900' });
  await h.startWorker({ clock });
});
afterAll(async () => {
  await h.close();
});

const EVERY_DAY = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

async function createWindow(name: string, timeZone: string, groups: string[]): Promise<string> {
  const response = await h.api.post('/api/v1/maintenance-windows/', {
    organization: h.organizationId,
    name,
    time_zone: timeZone,
    schedule: [{ days: EVERY_DAY, start: '01:00', end: '05:00' }],
    applies_to: { groups },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id as string;
}

async function operation(id: string) {
  const response = await h.api.get(`/api/v1/firmware/upgrade-operation/${id}/`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

async function waitFor<T>(read: () => Promise<T>, until: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (until(value)) return value;
    if (Date.now() > deadline) throw new Error(`not reached in time: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const waiting = (body: Record<string, any>) => body.status === 'pending' && body.waiting_for_window !== null;

/** What the clock's jump means for the database: the opening the operations wait for has come. */
async function openingReached(operationIds: string[]): Promise<void> {
  await h.db
    .updateTable('upgradeOperations')
    .set({ nextAttemptAt: new Date(Date.now() - 1000) })
    .where('id', 'in', operationIds)
    .execute();
}

/** A router of the group, recorded as running an old image of a fresh category; the new image for it. */
async function routerInGroup(group: string, faults: Faults = {}) {
  await h.newCategory();
  const old = await h.addImage({ os: null });
  const added = await h.addRouter({ group, faults });
  await h.markInstalled(added.deviceId, old.imageId);
  const target = await h.addImage();
  return { ...added, imageId: target.imageId, buildId: target.buildId };
}

describe('maintenance windows', () => {
  it('keeps an upgrade outside its window pending until its opening, attempts unchanged, then runs it', async () => {
    clock.set('2026-12-03T12:00:00Z');
    const windowId = await createWindow('Night', 'Europe/Berlin', ['night-shift']);
    const router = await routerInGroup('night-shift');
    const id = await h.upgrade(router.deviceId, router.imageId);

    const parked = await waitFor(() => operation(id), waiting);
    expect(parked).toMatchObject({
      status: 'pending',
      attempt: 0,
      started_at: null,
      waiting_for_window: {
        window: windowId,
        name: 'Night',
        time_zone: 'Europe/Berlin',
        opens_at: '2026-12-04T00:00:00.000Z',
      },
    });
    expect(parked.log).toContain('Waiting for maintenance window "Night" (opens 2026-12-04 01:00 Europe/Berlin)');
    // Due at the opening, eleven hours ahead (of the database's clock too): no worker takes it meanwhile.
    expect(Date.parse(parked.next_attempt_at) - Date.now()).toBeGreaterThan(10 * 3600 * 1000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await operation(id)).toMatchObject({ status: 'pending', attempt: 0 });
    expect(router.router.flashCount).toBe(0);

    clock.set('2026-12-04T00:30:00Z'); // 01:30 in Berlin
    await openingReached([id]);
    const done = await h.waitForEnd(id);
    expect(done).toMatchObject({ status: 'success', attempt: 1 });
    expect(done.log).toContain('Inside maintenance window "Night" (closes 2026-12-04 05:00 Europe/Berlin).');
    expect((await operation(id)).waiting_for_window).toBeNull();
  });

  it('does not start within the end margin of the window and waits for the next night', async () => {
    await createWindow('Late', 'Europe/Berlin', ['late-shift']);
    clock.set('2026-12-04T03:50:00Z'); // 04:50 in Berlin: ten minutes before the end, margin fifteen
    const router = await routerInGroup('late-shift');
    const id = await h.upgrade(router.deviceId, router.imageId);
    const parked = await waitFor(() => operation(id), waiting);
    expect(parked).toMatchObject({ attempt: 0, waiting_for_window: { opens_at: '2026-12-05T00:00:00.000Z' } });
  });

  it('does not flash when the window came within its end margin during the transfer', async () => {
    await createWindow('Short', 'Europe/Berlin', ['slow-link']);
    clock.set('2026-12-04T02:00:00Z'); // 03:00 in Berlin: open
    const router = await routerInGroup('slow-link', { slowLinkBytesPerSecond: 32 * 1024 });
    const id = await h.upgrade(router.deviceId, router.imageId);
    await waitFor(
      () => operation(id),
      (body) => body.log.includes('Inside maintenance window "Short"'),
    );
    clock.set('2026-12-04T03:50:00Z'); // 04:50 in Berlin while the image is on its way: too late to flash
    const parked = await waitFor(() => operation(id), waiting);
    expect(parked).toMatchObject({ attempt: 0, waiting_for_window: { opens_at: '2026-12-05T00:00:00.000Z' } });
    expect(parked.log).toContain('The maintenance window closes too soon to flash: the device was left as it was.');
    expect(router.router.flashCount).toBe(0);
  });

  it('sends the image again only inside the window when a taken-over flash proved never to happen', async () => {
    await createWindow('Takeover', 'Europe/Berlin', ['taken-over']);
    clock.set('2026-12-03T12:00:00Z'); // 13:00 in Berlin: closed
    const router = await routerInGroup('taken-over');
    const id = await h.upgrade(router.deviceId, router.imageId);
    await waitFor(() => operation(id), waiting);
    // As a worker that recorded the flash and died before the command reached the router leaves it.
    await h.db
      .updateTable('upgradeOperations')
      .set({
        status: 'in-progress',
        attempt: 1,
        startedAt: new Date(),
        flashStartedAt: new Date(),
        bootIdBefore: router.router.state.bootId,
        leaseOwner: 'worker-that-died',
        leaseExpiresAt: new Date(Date.now() - 1000),
        waitingWindowId: null,
        windowOpensAt: null,
      })
      .where('id', '=', id)
      .execute();
    const parked = await waitFor(() => operation(id), waiting);
    expect(parked.log).toContain('the flash was never performed');
    expect(parked.log).toContain('Waiting for maintenance window "Takeover" (opens 2026-12-04 01:00 Europe/Berlin)');
    expect(parked).toMatchObject({
      flash_started: false,
      waiting_for_window: { opens_at: '2026-12-04T00:00:00.000Z' },
    });
    // The crashed attempt stays counted and started; the takeover's claim, which found the window closed, does not.
    expect(parked.attempt).toBe(1);
    expect(parked.started_at).not.toBeNull();
    expect(router.router.uploads).toBe(0);
    expect(router.router.flashCount).toBe(0);

    clock.set('2026-12-04T00:30:00Z'); // 01:30 in Berlin
    await openingReached([id]);
    const done = await h.waitForEnd(id);
    expect(done.status, done.log).toBe('success');
    expect(done.attempt).toBe(2);
    expect(router.router.flashCount).toBe(1);
  });

  it('runs a single upgrade an admin starts with ignore_maintenance_window at once', async () => {
    await createWindow('Closed', 'Europe/Berlin', ['override']);
    clock.set('2026-12-03T12:00:00Z');
    const router = await routerInGroup('override');
    const response = await h.api.put(`/api/v1/firmware/device/${router.deviceId}/firmware/`, {
      image: router.imageId,
      ignore_maintenance_window: true,
    });
    expect(response.statusCode, response.body).toBe(200);
    const id = response.json().upgrade_operation.id as string;
    const done = await h.waitForEnd(id);
    expect(done).toMatchObject({ status: 'success', attempt: 1 });
    expect(done.log).toContain("Starts regardless of the device's maintenance window.");
    expect((await operation(id)).ignore_maintenance_window).toBe(true);
  });

  it('advances a mass upgrade across two time zones while each device waits for its own window', async () => {
    await createWindow('Europe nights', 'Europe/Berlin', ['eu']);
    await createWindow('US nights', 'America/New_York', ['us']);
    // 03:00 in Berlin (open), 21:00 the evening before in New York (closed until 01:00 = 06:00 UTC).
    clock.set('2026-12-04T02:00:00Z');
    await h.newCategory();
    const old = await h.addImage({ os: null });
    const devices = [];
    for (const [group, location] of [
      ['eu', 'berlin'],
      ['us', 'new-york'],
      ['eu', 'berlin'],
      ['us', 'new-york'],
    ] as const) {
      const added = await h.addRouter({ group, location });
      await h.markInstalled(added.deviceId, old.imageId);
      devices.push({ ...added, group });
    }
    const target = await h.addImage();
    // The canary takes one device of each location (the rollout alternates locations); the last stage the rest.
    // One judged device is enough here (failure_threshold_min_decided): the others may wait for their window.
    const launched = await h.api.post(`/api/v1/firmware/build/${target.buildId}/upgrade/`, {
      rollout: { canary_count: 2, stage_sizes: [2], failure_threshold_min_decided: 1 },
    });
    expect(launched.statusCode, launched.body).toBe(201);
    const batchId = launched.json().batch as string;
    const batch = async () => (await h.api.get(`/api/v1/firmware/batch-upgrade-operation/${batchId}/`)).json();

    // The Berlin canary passes the gate alone: the second stage opens while New York waits.
    const advanced = await waitFor(batch, (body) => body.counts.success === 2 && body.counts.waiting_for_window === 2);
    expect(advanced).toMatchObject({
      status: 'in-progress',
      current_stage: 1,
      counts: { pending: 2, waiting_for_window: 2, failed: 0 },
      stages: [
        { stage: 0, success: 1, waiting_for_window: 1, open: 0 },
        { stage: 1, success: 1, waiting_for_window: 1, open: 0 },
      ],
    });
    const operations = (
      await h.api.get(`/api/v1/firmware/batch-upgrade-operation/${batchId}/operations/?page_size=10&status=pending`)
    ).json().results as { id: string; attempt: number; waiting_for_window: { name: string; opens_at: string } }[];
    expect(operations).toHaveLength(2);
    for (const waitingOperation of operations) {
      expect(waitingOperation).toMatchObject({
        attempt: 0,
        waiting_for_window: { name: 'US nights', opens_at: '2026-12-04T06:00:00.000Z' },
      });
    }

    clock.set('2026-12-04T06:30:00Z'); // 01:30 in New York
    await openingReached(operations.map((waitingOperation) => waitingOperation.id));
    const finished = await waitFor(batch, (body) => body.status !== 'in-progress');
    expect(finished).toMatchObject({ status: 'success', counts: { success: 4, waiting_for_window: 0 } });
    for (const device of devices) expect(device.router.flashCount).toBe(1);
  });

  it('pauses a mass upgrade whose device waits for a window that never opens, saying which', async () => {
    // Ten minutes a night: shorter than the margin (fifteen). The API refuses such hours; a margin that grew
    // after the window was saved leaves one like it.
    const window = await h.db
      .insertInto('maintenanceWindows')
      .values({
        organizationId: h.organizationId,
        name: 'Too short',
        timeZone: 'UTC',
        schedule: JSON.stringify([{ days: EVERY_DAY, start: '01:00', end: '01:10' }]),
        groups: ['too-short'],
        locations: [],
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    clock.set('2026-12-04T01:02:00Z');
    const router = await routerInGroup('too-short');
    const launched = await h.api.post(`/api/v1/firmware/build/${router.buildId}/upgrade/`, {});
    expect(launched.statusCode, launched.body).toBe(201);
    const batchId = launched.json().batch as string;
    const batch = async () => (await h.api.get(`/api/v1/firmware/batch-upgrade-operation/${batchId}/`)).json();
    const paused = await waitFor(batch, (body) => body.status === 'paused');
    expect(paused).toMatchObject({ pause_reason: 'window-never-opens' });
    expect(paused.pause_detail).toContain('maintenance window "Too short" never opens');
    const [operation] = (await h.api.get(`/api/v1/firmware/batch-upgrade-operation/${batchId}/operations/`)).json()
      .results;
    expect(operation).toMatchObject({ status: 'pending', waiting_for_window: { window: window.id, opens_at: null } });
    // Decided again at the resume, not a day later.
    expect(Date.parse(operation.next_attempt_at)).toBeLessThanOrEqual(Date.now());
    expect(router.router.flashCount).toBe(0);
  });

  it("lets a mass upgrade's own window override its devices' windows", async () => {
    await createWindow('Nightly 01-05 UTC', 'UTC', ['overridden']);
    const batchWindow = await h.api.post('/api/v1/maintenance-windows/', {
      organization: h.organizationId,
      name: 'Weekend only',
      time_zone: 'UTC',
      schedule: [{ days: ['sat', 'sun'], start: '00:00', end: '23:59' }],
    });
    expect(batchWindow.statusCode, batchWindow.body).toBe(201);
    clock.set('2026-12-04T03:00:00Z'); // Friday: the devices' window is open, the batch's is not
    const router = await routerInGroup('overridden');

    const unknown = await h.api.post(`/api/v1/firmware/build/${router.buildId}/upgrade/`, {
      maintenance_window: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({
      code: 'InvalidReference',
      fields: { maintenance_window: expect.any(String) },
    });

    const launched = await h.api.post(`/api/v1/firmware/build/${router.buildId}/upgrade/`, {
      maintenance_window: batchWindow.json().id,
    });
    expect(launched.statusCode, launched.body).toBe(201);
    const batchId = launched.json().batch as string;
    const batch = async () => (await h.api.get(`/api/v1/firmware/batch-upgrade-operation/${batchId}/`)).json();
    const parked = await waitFor(batch, (body) => body.counts.waiting_for_window === 1);
    expect(parked.maintenance_window).toBe(batchWindow.json().id);
    const [waitingOperation] = (
      await h.api.get(`/api/v1/firmware/batch-upgrade-operation/${batchId}/operations/`)
    ).json().results;
    expect(waitingOperation.waiting_for_window).toMatchObject({
      name: 'Weekend only',
      opens_at: '2026-12-05T00:00:00.000Z',
    });
    expect(router.router.flashCount).toBe(0);
  });
});
