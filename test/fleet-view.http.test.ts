import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrganizationRow } from '../src/modules/accounts/accounts.table.js';
import type { OperationStatus } from '../src/modules/upgrades/upgrades.table.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeBuild, makeCategory, makeImageRow, makeOrganization, makeToken, makeUser } from './helpers/factories.js';
import { client, type ApiClient } from './helpers/http.js';

let t: TestApp;
let root: ApiClient;
beforeAll(async () => {
  t = await createTestApp({ FLEETFLASH_DEVICE_OFFLINE_AFTER: '600' });
  root = client(t.app, await makeToken(t.db, await makeUser(t.db, { isSuperuser: true })));
});
afterAll(async () => {
  await t.close();
});

let macCounter = 0;
function nextMac(): string {
  macCounter += 1;
  const hex = (byte: number) => byte.toString(16).padStart(2, '0');
  return `02:bb:00:00:${hex(macCounter >> 8)}:${hex(macCounter & 255)}`;
}

const BOARD = 'tplink,archer-c7-v2';
const HOUR = 3_600_000;

/**
 * An organization with a category of two builds (22.03.5, then 23.05.2; an image of each for the
 * Archer C7), default credentials, an admin and an operator.
 */
async function fleet() {
  const organization = await makeOrganization(t.db);
  const admin = client(
    t.app,
    await makeToken(t.db, await makeUser(t.db, { memberships: [{ organization, role: 'admin' }] })),
  );
  const operator = client(
    t.app,
    await makeToken(t.db, await makeUser(t.db, { memberships: [{ organization, role: 'operator' }] })),
  );
  const category = await makeCategory(t.db, { organizationId: organization.id });
  const old = await makeBuild(t.db, {
    categoryId: category.id,
    version: '22.03.5',
    created: new Date(Date.now() - HOUR),
  });
  const latest = await makeBuild(t.db, { categoryId: category.id, version: '23.05.2' });
  const oldImage = await makeImageRow(t.db, { buildId: old.id, boards: [BOARD] });
  const latestImage = await makeImageRow(t.db, { buildId: latest.id, boards: [BOARD] });
  expect(
    (
      await admin.post('/api/v1/credentials/', {
        organization: organization.id,
        name: 'ssh',
        username: 'root',
        password: 'secret',
        is_default: true,
      })
    ).statusCode,
  ).toBe(201);
  return { organization, admin, operator, old, latest, oldImage, latestImage };
}

type Fleet = Awaited<ReturnType<typeof fleet>>;

async function device(
  f: Fleet,
  fields: { name: string; location?: string; os?: string; lastSeen?: Date | null; runs?: string },
): Promise<string> {
  const created = await f.admin.post('/api/v1/devices/', {
    organization: f.organization.id,
    name: fields.name,
    mac_address: nextMac(),
    board_name: BOARD,
    model: 'TP-Link Archer C7 v2',
    os: fields.os ?? 'OpenWrt 22.03.5 r20134-5f15225c1e',
    management_ip: '10.0.0.9',
    location: fields.location ?? '',
  });
  expect(created.statusCode).toBe(201);
  const id: string = created.json().id;
  await t.db
    .updateTable('devices')
    .set({ lastSeen: fields.lastSeen ?? null })
    .where('id', '=', id)
    .execute();
  if (fields.runs)
    await t.db.insertInto('deviceFirmwares').values({ deviceId: id, imageId: fields.runs, installed: true }).execute();
  return id;
}

