import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrganizationRow } from '../src/modules/accounts/accounts.table.js';
import type { BuildRow, ImageRow } from '../src/modules/firmware/firmware.table.js';
import { evaluateBatch } from '../src/modules/upgrades/batch-controller.js';
import { findBatch, listBatches, lockBatch, updateBatch } from '../src/modules/upgrades/batch.repository.js';
import { normalizeRollout, type RolloutInput } from '../src/modules/upgrades/rollout-policy.js';
import type { BatchStatus, OperationStatus } from '../src/modules/upgrades/upgrades.table.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeBuild, makeCategory, makeImageRow, makeOrganization, makeToken, makeUser } from './helpers/factories.js';
import { type ApiClient, client } from './helpers/http.js';
import { until } from './helpers/wait.js';

/**
 * Mass upgrades an operator can act on: failures grouped by reason (counts, a filter, a retry of one
 * group), operations sorted by stage and status, the dry run per model with downgrades, the list's
 * filters, and pause messages that name their rule with its figures. Operations are seeded as rows:
 * what is under test is the reading and the retry, not the upgrade.
 */

let t: TestApp;
let mine: OrganizationRow;
let other: OrganizationRow;
let admin: ApiClient;
let operator: ApiClient;
let stranger: ApiClient;
let image: ImageRow;

const C7 = { boardName: 'tplink,archer-c7-v2', model: 'TP-Link Archer C7 v2' };
const AR300M = { boardName: 'glinet,gl-ar300m', model: 'GL.iNet GL-AR300M' };
const OLD_OS = 'OpenWrt 22.03.5 r20134-5f15225c1e';
const NEWER_OS = 'OpenWrt 24.10.0 r28427-6df0e3d02a';

beforeAll(async () => {
  t = await createTestApp();
  mine = await makeOrganization(t.db);
  other = await makeOrganization(t.db);
  const member = async (organization: OrganizationRow, role: 'admin' | 'operator') =>
    client(t.app, await makeToken(t.db, await makeUser(t.db, { memberships: [{ organization, role }] })));
  admin = await member(mine, 'admin');
  operator = await member(mine, 'operator');
  stranger = await member(other, 'admin');
  await t.db
    .insertInto('credentials')
    .values({ organizationId: mine.id, name: 'default', username: 'root', passwordEncrypted: 'x', isDefault: true })
    .execute();
  image = await makeImageRow(t.db, { buildId: (await makeBuild(t.db, { categoryId: (await category()).id })).id });
});
afterAll(async () => {
  await t.close();
});

function category() {
  return makeCategory(t.db, { organizationId: mine.id });
}

