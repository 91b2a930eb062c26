import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrganizationRow, UserRow } from '../src/modules/accounts/accounts.table.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeOrganization, makeToken, makeUser } from './helpers/factories.js';
import { type ApiClient, client } from './helpers/http.js';

/**
 * What the audit log records around the edges: nothing for a refused change or a change that changes
 * nothing; memberships that go with a deleted user; moves between organizations seen from both;
 * refused device registrations; the address when no proxy is trusted.
 */

let t: TestApp;
let acme: OrganizationRow;
let globex: OrganizationRow;
let root: ApiClient;
let ada: ApiClient;
let adaUser: UserRow;
let gus: ApiClient;

beforeAll(async () => {
  t = await createTestApp();
  acme = await makeOrganization(t.db, { slug: 'acme' });
  globex = await makeOrganization(t.db, { slug: 'globex' });
  root = client(t.app, await makeToken(t.db, await makeUser(t.db, { username: 'root', isSuperuser: true })));
  adaUser = await makeUser(t.db, { username: 'ada', memberships: [{ organization: acme, role: 'admin' }] });
  ada = client(t.app, await makeToken(t.db, adaUser));
  gus = client(
    t.app,
    await makeToken(
      t.db,
      await makeUser(t.db, { username: 'gus', memberships: [{ organization: globex, role: 'admin' }] }),
    ),
  );
});
afterAll(async () => {
  await t.close();
});

async function ok<T = Record<string, unknown> & { id: string }>(
  response: Promise<{ statusCode: number; body: string }>,
) {
  const answer = await response;
  expect(answer.statusCode, answer.body).toBeLessThan(300);
  return (answer.body === '' ? undefined : JSON.parse(answer.body)) as T;
}

async function entries(reader: ApiClient, query: string) {
  return (await ok<{ results: Record<string, unknown>[] }>(reader.get(`/api/v1/audit-log/?page_size=100&${query}`)))
    .results;
}

/** How many entries the whole log holds, as a superuser sees it. */
async function total(): Promise<number> {
  return (await ok<{ count: number }>(root.get('/api/v1/audit-log/?page_size=1'))).count;
}

describe('refused changes leave no entry', () => {
  it('removing the last admin (409) and adding an existing member (409) record nothing', async () => {
    const before = await total();
    const last = await ada.delete(`/api/v1/organizations/${acme.id}/members/${adaUser.id}/`);
    expect(last.statusCode, last.body).toBe(409);
    expect(last.json().code).toBe('LastAdmin');
    const again = await ada.post(`/api/v1/organizations/${acme.id}/members/`, { user: adaUser.id, role: 'operator' });
    expect(again.statusCode, again.body).toBe(409);
    expect(await total()).toBe(before);
  });
});

describe('changes that change nothing leave no entry', () => {
  it('an organization, a user, a category, a build and credentials patched with their own values', async () => {
    const user = await makeUser(t.db, { username: 'same-values', email: 'same@example.com' });
    const category = await ok(ada.post('/api/v1/firmware/category/', { name: 'Same', organization: acme.id }));
    const build = await ok(ada.post('/api/v1/firmware/build/', { category: category.id, version: '1.0' }));
    const credentials = await ok(
      ada.post('/api/v1/credentials/', { organization: acme.id, name: 'same', username: 'root', password: 'secret12' }),
    );
    const before = await total();
    await ok(root.patch(`/api/v1/organizations/${acme.id}/`, { name: acme.name }));
    await ok(root.patch(`/api/v1/users/${user.id}/`, { email: 'same@example.com' }));
    await ok(ada.patch(`/api/v1/firmware/category/${category.id}/`, { name: 'Same' }));
    await ok(ada.patch(`/api/v1/firmware/build/${build.id}/`, { version: '1.0' }));
    await ok(ada.patch(`/api/v1/credentials/${credentials.id}/`, { name: 'same', username: 'root' }));
    expect(await total()).toBe(before);
    // A new password is a change even when nothing else is: the fact is kept.
    await ok(ada.patch(`/api/v1/credentials/${credentials.id}/`, { password: 'another12' }));
    expect((await entries(ada, 'action=credentials.updated'))[0]).toMatchObject({
      target_id: credentials.id,
      details: { password_changed: true },
    });
  });
});

describe('deleting a user', () => {
  it('records membership.removed in each organization the user belonged to, with the role', async () => {
    const leaving = await makeUser(t.db, {
      username: 'leaving',
      memberships: [
        { organization: acme, role: 'operator' },
        { organization: globex, role: 'admin' },
      ],
    });
    expect((await root.delete(`/api/v1/users/${leaving.id}/`)).statusCode).toBe(204);
    const atAcme = await entries(ada, `action=membership.removed&target_id=${leaving.id}`);
    expect(atAcme).toEqual([
      expect.objectContaining({
        organization: acme.id,
        target_label: 'leaving',
        details: { role: 'operator', reason: 'user_deleted' },
      }),
    ]);
    const atGlobex = await entries(gus, `action=membership.removed&target_id=${leaving.id}`);
    expect(atGlobex).toEqual([
      expect.objectContaining({ organization: globex.id, details: { role: 'admin', reason: 'user_deleted' } }),
    ]);
    expect(await entries(root, `action=user.deleted&target_id=${leaving.id}`)).toHaveLength(1);
  });
});

