import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceUpdate } from '../src/modules/devices/devices.table.js';
import { hostKeyFingerprint, SshSession } from '../src/modules/upgraders/ssh-session.js';
import { createAddressPolicy } from '../src/platform/address-policy.js';
import { parseConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/logger.js';
import { TaskScheduler } from '../src/platform/scheduled-tasks.js';
import { checkReachabilityTask } from '../src/tasks/check-reachability.task.js';
import {
  CONNECTIONS_AT_ONCE,
  checkDeviceReachability,
  type ReachabilityCheckResult,
} from '../src/use-cases/check-device-reachability.js';
import type { SimulatedRouter } from '../simulator/router.js';
import { makeOrganization } from './helpers/factories.js';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';
import { until } from './helpers/wait.js';

/** The reachability check against simulated routers: one run at a time, called directly. */

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

const HOUR_AGO = () => new Date(Date.now() - 3_600_000);

/** Log lines of the last run, parsed. */
let logged: { level: number; msg: string; [key: string]: unknown }[] = [];
const capture = new Writable({
  write(chunk: Buffer, _encoding, done) {
    logged.push(JSON.parse(`${chunk}`));
    done();
  },
});
const logger = pino({ level: 'debug' }, capture);

/** One run of the check, as the task runs it (with the same context), with a budget when given. */
async function runCheck(budgetMs?: number): Promise<ReachabilityCheckResult> {
  logged = [];
  const { db, config } = h.t.resources;
  return checkDeviceReachability({ db, config, logger }, budgetMs === undefined ? {} : { budgetMs });
}

async function setDevice(id: string, changes: DeviceUpdate) {
  await h.db.updateTable('devices').set(changes).where('id', '=', id).execute();
}

function device(id: string) {
  return h.db.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** The fingerprint the router presents, as an upgrade's first connection would have pinned it. */
function keyOf(router: SimulatedRouter): string {
  return hostKeyFingerprint(router.hostPublicKey);
}

/** A simulated router whose device is stale (seen an hour ago) with its real host key pinned. */
async function pinnedStaleRouter() {
  const added = await h.addRouter();
  const lastSeen = HOUR_AGO();
  await setDevice(added.deviceId, { lastSeen, sshHostKey: keyOf(added.router) });
  return { ...added, lastSeen };
}

/** Which of these devices the device list shows as reachable. */
async function reachableAmong(ids: string[]): Promise<string[]> {
  const response = await h.api.get(`/api/v1/devices/?organization=${h.organizationSlug}&reachable=true&page_size=100`);
  expect(response.statusCode).toBe(200);
  return (response.json().results as { id: string }[]).map((row) => row.id).filter((id) => ids.includes(id));
}

async function upgradeOperation(
  deviceId: string,
  values: { status: 'pending' | 'in-progress'; offlineWaits?: number },
) {
  const { imageId } = await h.addImage();
  return h.db
    .insertInto('upgradeOperations')
    .values({
      deviceId,
      imageId,
      imageSha256: 'a'.repeat(64),
      nextAttemptAt: new Date(Date.now() + 86_400_000),
      ...values,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

describe('the reachability check', () => {
  it('marks a stale device that proves its pinned host key as seen, without any authentication attempt', async () => {
    const reached = await pinnedStaleRouter();
    const pinned = keyOf(reached.router);
    expect(await reachableAmong([reached.deviceId])).toEqual([]);

    const started = Date.now();
    const result = await runCheck();

    expect(result).toMatchObject({ checked: 1, reached: 1, hostKeyChanged: 0 });
    expect(await reachableAmong([reached.deviceId])).toEqual([reached.deviceId]);
    const row = await device(reached.deviceId);
    expect(row.lastSeen!.getTime()).toBeGreaterThanOrEqual(started - 1000);
    expect(row.sshHostKey).toBe(pinned);
    expect(reached.router.connections).toBe(1);
    // The server saw a key exchange and nothing after it: no user name, no password, not even 'none'.
    expect(reached.router.authAttempts).toBe(0);
    // And the probe closed its connection.
    expect(
      await until(
        async () => reached.router.openConnections,
        (open) => open === 0,
        5000,
      ),
    ).toBe(0);

    // The counter does count logins: the upgrade's connect to the same router makes one.
    const session = await SshSession.connect({
      host: reached.router.address.host,
      port: reached.router.address.port,
      addressPolicy: createAddressPolicy(h.t.config.devices),
      credentials: { username: reached.router.username, password: reached.router.password },
      expectedHostKey: pinned,
      timeoutMs: 5000,
    });
    session.close();
    expect(reached.router.authAttempts).toBeGreaterThan(0);
  });

  it('leaves a device presenting another host key offline, its pin unchanged, with a warning', async () => {
    const impostor = await pinnedStaleRouter();
    // Pinned to another key: whatever answers at the address is not the device pinned.
    const otherKey = hostKeyFingerprint(Buffer.from('another device'));
    await setDevice(impostor.deviceId, { sshHostKey: otherKey });
    const closed = await pinnedStaleRouter();
    await closed.router.stop();

    const result = await runCheck();

    expect(result).toMatchObject({ checked: 2, reached: 0, hostKeyChanged: 1 });
    expect(impostor.router.connections).toBe(1);
    expect(impostor.router.authAttempts).toBe(0);
    expect(await device(impostor.deviceId)).toMatchObject({ lastSeen: impostor.lastSeen, sshHostKey: otherKey });
    expect(await device(closed.deviceId)).toMatchObject({
      lastSeen: closed.lastSeen,
      sshHostKey: keyOf(closed.router),
    });
    expect(await reachableAmong([impostor.deviceId, closed.deviceId])).toEqual([]);
    const warnings = logged.filter((line) => line.level === 40);
    expect(warnings).toEqual([
      expect.objectContaining({
        device: impostor.deviceId,
        pinned: otherKey,
        presented: keyOf(impostor.router),
        msg: expect.stringContaining('host key'),
      }),
    ]);
  });

  it('reaches a router until its host key changes, then reports the change and keeps the old pin', async () => {
    const changing = await h.addRouter({ faults: { changedHostKey: true } });
    const first = keyOf(changing.router);
    await setDevice(changing.deviceId, { lastSeen: HOUR_AGO(), sshHostKey: first });
    expect(await runCheck()).toMatchObject({ checked: 1, reached: 1 });

    // From its second connection on the router presents another identity (as after a reinstall).
    const second = keyOf(changing.router);
    expect(second).not.toBe(first);
    await setDevice(changing.deviceId, { lastSeen: HOUR_AGO(), contactCheckedAt: HOUR_AGO() });
    expect(await runCheck()).toMatchObject({ checked: 1, reached: 0, hostKeyChanged: 1 });
    expect(logged).toContainEqual(expect.objectContaining({ level: 40, pinned: first, presented: second }));
    expect((await device(changing.deviceId)).sshHostKey).toBe(first);
    expect(changing.router.authAttempts).toBe(0);
  });

  it('keeps the address rule: a device at a refused address is not contacted', async () => {
    const linkLocal = await pinnedStaleRouter();
    await setDevice(linkLocal.deviceId, { managementIp: '169.254.169.254' });

    expect(await runCheck()).toMatchObject({ checked: 1, reached: 0 });

    expect(await device(linkLocal.deviceId)).toMatchObject({ lastSeen: linkLocal.lastSeen });
    expect(logged).toContainEqual(
      expect.objectContaining({ device: linkLocal.deviceId, kind: 'address-not-allowed', level: 30 }),
    );
  });

  it('does not probe a device without a pinned host key, nor pin one, and counts it as skipped', async () => {
    const unpinned = await h.addRouter();
    await setDevice(unpinned.deviceId, { lastSeen: HOUR_AGO(), sshHostKey: null });
    const neverSeen = await h.addRouter();
    await setDevice(neverSeen.deviceId, { lastSeen: null, sshHostKey: null });

    const result = await runCheck();

    expect(result.skippedUnpinned).toBeGreaterThanOrEqual(2);
    for (const skipped of [unpinned, neverSeen]) {
      expect(skipped.router.connections).toBe(0);
      expect(await device(skipped.deviceId)).toMatchObject({ sshHostKey: null, contactCheckedAt: null });
    }
  });

  it(
    'probes devices whose organization has no credentials (it reads none), and leaves alone devices seen ' +
      'lately, inactive ones, ones without an address and devices in an upgrade',
    async () => {
      const bare = await makeOrganization(h.db);
      const uncredentialed = await pinnedStaleRouter();
      await setDevice(uncredentialed.deviceId, { organizationId: bare.id });
      const recent = await pinnedStaleRouter();
      const inactive = await pinnedStaleRouter();
      const upgrading = await pinnedStaleRouter();
      const addressless = await pinnedStaleRouter();
      const fiveMinutesAgo = new Date(Date.now() - 300_000);
      await setDevice(recent.deviceId, { lastSeen: fiveMinutesAgo });
      await setDevice(inactive.deviceId, { isActive: false });
      await setDevice(addressless.deviceId, { managementIp: null });
      await upgradeOperation(upgrading.deviceId, { status: 'in-progress' });

      await runCheck();

      expect(uncredentialed.router.connections).toBe(1);
      expect((await device(uncredentialed.deviceId)).lastSeen!.getTime()).toBeGreaterThan(Date.now() - 60_000);
      for (const untouched of [recent, inactive, upgrading, addressless]) {
        expect(untouched.router.connections).toBe(0);
        // Not even picked: they take none of a run's places.
        expect((await device(untouched.deviceId)).contactCheckedAt).toBeNull();
      }
      expect((await device(recent.deviceId)).lastSeen).toEqual(fiveMinutesAgo);
      expect((await device(upgrading.deviceId)).lastSeen).toEqual(upgrading.lastSeen);
    },
  );

  it('tries a device that does not answer again only after half of devices.offline_after, not every run', async () => {
    const silent = await pinnedStaleRouter();
    silent.router.offline = true;
    await runCheck();
    const tried = (await device(silent.deviceId)).contactCheckedAt;
    expect(tried).not.toBeNull();

    // It answers now, but it was tried a moment ago: the next run passes it by.
    silent.router.offline = false;
    await runCheck();
    expect(silent.router.connections).toBe(0);
    expect((await device(silent.deviceId)).contactCheckedAt).toEqual(tried);

    // Tried longer ago than half of offline_after (450 s): due again, and reached.
    await setDevice(silent.deviceId, { contactCheckedAt: new Date(Date.now() - 460_000) });
    await runCheck();
    expect(silent.router.connections).toBe(1);
    expect(await reachableAmong([silent.deviceId])).toEqual([silent.deviceId]);
  });

  it('claims devices a few at a time until none is due, and claims none once its time budget is spent', async () => {
    const many = [];
    for (let i = 0; i < CONNECTIONS_AT_ONCE + 5; i += 1) many.push(await pinnedStaleRouter());

    // No budget left: nothing is claimed, so nothing is marked as tried without being tried.
    expect(await runCheck(0)).toMatchObject({ checked: 0, reached: 0 });
    for (const { deviceId } of many) expect((await device(deviceId)).contactCheckedAt).toBeNull();

    // More devices than one claim holds: the run claims again as the first ones finish.
    expect(await runCheck()).toMatchObject({ checked: many.length, reached: many.length });
    for (const { router } of many) expect(router.connections).toBe(1);
  });

  it('wakes a mass upgrade waiting for a device that was offline once the device answers', async () => {
    const back = await pinnedStaleRouter();
    const waiting = await upgradeOperation(back.deviceId, { status: 'pending', offlineWaits: 1 });
    await runCheck();
    const operation = await h.db.selectFrom('upgradeOperations').selectAll().where('id', '=', waiting.id).execute();
    expect(operation[0]!.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(back.router.connections).toBe(1);
  });

  it('runs every devices.reachability_check_interval seconds (300 by default), not at all when it is 0', async () => {
    const silent = createLogger('silent');
    const registered = async (env: Record<string, string>) => {
      const config = parseConfig({ ...env, FLEETFLASH_DATA_DIR: h.t.config.dataDir });
      const context = { db: h.db, config, logger: silent };
      const options = { db: h.db, databaseUrl: h.t.database.url, logger: silent, context };
      const scheduler = new TaskScheduler({ ...options, tasks: [checkReachabilityTask] });
      await scheduler.start();
      await scheduler.stop();
      const name = checkReachabilityTask.name;
      const rows = await h.db.selectFrom('scheduledTasks').selectAll().where('name', '=', name).execute();
      await h.db.deleteFrom('scheduledTasks').execute();
      return rows;
    };
    expect(await registered({ FLEETFLASH_DEVICE_REACHABILITY_CHECK_INTERVAL: '0' })).toEqual([]);
    const rows = await registered({ FLEETFLASH_DEVICE_REACHABILITY_CHECK_INTERVAL: '1234' });
    expect(rows.map((row) => row.intervalSeconds)).toEqual([1234]);
    expect(parseConfig({}).devices.reachabilityCheckInterval).toBe(300);
  });
});
