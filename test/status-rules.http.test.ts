import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrganizationRow } from '../src/modules/accounts/accounts.table.js';
import { BATCH_STATUSES, OPERATION_STATUS, type BatchStatus } from '../src/modules/upgrades/upgrades.table.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeBuild, makeCategory, makeImageRow, makeOrganization, makeToken, makeUser } from './helpers/factories.js';

/**
 * The server says which statuses are final and which operations can be retried (fields `finished`
 * and `can_retry`), and lists running or finished mass upgrades in one request (`finished` filter):
 * the UI keeps no copy of these rules.
 */

let t: TestApp;
let mine: OrganizationRow;
let other: OrganizationRow;
let operatorToken: string;
let superuserToken: string;

beforeAll(async () => {
  t = await createTestApp();
  mine = await makeOrganization(t.db);
  other = await makeOrganization(t.db);
  operatorToken = await makeToken(
    t.db,
    await makeUser(t.db, { memberships: [{ organization: mine, role: 'operator' }] }),
  );
  superuserToken = await makeToken(t.db, await makeUser(t.db, { isSuperuser: true }));
});
afterAll(async () => {
  await t.close();
});

async function get(url: string, authorization = operatorToken) {
  const response = await t.app.inject({ method: 'GET', url, headers: { authorization } });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

const FINAL_OPERATION = new Set<string>(['success', 'failed', 'aborted', 'cancelled']);

async function makeOperation(status: (typeof OPERATION_STATUS)[keyof typeof OPERATION_STATUS]) {
  const device = await t.db
    .insertInto('devices')
    .values({
      organizationId: mine.id,
      name: `d-${randomBytes(3).toString('hex')}`,
      macAddress: `02:${randomBytes(5).toString('hex').match(/../g)!.join(':')}`,
      boardName: 'tplink,archer-c7-v2',
      model: 'TP-Link Archer C7 v2',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  // Far in the future: no worker runs in this app, and none should ever pick a pending one up.
  return t.db
    .insertInto('upgradeOperations')
    .values({
      deviceId: device.id,
      imageId: null,
      imageSha256: 'a'.repeat(64),
      status,
      nextAttemptAt: new Date(Date.now() + 86_400_000),
      finishedAt: FINAL_OPERATION.has(status) ? new Date() : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

async function makeBatch(organization: OrganizationRow | null, status: BatchStatus) {
  return t.db
    .insertInto('batchUpgradeOperations')
    .values({
      buildId: null,
      buildVersion: '23.05.3',
      organizationId: organization?.id ?? null,
      status,
      rollout: JSON.stringify({}),
      stageSizes: [1],
      maxConcurrent: 1,
      finishedAt: ['success', 'failed', 'cancelled'].includes(status) ? new Date() : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

describe('operation fields finished and can_retry', () => {
  const expected: Record<string, { finished: boolean; can_retry: boolean }> = {
    pending: { finished: false, can_retry: false },
    'in-progress': { finished: false, can_retry: false },
    success: { finished: true, can_retry: false },
    failed: { finished: true, can_retry: true },
    aborted: { finished: true, can_retry: true },
    cancelled: { finished: true, can_retry: true },
  };

  it('has a value for every status, in the single answer and the list', async () => {
    expect(Object.keys(expected).sort()).toEqual(Object.values(OPERATION_STATUS).sort());
    for (const [status, fields] of Object.entries(expected)) {
      const row = await makeOperation(status as keyof typeof expected as never);
      const single = await get(`/api/v1/firmware/upgrade-operation/${row.id}/`);
      expect(single).toMatchObject({ status, ...fields });
      const listed = await get(`/api/v1/firmware/upgrade-operation/?status=${status}&page_size=100`);
      expect(listed.results.find((operation: { id: string }) => operation.id === row.id)).toMatchObject(fields);
    }
  });

  it('the device firmware record says whether its latest operation finished', async () => {
    const category = await makeCategory(t.db, { organizationId: mine.id });
    for (const status of ['in-progress', 'failed'] as const) {
      const row = await makeOperation(status);
      const image = await makeImageRow(t.db, { buildId: (await makeBuild(t.db, { categoryId: category.id })).id });
      await t.db.insertInto('deviceFirmwares').values({ deviceId: row.deviceId, imageId: image.id }).execute();
      const record = await get(`/api/v1/firmware/device/${row.deviceId}/firmware/`);
      expect(record.upgrade_operation).toMatchObject({ id: row.id, status, finished: status === 'failed' });
    }
  });

  it('a retry is refused exactly where can_retry is false', async () => {
    const admin = await makeToken(t.db, await makeUser(t.db, { memberships: [{ organization: mine, role: 'admin' }] }));
    for (const status of ['pending', 'in-progress', 'success'] as const) {
      const row = await makeOperation(status);
      const response = await t.app.inject({
        method: 'POST',
        url: `/api/v1/firmware/upgrade-operation/${row.id}/retry/`,
        headers: { authorization: admin },
      });
      expect(response.statusCode).toBe(409);
      expect(response.json().code).toBe('RetryNotPossible');
      expect(response.json().detail).toMatch(/Only failed, aborted or cancelled/);
    }
  });
});

describe('mass upgrade field finished and list filter finished', () => {
  const ids = {} as Record<BatchStatus, string>;
  let foreignRunning: string;
  let sharedRunning: string;

  beforeAll(async () => {
    for (const status of BATCH_STATUSES) ids[status] = (await makeBatch(mine, status)).id;
    foreignRunning = (await makeBatch(other, 'in-progress')).id;
    sharedRunning = (await makeBatch(null, 'paused')).id;
  });

  const running: BatchStatus[] = ['scheduled', 'in-progress', 'paused'];
  const finished: BatchStatus[] = ['success', 'failed', 'cancelled'];

  it('has a value for every status', async () => {
    expect([...running, ...finished].sort()).toEqual([...BATCH_STATUSES].sort());
    for (const status of BATCH_STATUSES) {
      const batch = await get(`/api/v1/firmware/batch-upgrade-operation/${ids[status]}/`);
      expect(batch).toMatchObject({ status, finished: finished.includes(status) });
    }
  });

  it('finished=false lists the running ones, finished=true the others, in one request, within the scope', async () => {
    const listIds = async (query: string, token = operatorToken) =>
      new Set(
        (await get(`/api/v1/firmware/batch-upgrade-operation/?page_size=100${query}`, token)).results.map(
          (batch: { id: string }) => batch.id,
        ),
      );
    const notFinished = await listIds('&finished=false');
    expect(notFinished).toEqual(new Set(running.map((status) => ids[status])));
    const done = await listIds('&finished=true');
    expect(done).toEqual(new Set(finished.map((status) => ids[status])));
    const all = await listIds('');
    expect(all).toEqual(new Set(Object.values(ids)));

    // Combined with the other filters.
    expect(await listIds('&finished=false&status=paused')).toEqual(new Set([ids.paused]));
    expect(await listIds('&finished=true&status=paused')).toEqual(new Set());
    expect(await listIds(`&finished=false&organization=${mine.slug}`)).toEqual(notFinished);
    // Another organization's (and a shared) running batch stay out of an operator's list, asked for or not.
    expect(notFinished.has(foreignRunning) || notFinished.has(sharedRunning)).toBe(false);
    expect(await listIds(`&finished=false&organization=${other.slug}`)).toEqual(new Set());

    // A superuser sees every organization's running batches, or one organization's.
    const everywhere = await listIds('&finished=false', superuserToken);
    for (const id of [...notFinished, foreignRunning, sharedRunning]) expect(everywhere.has(id)).toBe(true);
    for (const status of finished) expect(everywhere.has(ids[status])).toBe(false);
    expect(await listIds(`&finished=false&organization=${other.slug}`, superuserToken)).toEqual(
      new Set([foreignRunning]),
    );
  });

  it('refuses a finished value that is not a boolean', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v1/firmware/batch-upgrade-operation/?finished=maybe',
      headers: { authorization: operatorToken },
    });
    expect(response.statusCode).toBe(400);
  });
});

describe('mass upgrade field actions', () => {
  const ACTIONS = ['pause', 'resume', 'cancel', 'retry-failed'] as const;
  const field = (action: (typeof ACTIONS)[number]) => (action === 'retry-failed' ? 'retry_failed' : action);

  async function failedOperationIn(batchId: string) {
    const row = await makeOperation('failed');
    const category = await makeCategory(t.db, { organizationId: mine.id });
    const image = await makeImageRow(t.db, { buildId: (await makeBuild(t.db, { categoryId: category.id })).id });
    await t.db.updateTable('upgradeOperations').set({ batchId, imageId: image.id }).where('id', '=', row.id).execute();
  }

  it('offers exactly the controls the server then accepts, in every status, with and without failures', async () => {
    const admin = await makeToken(t.db, await makeUser(t.db, { memberships: [{ organization: mine, role: 'admin' }] }));
    for (const withFailure of [false, true]) {
      for (const status of BATCH_STATUSES) {
        for (const action of ACTIONS) {
          // A fresh batch per try: an accepted action changes the status.
          const batch = await makeBatch(mine, status);
          if (withFailure) await failedOperationIn(batch.id);
          const { actions } = await get(`/api/v1/firmware/batch-upgrade-operation/${batch.id}/`);
          const response = await t.app.inject({
            method: 'POST',
            url: `/api/v1/firmware/batch-upgrade-operation/${batch.id}/${action}/`,
            headers: { authorization: admin },
          });
          const where = `${action} of a ${status} batch${withFailure ? ' with a failed operation' : ''}`;
          expect(response.statusCode, `${where}: ${response.body}`).toBe(actions[field(action)] ? 200 : 409);
        }
      }
    }
  });

  it('says which controls each status offers', async () => {
    const offered = async (status: BatchStatus) =>
      (await get(`/api/v1/firmware/batch-upgrade-operation/${(await makeBatch(mine, status)).id}/`)).actions;
    expect(await offered('scheduled')).toEqual({ pause: true, resume: false, cancel: true, retry_failed: false });
    expect(await offered('in-progress')).toEqual({ pause: true, resume: false, cancel: true, retry_failed: false });
    expect(await offered('paused')).toEqual({ pause: false, resume: true, cancel: true, retry_failed: false });
    expect(await offered('success')).toEqual({ pause: false, resume: false, cancel: false, retry_failed: false });
  });
});