describe('moving between organizations', () => {
  it('records a category and a build moved under the organization they left too', async () => {
    const category = await ok(root.post('/api/v1/firmware/category/', { name: 'Moving', organization: acme.id }));
    const build = await ok(root.post('/api/v1/firmware/build/', { category: category.id, version: '3.0' }));
    await ok(root.patch(`/api/v1/firmware/category/${category.id}/`, { organization: globex.id }));
    const moved = { organization: { from: acme.id, to: globex.id } };
    for (const reader of [ada, gus])
      expect(await entries(reader, `action=category.updated&target_id=${category.id}`)).toEqual([
        expect.objectContaining({ details: moved }),
      ]);
    const elsewhere = await ok(root.post('/api/v1/firmware/category/', { name: 'Back', organization: acme.id }));
    await ok(root.patch(`/api/v1/firmware/build/${build.id}/`, { category: elsewhere.id }));
    for (const reader of [ada, gus])
      expect(await entries(reader, `action=build.updated&target_id=${build.id}`)).toEqual([
        expect.objectContaining({ details: { category: { from: category.id, to: elsewhere.id } } }),
      ]);
  });
});

describe('device registrations', () => {
  function register(organization: string, secret: string) {
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/devices/register/',
      remoteAddress: '::ffff:192.0.2.91',
      payload: { organization, secret, mac_address: '02:00:00:00:91:01', management_ip: '127.0.0.1' },
    });
  }

  it('records a refused registration under the organization it named, with the reason, never the secret', async () => {
    await ok(ada.post(`/api/v1/organizations/${acme.id}/registration-secret/`));
    const tried = ['ffr_guessed-secret-1', 'ffr_guessed-secret-2'];
    expect((await register('acme', tried[0]!)).statusCode).toBe(401);
    expect((await register('no-such-org', tried[1]!)).statusCode).toBe(401);
    expect(await entries(ada, 'action=device.registration_refused')).toEqual([
      expect.objectContaining({
        organization: acme.id,
        actor_type: 'system',
        actor_name: 'device-registration',
        address: '192.0.2.91',
        target_label: '02:00:00:00:91:01',
        details: { reason: 'wrong_secret', mac_address: '02:00:00:00:91:01' },
      }),
    ]);
    const all = await entries(root, 'action=device.registration_refused');
    expect(all[0]).toMatchObject({ organization: null, details: { reason: 'unknown_organization' } });
    const exported = (await root.get('/api/v1/audit-log/export?format=json')).body;
    for (const secret of tried) expect(exported).not.toContain(secret);
  });
});

describe('failed logins', () => {
  it('records a failed login with an unknown username as "(unknown user)", never what was typed', async () => {
    const typed = ["x;=cmd|' /C calc'!A0", 'My-Secret-Passw0rd!'];
    for (const username of typed) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: '198.51.100.66',
        headers: { origin: 'http://localhost' },
        payload: { username, password: 'whatever' },
      });
      expect(response.statusCode).toBe(401);
    }
    const found = await entries(root, 'action=login.failed&address=198.51.100.66');
    expect(found).toHaveLength(2);
    for (const entry of found)
      expect(entry).toMatchObject({
        actor_type: 'anonymous',
        actor_name: '(unknown user)',
        target_id: null,
        target_label: '(unknown user)',
        details: { reason: 'unknown_user' },
      });
    for (const format of ['csv', 'json']) {
      const exported = (await root.get(`/api/v1/audit-log/export?format=${format}&action=login.failed`)).body;
      for (const username of typed) expect(exported).not.toContain(username.slice(0, 8));
    }
  });
});

describe('client address', () => {
  it('ignores X-Forwarded-For when no proxy is trusted', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/devices/',
      headers: { authorization: (await makeAdaToken()).authorization, 'x-forwarded-for': '203.0.113.99' },
      remoteAddress: '192.0.2.77',
      payload: { organization: acme.id, name: 'forwarded', mac_address: '02:00:00:00:92:01' },
    });
    expect(response.statusCode, response.body).toBe(201);
    const [entry] = await entries(ada, `action=device.created&target_id=${response.json().id}`);
    expect(entry).toMatchObject({ address: '192.0.2.77' });
  });
});

async function makeAdaToken() {
  return { authorization: await makeToken(t.db, adaUser) };
}