async function operation(
  deviceId: string,
  imageId: string,
  status: OperationStatus,
  extra: { errorCode?: 'unreachable' | 'board-mismatch'; createdAgo?: number; flashStarted?: boolean } = {},
) {
  const finished = status !== 'pending' && status !== 'in-progress';
  return t.db
    .insertInto('upgradeOperations')
    .values({
      deviceId,
      imageId,
      imageSha256: 'a'.repeat(64),
      status,
      errorCode: extra.errorCode ?? null,
      nextAttemptAt: new Date(Date.now() + 86_400_000),
      finishedAt: finished ? new Date() : null,
      flashStartedAt: extra.flashStarted ? new Date() : null,
      created: new Date(Date.now() - (extra.createdAgo ?? 0)),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

const names = (response: { json(): { results: { name: string }[] } }) =>
  response
    .json()
    .results.map((row) => row.name)
    .sort();

function listUrl(organization: OrganizationRow, query: string) {
  return `/api/v1/devices/?organization=${organization.slug}&page_size=100&${query}`;
}

describe('fleet view of the device list', () => {
  it('shows reachable, the newest upgrade with its error code, and the build against its newest one', async () => {
    const f = await fleet();
    const behind = await device(f, { name: 'behind', lastSeen: new Date(), runs: f.oldImage.id });
    await device(f, {
      name: 'current',
      os: 'OpenWrt 23.05.2',
      lastSeen: new Date(Date.now() - HOUR),
      runs: f.latestImage.id,
    });
    await device(f, { name: 'unknown', os: 'OpenWrt 19.07.1' });
    await operation(behind, f.latestImage.id, 'success', { createdAgo: 2 * HOUR });
    const failed = await operation(behind, f.latestImage.id, 'failed', { errorCode: 'unreachable' });

    const rows = (await f.operator.get(listUrl(f.organization, 'ordering=name'))).json().results;
    const byName = Object.fromEntries(rows.map((row: { name: string }) => [row.name, row]));
    expect(byName.behind).toMatchObject({
      reachable: true,
      last_upgrade: { operation: failed.id, status: 'failed', error_code: 'unreachable' },
      current_build: { id: f.old.id, version: '22.03.5' },
      latest_build: { id: f.latest.id, version: '23.05.2' },
      behind_latest: true,
    });
    expect(byName.current).toMatchObject({ reachable: false, last_upgrade: null, behind_latest: false });
    expect(byName.unknown).toMatchObject({
      reachable: false,
      last_seen: null,
      current_build: null,
      latest_build: null,
      behind_latest: null,
    });
  });

  it('shows the newest upgrade as the last upgrade, not a newer configuration restore', async () => {
    const f = await fleet();
    const restored = await device(f, { name: 'restored', lastSeen: new Date(), runs: f.oldImage.id });
    const failed = await operation(restored, f.latestImage.id, 'failed', {
      errorCode: 'unreachable',
      createdAgo: HOUR,
    });
    await t.db
      .insertInto('upgradeOperations')
      .values({
        deviceId: restored,
        imageId: null,
        imageSha256: 'b'.repeat(64),
        kind: 'restore',
        status: 'success',
        nextAttemptAt: new Date(),
        finishedAt: new Date(),
      })
      .execute();
    const [row] = (await f.operator.get(listUrl(f.organization, 'ordering=name'))).json().results;
    expect(row).toMatchObject({
      name: 'restored',
      last_upgrade: { operation: failed.id, status: 'failed', error_code: 'unreachable' },
    });
    const lastFailed = (await f.operator.get(listUrl(f.organization, 'last_result=failed'))).json();
    expect(lastFailed.count).toBe(1);
  });

  it('knows what a device runs from its OS string when its firmware record is not installed', async () => {
    const f = await fleet();
    await t.db
      .updateTable('firmwareBuilds')
      .set({ os: 'OpenWrt 22.03.5 r20134-5f15225c1e' })
      .where('id', '=', f.old.id)
      .execute();
    const id = await device(f, { name: 'after-failure' });
    // A failed upgrade leaves the record pointing at the image it tried, not installed.
    await t.db
      .insertInto('deviceFirmwares')
      .values({ deviceId: id, imageId: f.latestImage.id, installed: false })
      .onConflict((oc) => oc.column('deviceId').doUpdateSet({ imageId: f.latestImage.id, installed: false }))
      .execute();
    const [row] = (await f.admin.get(listUrl(f.organization, 'behind_latest=true'))).json().results;
    expect(row).toMatchObject({ id, current_build: { id: f.old.id }, behind_latest: true });
  });

  it('filters by reachable, last result, behind latest and a part of the location, and sorts by them', async () => {
    const f = await fleet();
    const a = await device(f, { name: 'a', location: 'Berlin Mitte', lastSeen: new Date(), runs: f.oldImage.id });
    const b = await device(f, { name: 'b', location: 'berlin-pankow', lastSeen: new Date(Date.now() - 601_000) });
    const c = await device(f, { name: 'c', location: 'Hamburg', runs: f.latestImage.id });
    await operation(a, f.latestImage.id, 'failed', { errorCode: 'board-mismatch' });
    await operation(b, f.latestImage.id, 'success');
    const get = async (query: string) => names(await f.operator.get(listUrl(f.organization, query)));
    expect(await get('reachable=true')).toEqual(['a']);
    expect(await get('reachable=false')).toEqual(['b', 'c']);
    expect(await get('last_result=failed')).toEqual(['a']);
    expect(await get('last_result=success')).toEqual(['b']);
    expect(await get('last_result=none')).toEqual(['c']);
    expect(await get('behind_latest=true')).toEqual(['a']);
    expect(await get('behind_latest=false')).toEqual(['c']);
    expect(await get('location=BERLIN')).toEqual(['a', 'b']);
    expect(await get('location=berlin&os=22.03&last_result=failed')).toEqual(['a']);
    const ordered = (query: string) =>
      f.operator
        .get(listUrl(f.organization, `ordering=${query}`))
        .then((r) => r.json().results.map((x: { id: string }) => x.id));
    expect(await ordered('-behind_latest,name')).toEqual([a, c, b]);
    // As an operation lives (success before failed), as the operations list sorts; never upgraded last.
    expect(await ordered('last_result,name')).toEqual([b, a, c]);
    expect(await ordered('-last_result,name')).toEqual([a, b, c]);
    const bad = await f.operator.get(listUrl(f.organization, 'last_result=exploded'));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields).toHaveProperty(['last_result']);
  });

  it('counts a device as on the newest build when the newer build has no image for its board', async () => {
    const f = await fleet();
    const newest = await makeBuild(t.db, { categoryId: f.latest.categoryId, version: '24.10.0' });
    await makeImageRow(t.db, { buildId: newest.id, boards: ['glinet,gl-ar300m'] });
    const id = await device(f, { name: 'c7', runs: f.latestImage.id });
    const [row] = (await f.operator.get(listUrl(f.organization, 'ordering=name'))).json().results;
    expect(row).toMatchObject({
      id,
      current_build: { id: f.latest.id },
      latest_build: { id: f.latest.id },
      behind_latest: false,
    });
    expect((await f.operator.get(listUrl(f.organization, 'behind_latest=true'))).json().count).toBe(0);
    expect(
      (await f.operator.get(`/api/v1/devices/ids/?organization=${f.organization.slug}&behind_latest=false`)).json(),
    ).toEqual({ count: 1, ids: [id] });
  });

  it('gives the same pages whether a page is chosen from the devices first or after the joins', async () => {
    const f = await fleet();
    // Offline: three seen long ago at distinct times, three never seen (a tie broken by id); one reachable.
    for (const [index, hours] of [5, 3, 4].entries())
      await device(f, { name: `seen-${index}`, lastSeen: new Date(Date.now() - hours * HOUR) });
    for (const name of ['never-a', 'never-b', 'never-c']) await device(f, { name });
    await device(f, { name: 'online', lastSeen: new Date() });
    const page = async (ordering: string, number: number) =>
      (
        await f.operator.get(
          `/api/v1/devices/?organization=${f.organization.slug}&reachable=false&page_size=2&page=${number}` +
            `&ordering=${ordering}`,
        )
      )
        .json()
        .results.map((row: { name: string }) => row.name);
    // last_seen alone: the page is chosen from the devices first; with behind_latest (null for every one of
    // these, so the order is the same) the joins come first.
    for (const number of [1, 2, 3])
      expect(await page('last_seen', number)).toEqual(await page('last_seen,behind_latest', number));
    expect(await page('last_seen', 1)).toEqual(['seen-0', 'seen-2']);
    expect(await page('last_seen', 2)).toHaveLength(2);
    expect((await page('last_seen', 2))[0]).toBe('seen-1');
  });

  it('counts the dashboard figures as the list filters them, for the caller’s organizations only', async () => {
    const f = await fleet();
    const a = await device(f, { name: 'a', lastSeen: new Date(), runs: f.oldImage.id });
    await device(f, { name: 'b', runs: f.latestImage.id });
    await operation(a, f.latestImage.id, 'failed');
    const other = await fleet();
    await device(other, { name: 'elsewhere', runs: other.oldImage.id });
    const summary = (await f.operator.get('/api/v1/devices/summary/')).json();
    expect(summary).toMatchObject({
      total: 2,
      reachable: 1,
      offline: 1,
      behind_latest: 1,
      on_latest: 1,
      last_failed: 1,
      upgrading: 0,
    });
    expect((await f.operator.get(listUrl(f.organization, 'reachable=false'))).json().count).toBe(summary.offline);
    // A superuser sees every organization; the organization filter narrows it to one.
    const theirs = (await root.get(`/api/v1/devices/summary/?organization=${other.organization.slug}`)).json();
    expect(theirs).toMatchObject({ total: 1, behind_latest: 1, offline: 1 });
    expect(
      (await f.operator.get(`/api/v1/devices/summary/?organization=${other.organization.slug}`)).json().total,
    ).toBe(0);
  });
});

describe('bulk actions on selected devices', () => {
  it('retries the failed upgrades of every device the filters match, and says why it left the others', async () => {
    const f = await fleet();
    const failed1 = await device(f, { name: 'berlin-1', location: 'Berlin Mitte' });
    const failed2 = await device(f, { name: 'berlin-2', location: 'Berlin Pankow' });
    const fine = await device(f, { name: 'berlin-3', location: 'Berlin Wedding' });
    await device(f, { name: 'hamburg', location: 'Hamburg' });
    const first = await operation(failed1, f.latestImage.id, 'failed', { errorCode: 'unreachable' });
    await operation(failed2, f.latestImage.id, 'aborted');
    await operation(fine, f.latestImage.id, 'success');

    expect(
      (await f.operator.post('/api/v1/devices/upgrades/retry/', { filters: { location: 'berlin' } })).statusCode,
    ).toBe(403);
    const outcome = await f.admin.post('/api/v1/devices/upgrades/retry/', { filters: { location: 'berlin' } });
    expect(outcome.statusCode).toBe(200);
    expect(outcome.json()).toMatchObject({
      selected: 3,
      done: 2,
      refused: [{ reason: 'no-failed-upgrade', code: null, count: 1, devices: [fine] }],
    });
    const retry = (await f.admin.get(`/api/v1/firmware/device/${failed1}/upgrade-operation/`)).json().results[0];
    expect(retry).toMatchObject({ status: 'pending', retry_of: first.id });

    // Again: both now have an upgrade pending, which is not a failure to retry.
    const again = await f.admin.post('/api/v1/devices/upgrades/retry/', { devices: [failed1, failed2] });
    expect(again.json()).toMatchObject({ selected: 2, done: 0, refused: [{ reason: 'no-failed-upgrade', count: 2 }] });
  });

  it('cancels the open upgrades of the selected devices, except those already flashing', async () => {
    const f = await fleet();
    const pending = await device(f, { name: 'pending' });
    const flashing = await device(f, { name: 'flashing' });
    const idle = await device(f, { name: 'idle' });
    const open = await operation(pending, f.latestImage.id, 'pending');
    await operation(flashing, f.latestImage.id, 'in-progress', { flashStarted: true });
    const outcome = (
      await f.admin.post('/api/v1/devices/upgrades/cancel/', { devices: [pending, flashing, idle] })
    ).json();
    expect(outcome.selected).toBe(3);
    expect(outcome.done).toBe(1);
    expect(outcome.refused).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reason: 'no-open-upgrade', count: 1, devices: [idle] }),
        expect.objectContaining({ reason: 'refused', code: 'CancelNotPossible', count: 1, devices: [flashing] }),
      ]),
    );
    expect((await f.admin.get(`/api/v1/firmware/upgrade-operation/${open.id}/`)).json().status).toBe('cancelled');
  });

  it('answers 404 for a device of another organization and 400 for a selection that names none or both', async () => {
    const f = await fleet();
    const mine = await device(f, { name: 'mine' });
    const other = await fleet();
    const theirs = await device(other, { name: 'theirs' });
    const hidden = await f.admin.post('/api/v1/devices/upgrades/cancel/', { devices: [mine, theirs] });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().code).toBe('DeviceNotFound');
    for (const body of [{}, { devices: [mine], filters: { location: 'x' } }, { devices: [] }, { devices: ['nope'] }]) {
      const response = await f.admin.post('/api/v1/devices/upgrades/retry/', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().code).toMatch(/ValidationFailed/);
    }
    // Filters only ever reach the caller's devices.
    const scoped = (await f.admin.post('/api/v1/devices/upgrades/cancel/', { filters: {} })).json();
    expect(scoped.selected).toBe(1);
  });

  it('lists the ids of every device the filters match, for "select all N matching"', async () => {
    const f = await fleet();
    const a = await device(f, { name: 'a', location: 'Berlin' });
    await device(f, { name: 'b', location: 'Paris' });
    const answer = (
      await f.operator.get(`/api/v1/devices/ids/?organization=${f.organization.slug}&location=ber`)
    ).json();
    expect(answer).toEqual({ count: 1, ids: [a] });
  });

  it('selects by the fleet filters: last result (newest operation only), behind latest (with the builds)', async () => {
    const f = await fleet();
    const a = await device(f, { name: 'a', runs: f.oldImage.id });
    const b = await device(f, { name: 'b', runs: f.latestImage.id });
    const c = await device(f, { name: 'c' });
    await operation(a, f.latestImage.id, 'failed');
    await operation(b, f.latestImage.id, 'success');
    const ids = async (query: string) =>
      (await f.operator.get(`/api/v1/devices/ids/?organization=${f.organization.slug}&${query}`)).json().ids;
    expect(await ids('last_result=failed')).toEqual([a]);
    expect(await ids('last_result=none')).toEqual([c]);
    expect(await ids('behind_latest=true')).toEqual([a]);
    expect(await ids('behind_latest=false&last_result=success')).toEqual([b]);
    expect(await ids('os=22.03')).toEqual([a, b, c]);
    const retried = await f.admin.post('/api/v1/devices/upgrades/retry/', { filters: { behind_latest: true } });
    expect(retried.json()).toMatchObject({ selected: 1, done: 1 });
  });

  it("lists no ids for another organization's slug, as every list does (its devices never show)", async () => {
    const f = await fleet();
    const other = await fleet();
    await device(other, { name: 'theirs' });
    const answer = await f.operator.get(`/api/v1/devices/ids/?organization=${other.organization.slug}`);
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ count: 0, ids: [] });
    const bulk = await f.admin.post('/api/v1/devices/upgrades/cancel/', {
      filters: { organization: other.organization.slug },
    });
    expect(bulk.json()).toMatchObject({ selected: 0, done: 0 });
  });

  it('refuses a selection by filters of more than 10,000 devices with 400 SelectionTooLarge', async () => {
    const f = await fleet();
    await sql`INSERT INTO devices (organization_id, name, mac_address)
      SELECT ${f.organization.id}, 'bulk-' || g, regexp_replace(lpad(to_hex(g), 12, '0'), '(..)(?=.)', '\\1:', 'g')
      FROM generate_series(1, 10001) g`.execute(t.db);
    const ids = await f.operator.get(`/api/v1/devices/ids/?organization=${f.organization.slug}`);
    expect(ids.statusCode).toBe(400);
    expect(ids.json().code).toBe('SelectionTooLarge');
    const cancel = await f.admin.post('/api/v1/devices/upgrades/cancel/', { filters: { search: 'bulk-' } });
    expect(cancel.statusCode).toBe(400);
    expect(cancel.json().code).toBe('SelectionTooLarge');
    // Narrowed, it acts.
    const narrowed = await f.admin.post('/api/v1/devices/upgrades/cancel/', { filters: { search: 'bulk-10001' } });
    expect(narrowed.json()).toMatchObject({ selected: 1, done: 0 });
  });

  it('acts on at most 1,000 devices in one bulk retry or cancel, though a selection may name 10,000', async () => {
    const f = await fleet();
    await sql`INSERT INTO devices (organization_id, name, mac_address)
      SELECT ${f.organization.id}, 'many-' || g, regexp_replace(lpad(to_hex(g), 12, '0'), '(..)(?=.)', '\\1:', 'g')
      FROM generate_series(20001, 21001) g`.execute(t.db);
    const ids = await f.operator.get(`/api/v1/devices/ids/?organization=${f.organization.slug}&search=many-`);
    expect(ids.json().count).toBe(1001);
    for (const action of ['retry', 'cancel']) {
      const tooMany = await f.admin.post(`/api/v1/devices/upgrades/${action}/`, { filters: { search: 'many-' } });
      expect(tooMany.statusCode).toBe(400);
      expect(tooMany.json()).toMatchObject({ code: 'SelectionTooLarge' });
      expect(tooMany.json().detail).toContain('a bulk retry or cancel acts on at most 1000 devices at once');
      const byIds = await f.admin.post(`/api/v1/devices/upgrades/${action}/`, { devices: ids.json().ids });
      expect(byIds.statusCode).toBe(400);
      expect(Object.keys(byIds.json().fields)).toContain('devices');
    }
    const thousand = await f.admin.post('/api/v1/devices/upgrades/retry/', { devices: ids.json().ids.slice(1) });
    expect(thousand.json()).toMatchObject({ selected: 1000, done: 0 });
  });

  it('plans and launches a mass upgrade of the selected devices only, and the batch keeps the selection', async () => {
    const f = await fleet();
    const chosen = await device(f, { name: 'chosen', runs: f.oldImage.id });
    const other = await device(f, { name: 'other', runs: f.oldImage.id });
    const dryRun = (
      await f.operator.post(`/api/v1/firmware/build/${f.latest.id}/upgrade/dry-run/`, { devices: [chosen] })
    ).json();
    expect(dryRun).toMatchObject({ device_firmwares: [chosen], in_scope: 1 });
    const everyone = (await f.operator.post(`/api/v1/firmware/build/${f.latest.id}/upgrade/dry-run/`, {})).json();
    expect(everyone.device_firmwares.sort()).toEqual([chosen, other].sort());
    const launched = await f.admin.post(`/api/v1/firmware/build/${f.latest.id}/upgrade/`, { devices: [chosen] });
    expect(launched.statusCode).toBe(201);
    const batch = (await f.admin.get(`/api/v1/firmware/batch-upgrade-operation/${launched.json().batch}/`)).json();
    expect(batch).toMatchObject({ selected_devices: 1, total_operations: 1 });
    const tooMany = await f.admin.post(`/api/v1/firmware/build/${f.latest.id}/upgrade/dry-run/`, {
      devices: Array.from({ length: 10_001 }, () => chosen),
    });
    expect(tooMany.statusCode).toBe(400);
  });

  it('answers 404 for a selected device the caller cannot see, and names the selection when none fits', async () => {
    const f = await fleet();
    const mine = await device(f, { name: 'mine', runs: f.oldImage.id });
    const other = await fleet();
    const theirs = await device(other, { name: 'theirs', runs: other.oldImage.id });
    const dryRun = `/api/v1/firmware/build/${f.latest.id}/upgrade/dry-run/`;
    const launch = `/api/v1/firmware/build/${f.latest.id}/upgrade/`;
    for (const [path, as] of [
      [dryRun, f.operator],
      [launch, f.admin],
    ] as const) {
      const hidden = await as.post(path, { devices: [mine, theirs] });
      expect(hidden.statusCode, hidden.body).toBe(404);
      expect(hidden.json()).toMatchObject({ code: 'DeviceNotFound' });
      expect(hidden.json().detail).toContain(theirs);
    }
    // A superuser sees both, but a build of one organization upgrades only that organization's devices.
    const outside = await root.post(dryRun, { devices: [mine, theirs] });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().fields).toHaveProperty(['devices']);

    const misfit = await device(f, { name: 'misfit' });
    await t.db.updateTable('devices').set({ boardName: 'example,no-image' }).where('id', '=', misfit).execute();
    const none = await f.admin.post(launch, { devices: [misfit] });
    expect(none.statusCode).toBe(400);
    expect(none.json()).toMatchObject({ code: 'NoUpgradeCandidates', fields: { devices: expect.any(String) } });
    expect(none.json().detail).toContain('none of the 1 selected device(s)');
  });
});