async function device(
  overrides: { os?: string; boardName?: string; model?: string; name?: string; groupName?: string } = {},
) {
  return t.db
    .insertInto('devices')
    .values({
      organizationId: mine.id,
      name: overrides.name ?? `router-${randomBytes(3).toString('hex')}`,
      macAddress: `02:${randomBytes(5).toString('hex').match(/../g)!.join(':')}`,
      boardName: overrides.boardName ?? C7.boardName,
      model: overrides.model ?? C7.model,
      os: overrides.os ?? OLD_OS,
      managementIp: '192.0.2.10',
      groupName: overrides.groupName ?? '',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

async function batch(
  options: {
    status?: BatchStatus;
    stageSizes?: number[];
    rollout?: RolloutInput;
    build?: BuildRow;
    deviceIds?: string[];
  } = {},
) {
  return t.db
    .insertInto('batchUpgradeOperations')
    .values({
      buildId: options.build?.id ?? image.buildId,
      buildVersion: options.build?.version ?? '23.05.3',
      organizationId: mine.id,
      status: options.status ?? 'in-progress',
      rollout: JSON.stringify(normalizeRollout(options.rollout, { maxConcurrent: 10 })),
      stageSizes: options.stageSizes ?? [20],
      maxConcurrent: 10,
      startedAt: new Date(),
      finishedAt: ['success', 'failed', 'cancelled'].includes(options.status ?? '') ? new Date() : null,
      deviceIds: options.deviceIds ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

interface OperationSeed {
  status: OperationStatus;
  errorCode?: string | null;
  stage?: number;
  retried?: boolean;
  name?: string;
}

/** An operation of the batch on a device of its own; pending ones far in the future (no worker runs here). */
async function operation(batchId: string, seed: OperationSeed) {
  const { id: deviceId } = await device({ name: seed.name });
  const finished = !['pending', 'in-progress'].includes(seed.status);
  const row = await t.db
    .insertInto('upgradeOperations')
    .values({
      deviceId,
      imageId: image.id,
      imageSha256: image.sha256,
      batchId,
      stage: seed.stage ?? 0,
      status: seed.status,
      errorCode: (seed.errorCode ?? null) as never,
      retried: seed.retried ?? false,
      nextAttemptAt: new Date(Date.now() + 86_400_000),
      finishedAt: finished ? new Date() : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return row.id;
}

async function ok(response: Awaited<ReturnType<ApiClient['get']>>) {
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

describe('failures grouped by reason', () => {
  let id: string;
  const ids: Record<string, string[]> = {};
  beforeAll(async () => {
    id = (await batch()).id;
    const seeds: (OperationSeed & { group: string })[] = [
      { group: 'unreachable', status: 'failed', errorCode: 'unreachable' },
      { group: 'unreachable', status: 'failed', errorCode: 'max-retries-exceeded' },
      { group: 'unreachable', status: 'failed', errorCode: 'unreachable' },
      { group: 'unreachable', status: 'aborted', errorCode: 'unreachable' },
      { group: 'auth', status: 'failed', errorCode: 'auth-failed' },
      { group: 'address', status: 'aborted', errorCode: 'no-address' },
      { group: 'plugin', status: 'failed', errorCode: 'vendor-flash-locked' },
      { group: 'retried', status: 'failed', errorCode: 'auth-failed', retried: true },
      { group: 'success', status: 'success' },
      { group: 'success', status: 'success' },
      { group: 'pending', status: 'pending', errorCode: 'unreachable' },
    ];
    for (const seed of seeds) {
      const created = await operation(id, seed);
      ids[seed.group] = [...(ids[seed.group] ?? []), created];
    }
  });

  it('counts failed and aborted operations per error code in the batch answer (retried ones left out)', async () => {
    const body = await ok(await operator.get(`/api/v1/firmware/batch-upgrade-operation/${id}/`));
    expect(body.failure_reasons).toEqual({
      unreachable: 3,
      'max-retries-exceeded': 1,
      'auth-failed': 1,
      'no-address': 1,
      // A code outside the closed set (a custom upgrader's own) is grouped as the API names it.
      'upgrader-error': 1,
    });
    expect(body.counts).toMatchObject({ failed: 5, aborted: 2, success: 2, pending: 1 });
    const listed = await ok(await operator.get(`/api/v1/firmware/batch-upgrade-operation/?page_size=100`));
    const inList = listed.results.find((entry: { id: string }) => entry.id === id);
    expect(inList.failure_reasons).toEqual(body.failure_reasons);
  });

  it('lists exactly the operations a failure group counts (failure_reason), pending ones left out', async () => {
    const batchUrl = `/api/v1/firmware/batch-upgrade-operation/${id}/`;
    const url = `${batchUrl}operations/?page_size=100`;
    const { failure_reasons: groups } = await ok(await operator.get(batchUrl));
    for (const [reason, count] of Object.entries(groups)) {
      const listed = await ok(await operator.get(`${url}&failure_reason=${reason}`));
      expect(listed.count, reason).toBe(count);
    }
    const unreachable = await ok(await operator.get(`${url}&failure_reason=unreachable`));
    expect(unreachable.results.map((row: { id: string }) => row.id).sort()).toEqual(
      [ids.unreachable![0], ids.unreachable![2], ids.unreachable![3]].sort(),
    );
    const bad = await operator.get(`${url}&failure_reason=gremlins`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('ValidationFailed');
  });

  it('filters operations by error code; a code outside the vocabulary is refused, naming the allowed', async () => {
    const url = `/api/v1/firmware/batch-upgrade-operation/${id}/operations/?page_size=100`;
    const unreachable = await ok(await operator.get(`${url}&error_code=unreachable`));
    // error_code is the code whatever the status: the pending operation waiting after it is listed too.
    expect(unreachable.count).toBe(4);
    expect(unreachable.results.map((row: { id: string }) => row.id)).toContain(ids.pending![0]);
    const failedOnly = await ok(await operator.get(`${url}&error_code=unreachable&status=failed`));
    expect(failedOnly.results.map((row: { id: string }) => row.id).sort()).toEqual(
      [ids.unreachable![0], ids.unreachable![2]].sort(),
    );
    const plugin = await ok(await operator.get(`${url}&error_code=upgrader-error`));
    expect(plugin.results.map((row: { id: string }) => row.id)).toEqual(ids.plugin);
    expect(plugin.results[0].error_code).toBe('upgrader-error');

    const bad = await operator.get(`${url}&error_code=gremlins`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('ValidationFailed');
    expect(bad.json().detail).toContain('unreachable, auth-failed');

    const all = await ok(await operator.get(`/api/v1/firmware/upgrade-operation/?error_code=no-address&page_size=100`));
    expect(all.results.map((row: { id: string }) => row.id)).toEqual(ids.address);
  });

  it('retries only the group asked for, and says so when that group has nothing to retry', async () => {
    const refused = await operator.post(
      `/api/v1/firmware/batch-upgrade-operation/${id}/retry-failed/?error_code=auth-failed`,
    );
    expect(refused.statusCode).toBe(403);
    const hidden = await stranger.post(
      `/api/v1/firmware/batch-upgrade-operation/${id}/retry-failed/?error_code=auth-failed`,
    );
    expect(hidden.statusCode).toBe(404);
    const bad = await admin.post(`/api/v1/firmware/batch-upgrade-operation/${id}/retry-failed/?error_code=gremlins`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/Must be one of: unreachable, auth-failed/);

    const retried = await ok(
      await admin.post(`/api/v1/firmware/batch-upgrade-operation/${id}/retry-failed/?error_code=unreachable`),
    );
    expect(retried.failure_reasons).toEqual({
      'max-retries-exceeded': 1,
      'auth-failed': 1,
      'no-address': 1,
      'upgrader-error': 1,
    });
    expect(retried.counts).toMatchObject({ failed: 3, aborted: 1, pending: 4 });
    const old = await t.db
      .selectFrom('upgradeOperations')
      .select(['id', 'retried'])
      .where('batchId', '=', id)
      .where('retried', '=', true)
      .execute();
    expect(old.map((row) => row.id).sort()).toEqual(
      [...ids.unreachable!.filter((_, index) => index !== 1), ...ids.retried!].sort(),
    );
    const retries = await t.db
      .selectFrom('upgradeOperations')
      .select('retryOf')
      .where('batchId', '=', id)
      .where('retryOf', 'is not', null)
      .execute();
    expect(retries).toHaveLength(3);

    const again = await admin.post(
      `/api/v1/firmware/batch-upgrade-operation/${id}/retry-failed/?error_code=unreachable`,
    );
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toContain('no failed or aborted operation with the reason unreachable');
  });
});

describe('a retry that loses its device to another upgrade', () => {
  it('leaves the failed operation counted as it ended, not marked retried, and retries the others', async () => {
    const id = (await batch()).id;
    const failed = await operation(id, { status: 'failed', errorCode: 'unreachable' });
    const retriable = await operation(id, { status: 'failed', errorCode: 'unreachable' });
    const { deviceId } = await t.db
      .selectFrom('upgradeOperations')
      .select('deviceId')
      .where('id', '=', failed)
      .executeTakeFirstOrThrow();
    // Another upgrade of the device, queued but not committed when the retry looks: the retry's insert waits
    // for it, then gives way.
    let commit!: () => void;
    const committed = new Promise<void>((resolve) => {
      commit = resolve;
    });
    let inserted!: () => void;
    const insertedNow = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    const other = t.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('upgradeOperations')
        .values({
          deviceId,
          imageId: image.id,
          imageSha256: image.sha256,
          nextAttemptAt: new Date(Date.now() + 86_400_000),
        })
        .execute();
      inserted();
      await committed;
    });
    await insertedNow;
    const retry = admin.post(`/api/v1/firmware/batch-upgrade-operation/${id}/retry-failed/`);
    const waiting = await until(
      async () =>
        (
          await sql<{ count: number }>`
            SELECT count(*)::int AS count FROM pg_stat_activity
            WHERE wait_event_type = 'Lock' AND query LIKE '%retry_of%'`.execute(t.db)
        ).rows[0]!.count,
      (count) => count > 0,
    );
    expect(waiting).toBeGreaterThan(0);
    commit();
    await other;
    const answer = await retry;
    // The other device's operation is retried; this one keeps counting as failed.
    expect(answer.statusCode, answer.body).toBe(200);
    const rows = await t.db
      .selectFrom('upgradeOperations')
      .select(['id', 'retried'])
      .where('id', 'in', [failed, retriable])
      .execute();
    expect(Object.fromEntries(rows.map((row) => [row.id, row.retried]))).toEqual({
      [failed]: false,
      [retriable]: true,
    });
    expect(answer.json().counts).toMatchObject({ operations: 2, failed: 1, pending: 1 });
  });
});

describe('ordering the operations of a mass upgrade', () => {
  let id: string;
  beforeAll(async () => {
    id = (await batch({ stageSizes: [2, 3] })).id;
    await operation(id, { status: 'success', stage: 1, name: 'a-1' });
    await operation(id, { status: 'failed', errorCode: 'unreachable', stage: 0, name: 'b-0' });
    await operation(id, { status: 'pending', stage: 1, name: 'c-1' });
    await operation(id, { status: 'in-progress', stage: 0, name: 'd-0' });
    await operation(id, { status: 'cancelled', errorCode: 'cancelled', stage: 1, name: 'e-1' });
  });

  const names = async (ordering: string) =>
    (
      await ok(await operator.get(`/api/v1/firmware/batch-upgrade-operation/${id}/operations/?ordering=${ordering}`))
    ).results.map((row: { device_name: string }) => row.device_name);

  it('sorts by stage, then status in the order operations live through', async () => {
    expect(await names('stage,status')).toEqual(['d-0', 'b-0', 'c-1', 'a-1', 'e-1']);
    expect(await names('-stage,-status')).toEqual(['e-1', 'a-1', 'c-1', 'b-0', 'd-0']);
    expect(await names('status')).toEqual(['c-1', 'd-0', 'a-1', 'b-0', 'e-1']);
    expect(await names('device_name')).toEqual(['a-1', 'b-0', 'c-1', 'd-0', 'e-1']);
  });

  it('refuses an unknown field, naming the allowed ones', async () => {
    const response = await operator.get(`/api/v1/firmware/batch-upgrade-operation/${id}/operations/?ordering=color`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'ValidationFailed', fields: { ordering: 'unknown field color' } });
    expect(response.json().detail).toContain('stage, status, device_name, progress, created');
  });
});

describe('the dry run per model', () => {
  it('says which image each model gets, for how many devices, and how many of them would be downgraded', async () => {
    const own = await category();
    const old = await makeBuild(t.db, { categoryId: own.id, version: '22.03.5', os: OLD_OS });
    const oldC7 = await makeImageRow(t.db, { buildId: old.id });
    const oldAr = await makeImageRow(t.db, {
      buildId: old.id,
      type: 'ath79-nand-glinet_gl-ar300m-nor-squashfs-sysupgrade.bin',
      label: AR300M.model,
      boards: [AR300M.boardName],
    });
    const target = await makeBuild(t.db, { categoryId: own.id, version: '23.05.3', os: 'OpenWrt 23.05.3 r23809' });
    const c7 = await makeImageRow(t.db, { buildId: target.id });
    const ar = await makeImageRow(t.db, {
      buildId: target.id,
      type: 'ath79-nand-glinet_gl-ar300m-nor-squashfs-sysupgrade.bin',
      label: AR300M.model,
      boards: [AR300M.boardName],
    });
    const install = async (deviceId: string, imageId: string) =>
      t.db.insertInto('deviceFirmwares').values({ deviceId, imageId, installed: true }).execute();
    const groupName = 'per-model';
    for (const os of [OLD_OS, OLD_OS, NEWER_OS]) await install((await device({ os, groupName })).id, oldC7.id);
    await install((await device({ ...AR300M, groupName })).id, oldAr.id);

    const plain = await ok(await operator.get(`/api/v1/firmware/build/${target.id}/upgrade/?group=${groupName}`));
    expect(plain.models).toEqual([
      {
        model: C7.model,
        board: C7.boardName,
        image: { id: c7.id, type: c7.type, label: c7.label },
        devices: 2,
        downgrades: 0,
      },
      {
        model: AR300M.model,
        board: AR300M.boardName,
        image: { id: ar.id, type: ar.type, label: AR300M.model },
        devices: 1,
        downgrades: 0,
      },
    ]);
    expect(plain.skipped.map((skip: { reason: string }) => skip.reason)).toEqual(['downgrade']);

    const allowed = await ok(
      await operator.post(`/api/v1/firmware/build/${target.id}/upgrade/dry-run/`, {
        group: groupName,
        allow_downgrade: true,
      }),
    );
    expect(allowed.models[0]).toMatchObject({ model: C7.model, devices: 3, downgrades: 1 });
    expect(allowed.models[1]).toMatchObject({ model: AR300M.model, devices: 1, downgrades: 0 });
    const total = allowed.models.reduce((sum: number, row: { devices: number }) => sum + row.devices, 0);
    expect(total).toBe(allowed.device_firmwares.length + allowed.devices.length);
  });

  it('decides each device on its own though devices share all the rules read but their operation', async () => {
    const own = await category();
    const old = await makeBuild(t.db, { categoryId: own.id, version: '22.03.5', os: 'OpenWrt 22.03.5 r1-kind' });
    const oldC7 = await makeImageRow(t.db, { buildId: old.id });
    const target = await makeBuild(t.db, { categoryId: own.id, version: '23.05.3', os: 'OpenWrt 23.05.3 r2-kind' });
    const c7 = await makeImageRow(t.db, { buildId: target.id });
    const groupName = 'one-kind';
    const made: string[] = [];
    for (const name of ['kind-a1', 'kind-a2', 'kind-a3', 'kind-b']) made.push((await device({ name, groupName })).id);
    // Three devices alike (same firmware record); the fourth alike but without a firmware record.
    for (const id of made.slice(0, 3))
      await t.db.insertInto('deviceFirmwares').values({ deviceId: id, imageId: oldC7.id, installed: true }).execute();
    const running = await t.db
      .insertInto('upgradeOperations')
      .values({
        deviceId: made[1]!,
        imageId: c7.id,
        imageSha256: c7.sha256,
        status: 'pending',
        nextAttemptAt: new Date(Date.now() + 86_400_000),
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    const plan = await ok(await operator.get(`/api/v1/firmware/build/${target.id}/upgrade/?group=${groupName}`));
    expect(plan.in_scope).toBe(4);
    expect(plan.device_firmwares).toEqual([made[0], made[2]]);
    expect(plan.devices).toEqual([]);
    expect(plan.skipped).toEqual([
      {
        device: made[1],
        device_name: 'kind-a2',
        reason: 'operation-running',
        detail: `Operation ${running.id} of the device is pending or in progress.`,
      },
      expect.objectContaining({ device: made[3], device_name: 'kind-b', reason: 'not-in-category' }),
    ]);
    expect(plan.models).toEqual([
      {
        model: C7.model,
        board: C7.boardName,
        image: { id: c7.id, type: c7.type, label: c7.label },
        devices: 2,
        downgrades: 0,
      },
    ]);

    const all = await ok(
      await operator.get(`/api/v1/firmware/build/${target.id}/upgrade/?group=${groupName}&upgrade_all=true`),
    );
    expect(all.device_firmwares).toEqual([made[0], made[2]]);
    expect(all.devices).toEqual([made[3]]);
    expect(all.skipped.map((skip: { device: string }) => skip.device)).toEqual([made[1]]);
  });

  it('marks the images that would take a single device back to an older release', async () => {
    const own = await category();
    const older = await makeBuild(t.db, { categoryId: own.id, version: '23.05.2', os: 'OpenWrt 23.05.2 r23630' });
    const newer = await makeBuild(t.db, { categoryId: own.id, version: '25.12.0' });
    const olderImage = await makeImageRow(t.db, { buildId: older.id });
    const newerImage = await makeImageRow(t.db, { buildId: newer.id });
    const { id } = await device({ os: NEWER_OS });
    const fitting = await ok(await operator.get(`/api/v1/devices/${id}/fitting-images/?page_size=100`));
    const flags = Object.fromEntries(
      fitting.results.map((row: { id: string; downgrade: boolean }) => [row.id, row.downgrade]),
    );
    expect(flags[olderImage.id]).toBe(true);
    expect(flags[newerImage.id]).toBe(false);
  });
});

describe('the list of mass upgrades', () => {
  it('filters by build, status and creation time', async () => {
    const build = await makeBuild(t.db, { categoryId: (await category()).id });
    const at = (day: number) => new Date(Date.UTC(2026, 10, day, 12));
    const made: Record<string, string> = {};
    for (const [name, status, day] of [
      ['early', 'success', 1],
      ['middle', 'failed', 5],
      ['late', 'failed', 9],
    ] as const) {
      const row = await batch({ status, build });
      await t.db
        .updateTable('batchUpgradeOperations')
        .set({ created: at(day) })
        .where('id', '=', row.id)
        .execute();
      made[name] = row.id;
    }
    await batch({ status: 'failed' });
    const list = async (query: string) =>
      (await ok(await operator.get(`/api/v1/firmware/batch-upgrade-operation/?build=${build.id}${query}`))).results
        .map((row: { id: string }) => row.id)
        .sort();

    expect(await list('')).toEqual([made.early, made.middle, made.late].sort());
    expect(await list('&status=failed')).toEqual([made.middle, made.late].sort());
    expect(await list(`&created_from=${at(4).toISOString()}`)).toEqual([made.middle, made.late].sort());
    expect(await list(`&created_to=${at(5).toISOString()}`)).toEqual([made.early]);
    expect(await list(`&created_from=${at(2).toISOString()}&created_to=${at(9).toISOString()}&status=failed`)).toEqual([
      made.middle,
    ]);
    const bad = await operator.get('/api/v1/firmware/batch-upgrade-operation/?created_from=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().fields)).toContain('created_from');
  });
});

describe('pause messages', () => {
  it('name the failure threshold with its figures', async () => {
    const { id } = await batch({
      stageSizes: [12],
      rollout: { failure_threshold_percent: 20, failure_threshold_min_decided: 10 },
    });
    for (let index = 0; index < 7; index += 1) await operation(id, { status: 'success' });
    for (let index = 0; index < 3; index += 1) await operation(id, { status: 'failed', errorCode: 'unreachable' });
    await operation(id, { status: 'pending' });
    await evaluateBatch(t.db, id);
    const body = await ok(await operator.get(`/api/v1/firmware/batch-upgrade-operation/${id}/`));
    expect(body.status).toBe('paused');
    expect(body.pause_reason).toBe('failure-threshold');
    expect(body.pause_detail).toMatch(/^Paused by the failure threshold: 3 of 10 decided devices failed \(30 % > 20 %/);
  });

  it('name the success gate with the stage and its figures', async () => {
    const { id } = await batch({ stageSizes: [5, 10], rollout: { success_gate_percent: 90 } });
    for (let index = 0; index < 4; index += 1) await operation(id, { status: 'success' });
    await operation(id, { status: 'aborted', errorCode: 'no-address' });
    await operation(id, { status: 'pending', stage: 1 });
    await evaluateBatch(t.db, id);
    const body = await ok(await operator.get(`/api/v1/firmware/batch-upgrade-operation/${id}/`));
    expect(body.status).toBe('paused');
    expect(body.pause_reason).toBe('stage-gate');
    expect(body.pause_detail).toMatch(/^Paused by the success gate: stage 0 \(the canary\) of stages 0-1 ended/);
    expect(body.pause_detail).toContain('ended with 80 % success, below the 90 % gate.');
  });
});

describe('a selection', () => {
  it('is read as its number of devices, never as its ids (reads, updates and the answers)', async () => {
    const selected = [];
    for (let index = 0; index < 3; index += 1) selected.push((await device({ name: `sel-${index}` })).id);
    const { id } = await batch({ deviceIds: selected });
    const found = await findBatch(t.db, id);
    expect(found).toMatchObject({ id, selectedDevices: 3 });
    expect(found).not.toHaveProperty('deviceIds');
    const locked = await t.db.transaction().execute((trx) => lockBatch(trx, id));
    expect(locked).not.toHaveProperty('deviceIds');
    const updated = await updateBatch(t.db, id, { pauseDetail: null });
    expect(updated).toMatchObject({ selectedDevices: 3 });
    expect(updated).not.toHaveProperty('deviceIds');
    const listed = await listBatches(t.db, { organizationIds: [mine.id] }, { limit: 100, offset: 0 });
    expect(listed.find((row) => row.id === id)).toMatchObject({ selectedDevices: 3 });
    expect(listed.every((row) => !('deviceIds' in row))).toBe(true);
    expect(listed.find((row) => row.id !== id)?.selectedDevices).toBeNull();

    expect((await ok(await operator.get(`/api/v1/firmware/batch-upgrade-operation/${id}/`))).selected_devices).toBe(3);
    const paused = await ok(await admin.post(`/api/v1/firmware/batch-upgrade-operation/${id}/pause/`));
    expect(paused.selected_devices).toBe(3);
  });
});
