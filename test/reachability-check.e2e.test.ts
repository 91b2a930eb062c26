import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceUpdate } from '../src/modules/devices/devices.table.js';
import { hostKeyFingerprint } from '../src/modules/upgraders/ssh-session.js';
import { parseConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/logger.js';
import { TaskScheduler } from '../src/platform/scheduled-tasks.js';
import { checkReachabilityTask } from '../src/tasks/check-reachability.task.js';
import { makeOrganization } from './helpers/factories.js';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';

/** The reachability check against simulated routers: one run of the task at a time, called directly. */

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

const HOUR_AGO = () => new Date(Date.now() - 3_600_000);

/** One run of the periodic task, as the scheduler would call it. */
async function runCheck(): Promise<void> {
  const { db, secrets, config, logger } = h.t.resources;
  await checkReachabilityTask.run({ db, secrets, config, logger }, new AbortController().signal);
}

async function setDevice(id: string, changes: DeviceUpdate) {
  await h.db.updateTable('devices').set(changes).where('id', '=', id).execute();
}

function device(id: string) {
  return h.db.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
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
  it(
    'marks stale devices that answer as seen (pinning a first key), and leaves a closed port and a changed host ' +
      'key offline',
    async () => {
      const never = await h.addRouter();
      const stale = await h.addRouter();
      const closed = await h.addRouter();
      const impostor = await h.addRouter();
      const before = HOUR_AGO();
      await setDevice(stale.deviceId, { lastSeen: before });
      await setDevice(closed.deviceId, { lastSeen: before });
      await closed.router.stop();
      // Pinned to another key: whatever answers at the address is not the device pinned.
      const otherKey = hostKeyFingerprint(Buffer.from('another device'));
      await setDevice(impostor.deviceId, { lastSeen: before, sshHostKey: otherKey });
      const ids = [never.deviceId, stale.deviceId, closed.deviceId, impostor.deviceId];
      expect(await reachableAmong(ids)).toEqual([]);

      const started = Date.now();
      await runCheck();

      expect((await reachableAmong(ids)).sort()).toEqual([never.deviceId, stale.deviceId].sort());
      for (const reached of [never, stale]) {
        const row = await device(reached.deviceId);
        expect(row.lastSeen!.getTime()).toBeGreaterThanOrEqual(started - 1000);
        expect(reached.router.connections).toBe(1);
      }
      // Trust on first use, as an upgrade's first connection: the key is pinned, and checked from now on.
      const pinned = (await device(never.deviceId)).sshHostKey;
      expect(pinned).toMatch(/^SHA256:/);
      expect((await h.api.get(`/api/v1/devices/${never.deviceId}/`)).json().ssh_host_key).toBe(pinned);

      expect((await device(closed.deviceId)).lastSeen).toEqual(before);
      // The impostor was contacted, and refused at the host key: no contact recorded, the pin kept.
      expect(impostor.router.connections).toBe(1);
      expect(await device(impostor.deviceId)).toMatchObject({ lastSeen: before, sshHostKey: otherKey });
    },
  );

  it(
    'leaves alone devices seen lately, inactive ones, ones without an address or credentials, and devices in an ' +
      'upgrade (it records its own contacts)',
    async () => {
      const recent = await h.addRouter();
      const inactive = await h.addRouter();
      const upgrading = await h.addRouter();
      const addressless = await h.addRouter();
      const fiveMinutesAgo = new Date(Date.now() - 300_000);
      await setDevice(recent.deviceId, { lastSeen: fiveMinutesAgo });
      await setDevice(inactive.deviceId, { lastSeen: HOUR_AGO(), isActive: false });
      await setDevice(addressless.deviceId, { lastSeen: HOUR_AGO(), managementIp: null });
      // An organization without credentials (none of its own, no default), its device at a router that answers.
      const bare = await makeOrganization(h.db);
      const uncredentialed = await h.addRouter();
      await setDevice(uncredentialed.deviceId, { lastSeen: HOUR_AGO(), organizationId: bare.id });
      const upgradingSince = HOUR_AGO();
      await setDevice(upgrading.deviceId, { lastSeen: upgradingSince });
      await upgradeOperation(upgrading.deviceId, { status: 'in-progress' });

      await runCheck();

      for (const untouched of [recent, inactive, upgrading, addressless, uncredentialed]) {
        expect(untouched.router.connections).toBe(0);
        // Not even picked: they take none of a run's places.
        expect((await device(untouched.deviceId)).contactCheckedAt).toBeNull();
      }
      expect((await device(recent.deviceId)).lastSeen).toEqual(fiveMinutesAgo);
      expect((await device(upgrading.deviceId)).lastSeen).toEqual(upgradingSince);
    },
  );

  it('tries a device that does not answer again only after half of devices.offline_after, not every run', async () => {
    const silent = await h.addRouter();
    await setDevice(silent.deviceId, { lastSeen: HOUR_AGO() });
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
    await h.db
      .updateTable('devices')
      .set({ contactCheckedAt: new Date(Date.now() - 460_000) })
      .where('id', '=', silent.deviceId)
      .execute();
    await runCheck();
    expect(silent.router.connections).toBe(1);
    expect(await reachableAmong([silent.deviceId])).toEqual([silent.deviceId]);
  });

  it('wakes a mass upgrade waiting for a device that was offline once the device answers', async () => {
    const back = await h.addRouter();
    await setDevice(back.deviceId, { lastSeen: HOUR_AGO() });
    const waiting = await upgradeOperation(back.deviceId, { status: 'pending', offlineWaits: 1 });
    await runCheck();
    const operation = await h.db
      .selectFrom('upgradeOperations')
      .selectAll()
      .where('id', '=', waiting.id)
      .executeTakeFirstOrThrow();
    expect(operation.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(back.router.connections).toBe(1);
  });

  it('runs every devices.reachability_check_interval seconds, and not at all when the setting is 0', async () => {
    const logger = createLogger('silent');
    const registered = async (env: Record<string, string>) => {
      const config = parseConfig({ ...env, FLEETFLASH_DATA_DIR: h.t.config.dataDir });
      const context = { db: h.db, secrets: h.t.secrets, config, logger };
      const scheduler = new TaskScheduler({
        db: h.db,
        databaseUrl: h.t.database.url,
        logger,
        tasks: [checkReachabilityTask],
        context,
      });
      await scheduler.start();
      await scheduler.stop();
      const rows = await h.db
        .selectFrom('scheduledTasks')
        .selectAll()
        .where('name', '=', checkReachabilityTask.name)
        .execute();
      await h.db.deleteFrom('scheduledTasks').execute();
      return rows;
    };
    expect(await registered({ FLEETFLASH_DEVICE_REACHABILITY_CHECK_INTERVAL: '0' })).toEqual([]);
    const rows = await registered({ FLEETFLASH_DEVICE_REACHABILITY_CHECK_INTERVAL: '1234' });
    expect(rows.map((row) => row.intervalSeconds)).toEqual([1234]);
    // Off unless turned on: see the setting's note on registered devices and credentials.
    expect(parseConfig({}).devices.reachabilityCheckInterval).toBe(0);
  });
});
