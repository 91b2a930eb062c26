import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { findWindowForBatch } from '../src/modules/maintenance-windows/maintenance-window.service.js';
import {
  actorFor,
  makeBuild,
  makeCategory,
  makeImageRow,
  makeOrganization,
  makeToken,
  makeUser,
} from './helpers/factories.js';
import { client } from './helpers/http.js';

/** The maintenance-window resource: CRUD, validation, roles, organizations, audit log, conflicts. */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

async function setup() {
  const organization = await makeOrganization(t.db);
  const admin = client(
    t.app,
    await makeToken(t.db, await makeUser(t.db, { memberships: [{ organization, role: 'admin' }] })),
  );
  const operator = client(
    t.app,
    await makeToken(t.db, await makeUser(t.db, { memberships: [{ organization, role: 'operator' }] })),
  );
  return { organization, admin, operator };
}

const NIGHT = {
  name: 'Night',
  time_zone: 'Europe/Berlin',
  schedule: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '01:00', end: '05:00' }],
  applies_to: { groups: ['branch-offices'], locations: ['berlin'] },
};

describe('maintenance windows API', () => {
  it('creates, lists, reads, changes and deletes a window, each change in the audit log', async () => {
    const { organization, admin } = await setup();
    const created = await admin.post('/api/v1/maintenance-windows/', { ...NIGHT, time_zone: 'europe/berlin' });
    expect(created.statusCode).toBe(201);
    const window = created.json();
    expect(window).toMatchObject({
      organization: organization.id,
      name: 'Night',
      time_zone: 'Europe/Berlin', // the canonical spelling
      schedule: NIGHT.schedule,
      applies_to: NIGHT.applies_to,
    });

    const list = await admin.get('/api/v1/maintenance-windows/');
    expect(list.json()).toMatchObject({ count: 1, results: [{ id: window.id }] });
    expect((await admin.get(`/api/v1/maintenance-windows/${window.id}/`)).json().name).toBe('Night');

    const changed = await admin.patch(`/api/v1/maintenance-windows/${window.id}/`, {
      schedule: [{ days: ['sat', 'sun'], start: '22:00', end: '04:00' }],
      applies_to: { groups: ['branch-offices', 'warehouses'] },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({
      schedule: [{ days: ['sat', 'sun'], start: '22:00', end: '04:00' }],
      applies_to: { groups: ['branch-offices', 'warehouses'], locations: ['berlin'] },
    });

    expect((await admin.delete(`/api/v1/maintenance-windows/${window.id}/`)).statusCode).toBe(204);
    expect((await admin.get(`/api/v1/maintenance-windows/${window.id}/`)).statusCode).toBe(404);

    const audit = await t.db
      .selectFrom('auditLog')
      .select(['action', 'details'])
      .where('targetId', '=', window.id)
      .orderBy('id')
      .execute();
    expect(audit.map((entry) => entry.action)).toEqual([
      'maintenance_window.created',
      'maintenance_window.updated',
      'maintenance_window.deleted',
    ]);
    expect(audit[1]!.details).toMatchObject({
      groups: { from: ['branch-offices'], to: ['branch-offices', 'warehouses'] },
    });
  });

  it('refuses unknown time zones, malformed times and periods of no length with a 400 naming the field', async () => {
    const { admin } = await setup();
    const zone = await admin.post('/api/v1/maintenance-windows/', { ...NIGHT, time_zone: 'Mars/Olympus_Mons' });
    expect(zone.statusCode).toBe(400);
    expect(zone.json()).toMatchObject({ code: 'ValidationFailed', fields: { time_zone: 'unknown time zone' } });
    const abbreviation = await admin.post('/api/v1/maintenance-windows/', { ...NIGHT, time_zone: 'CET' });
    expect(abbreviation.statusCode).toBe(400);
    const blank = await admin.post('/api/v1/maintenance-windows/', { ...NIGHT, name: '   ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json()).toMatchObject({ code: 'ValidationFailed', fields: { name: 'blank' } });
    // A time zone ICU knows under an older name is kept as given.
    const kyiv = await admin.post('/api/v1/maintenance-windows/', {
      ...NIGHT,
      name: 'Kyiv nights',
      time_zone: 'Europe/Kyiv',
      applies_to: {},
    });
    expect(kyiv.statusCode, kyiv.body).toBe(201);
    expect(kyiv.json().time_zone).toBe('Europe/Kyiv');
    const renamed = await admin.patch(`/api/v1/maintenance-windows/${kyiv.json().id}/`, { name: ' \t ' });
    expect(renamed.statusCode).toBe(400);
    expect(renamed.json().fields).toEqual({ name: 'blank' });

    const time = await admin.post('/api/v1/maintenance-windows/', {
      ...NIGHT,
      schedule: [{ days: ['mon'], start: '25:00', end: '05:00' }],
    });
    expect(time.statusCode).toBe(400);
    expect(Object.keys(time.json().fields ?? {}).join()).toContain('start');

    const day = await admin.post('/api/v1/maintenance-windows/', {
      ...NIGHT,
      schedule: [{ days: ['someday'], start: '01:00', end: '05:00' }],
    });
    expect(day.statusCode).toBe(400);

    const empty = await admin.post('/api/v1/maintenance-windows/', {
      ...NIGHT,
      schedule: [{ days: ['mon'], start: '03:00', end: '03:00' }],
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().fields).toEqual({ 'schedule.0.end': 'equals the start' });
  });

  it('refuses a window that never opens: no period longer than the end margin (15 min by default)', async () => {
    const { admin } = await setup();
    const short = await admin.post('/api/v1/maintenance-windows/', {
      ...NIGHT,
      schedule: [{ days: ['mon'], start: '01:00', end: '01:05' }],
    });
    expect(short.statusCode).toBe(400);
    expect(short.json()).toMatchObject({
      code: 'ValidationFailed',
      fields: { 'schedule.0.end': 'not more than 15 min after the start' },
    });
    expect(short.json().detail).toContain('never opens');
    expect(short.json().detail).toContain('mon 01:00–01:05');

    // Touching periods count as one: 23:50-00:00 and 00:00-00:10 make a twenty-minute night.
    const touching = await admin.post('/api/v1/maintenance-windows/', {
      ...NIGHT,
      applies_to: {},
      schedule: [
        { days: ['mon'], start: '23:50', end: '00:00' },
        { days: ['tue'], start: '00:00', end: '00:10' },
      ],
    });
    expect(touching.statusCode, touching.body).toBe(201);

    const window = (await admin.post('/api/v1/maintenance-windows/', { ...NIGHT, name: 'Later' })).json();
    const shortened = await admin.patch(`/api/v1/maintenance-windows/${window.id}/`, {
      schedule: [{ days: ['sat'], start: '04:00', end: '04:15' }],
    });
    expect(shortened.statusCode).toBe(400);
    expect(shortened.json().fields).toEqual({ 'schedule.0.end': 'not more than 15 min after the start' });
  });

  it('gives each group and location to one window only, and names unique per organization', async () => {
    const { admin } = await setup();
    expect((await admin.post('/api/v1/maintenance-windows/', NIGHT)).statusCode).toBe(201);
    const sameGroup = await admin.post('/api/v1/maintenance-windows/', {
      ...NIGHT,
      name: 'Weekend',
      applies_to: { groups: ['branch-offices'] },
    });
    expect(sameGroup.statusCode).toBe(409);
    expect(sameGroup.json()).toMatchObject({ code: 'Conflict' });
    expect(sameGroup.json().fields['applies_to.groups']).toContain('Night');

    const sameName = await admin.post('/api/v1/maintenance-windows/', { ...NIGHT, applies_to: {} });
    expect(sameName.statusCode).toBe(409);
    expect(sameName.json().code).toBe('DuplicateMaintenanceWindowName');
  });

  it('lets operators read but not write, and hides other organizations\u2019 windows', async () => {
    const { organization, admin, operator } = await setup();
    const window = (await admin.post('/api/v1/maintenance-windows/', NIGHT)).json();
    expect((await operator.get(`/api/v1/maintenance-windows/${window.id}/`)).statusCode).toBe(200);
    const create = await operator.post('/api/v1/maintenance-windows/', {
      ...NIGHT,
      organization: organization.id,
      name: 'Day',
      applies_to: {},
    });
    expect(create.statusCode).toBe(403);
    const patch = await operator.patch(`/api/v1/maintenance-windows/${window.id}/`, { name: 'Day' });
    expect(patch.statusCode).toBe(403);
    expect((await operator.delete(`/api/v1/maintenance-windows/${window.id}/`)).statusCode).toBe(403);

    const stranger = (await setup()).admin;
    expect((await stranger.get(`/api/v1/maintenance-windows/${window.id}/`)).statusCode).toBe(404);
    expect((await stranger.patch(`/api/v1/maintenance-windows/${window.id}/`, { name: 'Mine' })).statusCode).toBe(404);
    expect((await stranger.get('/api/v1/maintenance-windows/')).json().count).toBe(0);
  });

  it('refuses to delete a window a running mass upgrade uses', async () => {
    const { organization, admin } = await setup();
    const window = (await admin.post('/api/v1/maintenance-windows/', NIGHT)).json();
    await t.db
      .insertInto('batchUpgradeOperations')
      .values({
        buildVersion: '1',
        organizationId: organization.id,
        status: 'paused',
        rollout: '{}',
        stageSizes: [1],
        maxConcurrent: 1,
        maintenanceWindowId: window.id,
      })
      .execute();
    const refused = await admin.delete(`/api/v1/maintenance-windows/${window.id}/`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('MaintenanceWindowInUse');
  });

  it('makes a delete wait for a mass upgrade launch that names the window, then refuses it (409)', async () => {
    const { organization, admin } = await setup();
    const window = (await admin.post('/api/v1/maintenance-windows/', { ...NIGHT, applies_to: {} })).json();
    const launcher = actorFor(await makeUser(t.db, { isSuperuser: true }));
    let finishLaunch!: () => void;
    const launchMayFinish = new Promise<void>((resolve) => {
      finishLaunch = resolve;
    });
    let windowRead!: () => void;
    const launchReadWindow = new Promise<void>((resolve) => {
      windowRead = resolve;
    });
    // A launch in its transaction: it has read the window and is about to insert its batch.
    const launch = t.db.transaction().execute(async (trx) => {
      await findWindowForBatch(trx, launcher, window.id, organization.id);
      windowRead();
      await launchMayFinish;
      await trx
        .insertInto('batchUpgradeOperations')
        .values({
          buildVersion: '1',
          organizationId: organization.id,
          status: 'in-progress',
          rollout: '{}',
          stageSizes: [1],
          maxConcurrent: 1,
          maintenanceWindowId: window.id,
        })
        .execute();
    });
    await launchReadWindow;
    let deleted: { statusCode: number; json: () => any } | null = null;
    const deleting = admin.delete(`/api/v1/maintenance-windows/${window.id}/`).then((response) => {
      deleted = response;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(deleted).toBeNull(); // waiting for the launch
    finishLaunch();
    await launch;
    await deleting;
    expect(deleted!.statusCode).toBe(409);
    expect(deleted!.json().code).toBe('MaintenanceWindowInUse');
  });

  it("refuses a superuser's mass upgrade across organizations naming one organization's window", async () => {
    const first = await setup();
    const second = await makeOrganization(t.db);
    const window = (await first.admin.post('/api/v1/maintenance-windows/', { ...NIGHT, applies_to: {} })).json();
    const superuser = client(t.app, await makeToken(t.db, await makeUser(t.db, { isSuperuser: true })));
    const build = await makeBuild(t.db, { categoryId: (await makeCategory(t.db, { organizationId: null })).id });
    await makeImageRow(t.db, { buildId: build.id });
    for (const [organizationId, macAddress] of [
      [first.organization.id, '02:00:00:00:02:01'],
      [second.id, '02:00:00:00:02:02'],
    ] as const) {
      await t.db
        .insertInto('devices')
        .values({ organizationId, name: macAddress, macAddress, boardName: 'tplink,archer-c7-v2' })
        .execute();
    }
    const launched = await superuser.post(`/api/v1/firmware/build/${build.id}/upgrade/`, {
      upgrade_all: true,
      maintenance_window: window.id,
    });
    expect(launched.statusCode, launched.body).toBe(400);
    expect(launched.json().fields).toEqual({ maintenance_window: 'the devices belong to several organizations' });
  });

  it('makes upgrades waiting for a window due at once when the window or the device changes', async () => {
    const { organization, admin } = await setup();
    const window = (await admin.post('/api/v1/maintenance-windows/', NIGHT)).json();
    const image = await makeImageRow(t.db);
    const waitingOn = async (name: string) => {
      const device = await t.db
        .insertInto('devices')
        .values({
          organizationId: organization.id,
          name,
          macAddress: name === 'first' ? '02:00:00:00:01:01' : '02:00:00:00:01:02',
          groupName: 'branch-offices',
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const operation = await t.db
        .insertInto('upgradeOperations')
        .values({
          deviceId: device.id,
          imageId: image.id,
          imageSha256: image.sha256,
          nextAttemptAt: new Date(Date.now() + 86_400_000),
          waitingWindowId: window.id,
          windowOpensAt: new Date(Date.now() + 86_400_000),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { deviceId: device.id, operationId: operation.id };
    };
    const dueAt = async (id: string) =>
      (
        await t.db
          .selectFrom('upgradeOperations')
          .select('nextAttemptAt')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).nextAttemptAt;

    const first = await waitingOn('first');
    // A new name, an empty change or the same hours again decide nothing anew: the upgrade keeps waiting.
    for (const change of [{ name: 'Nights' }, {}, { schedule: NIGHT.schedule, applies_to: NIGHT.applies_to }]) {
      expect((await admin.patch(`/api/v1/maintenance-windows/${window.id}/`, change)).statusCode).toBe(200);
      expect((await dueAt(first.operationId)).getTime()).toBeGreaterThan(Date.now() + 3600_000);
    }
    expect((await admin.patch(`/api/v1/maintenance-windows/${window.id}/`, { time_zone: 'UTC' })).statusCode).toBe(200);
    expect((await dueAt(first.operationId)).getTime()).toBeLessThanOrEqual(Date.now());

    const second = await waitingOn('second');
    const moved = await admin.patch(`/api/v1/devices/${second.deviceId}/`, { group: 'warehouses' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect((await dueAt(second.operationId)).getTime()).toBeLessThanOrEqual(Date.now());
  });
});
