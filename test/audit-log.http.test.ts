import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrganizationRow } from '../src/modules/accounts/accounts.table.js';
import { EXPORT_PAGE_SIZE } from '../src/modules/audit/audit.service.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeOrganization, makeToken, makeUser, TEST_PASSWORD } from './helpers/factories.js';

/**
 * The audit log over HTTP: what is recorded (who, when, from where, what), who may read it, its
 * filters and its exports. Secrets, the append-only guarantee and retention: audit-log-integrity.http.test.ts.
 */

let t: TestApp;
let acme: OrganizationRow;
let globex: OrganizationRow;
let superuser: string;
let acmeAdmin: string;
let globexAdmin: string;
let acmeOperator: string;

beforeAll(async () => {
  t = await createTestApp();
  acme = await makeOrganization(t.db, { slug: 'acme' });
  globex = await makeOrganization(t.db, { slug: 'globex' });
  superuser = await makeToken(t.db, await makeUser(t.db, { username: 'root', isSuperuser: true }));
  const admin = await makeUser(t.db, { username: 'ada', memberships: [{ organization: acme, role: 'admin' }] });
  acmeAdmin = await makeToken(t.db, admin);
  globexAdmin = await makeToken(
    t.db,
    await makeUser(t.db, { username: 'gus', memberships: [{ organization: globex, role: 'admin' }] }),
  );
  acmeOperator = await makeToken(
    t.db,
    await makeUser(t.db, { username: 'otto', memberships: [{ organization: acme, role: 'operator' }] }),
  );
});
afterAll(async () => {
  await t.close();
});

function call(authorization: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: object) {
  return t.app.inject({ method, url, headers: { authorization }, remoteAddress: '192.0.2.10', payload: body });
}

async function entries(authorization: string, query: string) {
  const response = await call(authorization, 'GET', `/api/v1/audit-log/?page_size=100&${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().results as Record<string, unknown>[];
}

function login(username: string, password: string, address: string) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress: address,
    headers: { origin: 'http://localhost' },
    payload: { username, password },
  });
}

async function makeDevice(authorization: string, organization: OrganizationRow, name: string, mac: string) {
  const response = await call(authorization, 'POST', '/api/v1/devices/', {
    organization: organization.id,
    name,
    mac_address: mac,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string };
}

describe('what is recorded', () => {
  it('records logins, failed logins and logouts with the client address, for superusers', async () => {
    await makeUser(t.db, { username: 'lena' });
    expect((await login('lena', 'wrong password', '198.51.100.7')).statusCode).toBe(401);
    const ok = await login('lena', TEST_PASSWORD, '198.51.100.8');
    expect(ok.statusCode).toBe(200);
    const cookie = ok.cookies.find((c) => c.name === 'fleetflash_session')!;
    const logout = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      remoteAddress: '198.51.100.9',
      headers: { origin: 'http://localhost', cookie: `fleetflash_session=${cookie.value}` },
    });
    expect(logout.statusCode).toBe(204);
    const found = await entries(superuser, 'target_type=user&actor=LENA');
    expect(found.map((entry) => [entry.action, entry.address, entry.actor_type])).toEqual([
      ['logout', '198.51.100.9', 'user'],
      ['login.succeeded', '198.51.100.8', 'user'],
      ['login.failed', '198.51.100.7', 'anonymous'],
    ]);
    expect(found[2]).toMatchObject({ organization: null, details: { reason: 'wrong_password' }, actor_via: 'login' });
    // Logins are global: an organization admin does not see them.
    expect(await entries(acmeAdmin, 'action=login.')).toEqual([]);
  });

  it('records the address behind a trusted proxy, as the login throttle reads it', async () => {
    const proxied = await createTestApp({ FLEETFLASH_TRUST_PROXY: 'true' }, { sameDatabaseAs: t });
    try {
      await makeUser(t.db, { username: 'proxied-user' });
      const response = await proxied.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: '127.0.0.1',
        headers: { origin: 'http://localhost', 'x-forwarded-for': '::ffff:203.0.113.5' },
        payload: { username: 'proxied-user', password: TEST_PASSWORD },
      });
      expect(response.statusCode).toBe(200);
    } finally {
      await proxied.close();
    }
    const [entry] = await entries(superuser, 'actor=proxied-user');
    expect(entry).toMatchObject({ action: 'login.succeeded', address: '203.0.113.5' });
  });

  it('records device changes with who, the changed fields, the organization and the label', async () => {
    const device = await makeDevice(acmeAdmin, acme, 'berlin-1', '02:00:00:00:01:01');
    expect((await call(acmeAdmin, 'PATCH', `/api/v1/devices/${device.id}/`, { location: 'Berlin' })).statusCode).toBe(
      200,
    );
    expect((await call(acmeAdmin, 'DELETE', `/api/v1/devices/${device.id}/`)).statusCode).toBe(204);
    const found = await entries(acmeAdmin, `target_type=device&target_id=${device.id}`);
    expect(found.map((entry) => entry.action)).toEqual(['device.deleted', 'device.updated', 'device.created']);
    expect(found[1]).toMatchObject({
      actor_name: 'ada',
      actor_via: 'token',
      address: '192.0.2.10',
      organization: acme.id,
      target_label: 'berlin-1',
      details: { location: { from: '', to: 'Berlin' } },
    });
    expect(found[2]!.details).toMatchObject({ name: 'berlin-1', mac_address: '02:00:00:00:01:01' });
  });

  it('records catalog, membership and organization changes', async () => {
    const category = await call(acmeAdmin, 'POST', '/api/v1/firmware/category/', {
      name: 'Routers',
      organization: acme.id,
    });
    expect(category.statusCode, category.body).toBe(201);
    const build = await call(acmeAdmin, 'POST', '/api/v1/firmware/build/', {
      category: category.json().id,
      version: '23.05.3',
    });
    expect(build.statusCode, build.body).toBe(201);
    const member = await makeUser(t.db, {
      username: 'newbie',
      memberships: [{ organization: acme, role: 'operator' }],
    });
    const role = await call(acmeAdmin, 'PATCH', `/api/v1/organizations/${acme.id}/members/${member.id}/`, {
      role: 'admin',
    });
    expect(role.statusCode, role.body).toBe(200);
    const renamed = await call(superuser, 'PATCH', `/api/v1/organizations/${acme.id}/`, { name: 'ACME Inc.' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const found = await entries(acmeAdmin, 'action=category.created');
    expect(found[0]).toMatchObject({ target_label: 'Routers', details: { name: 'Routers' } });
    expect((await entries(acmeAdmin, 'action=build.*'))[0]).toMatchObject({
      action: 'build.created',
      target_label: 'Routers 23.05.3',
    });
    expect((await entries(acmeAdmin, 'action=membership.updated'))[0]).toMatchObject({
      target_label: 'newbie',
      details: { role: { from: 'operator', to: 'admin' } },
    });
    expect((await entries(acmeAdmin, 'action=organization.updated'))[0]).toMatchObject({
      actor_name: 'root',
      details: { name: { from: 'acme', to: 'ACME Inc.' } },
    });
  });
});

describe('who may read it', () => {
  it('shows an admin only the organizations they administer; a superuser everything', async () => {
    const theirs = await makeDevice(globexAdmin, globex, 'globex-router', '02:00:00:00:02:01');
    expect(await entries(acmeAdmin, `target_id=${theirs.id}`)).toEqual([]);
    expect(await entries(acmeAdmin, 'organization=globex')).toEqual([]);
    expect((await entries(globexAdmin, `target_id=${theirs.id}`)).length).toBe(1);
    expect((await entries(superuser, `target_id=${theirs.id}`)).length).toBe(1);
    const acmeOnly = await entries(acmeAdmin, '');
    expect(acmeOnly.length).toBeGreaterThan(0);
    expect(acmeOnly.every((entry) => entry.organization === acme.id)).toBe(true);
  });

  it('refuses operators with 403 and a message that says why', async () => {
    const response = await call(acmeOperator, 'GET', '/api/v1/audit-log/');
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'PermissionDenied' });
    expect(response.json().detail).toMatch(/admins and superusers/);
    expect((await call(acmeOperator, 'GET', '/api/v1/audit-log/export?format=csv')).statusCode).toBe(403);
  });
});

describe('filters', () => {
  it('filters by time, address and action prefix, and refuses malformed ones with 400', async () => {
    const before = new Date(Date.now() - 1000).toISOString();
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/devices/',
      headers: { authorization: acmeAdmin },
      remoteAddress: '10.20.30.40',
      payload: { organization: acme.id, name: 'filtered', mac_address: '02:00:00:00:03:01' },
    });
    const inNetwork = await entries(acmeAdmin, `address=10.20.0.0/16&from=${encodeURIComponent(before)}`);
    expect(inNetwork.map((entry) => entry.target_label)).toEqual(['filtered']);
    expect(await entries(acmeAdmin, 'address=10.21.0.0/16&action=device.')).toEqual([]);
    expect(await entries(acmeAdmin, `to=${encodeURIComponent(before)}&address=10.20.30.40`)).toEqual([]);
    for (const bad of ['address=not-an-ip', 'from=yesterday', 'from=2026-02-01&to=2026-01-01']) {
      const response = await call(acmeAdmin, 'GET', `/api/v1/audit-log/?${bad}`);
      expect(response.statusCode, bad).toBe(400);
      expect(response.json().code).toBe('ValidationFailed');
    }
  });
});

describe('export', () => {
  it('exports CSV as an attachment, escaping quotes, commas, line breaks and formulas', async () => {
    const name = '=HYPERLINK("http://evil"),\nsecond line';
    await makeDevice(acmeAdmin, acme, name, '02:00:00:00:04:01');
    const response = await call(acmeAdmin, 'GET', '/api/v1/audit-log/export?format=csv&action=device.created');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="fleetflash-audit-log-.*\.csv"/);
    const lines = response.body.split('\r\n');
    expect(lines[0]).toBe(
      '\uFEFF"id","at","actor_type","actor_user_id","actor_name","actor_via","address","action","organization",' +
        '"target_type","target_id","target_label","details"',
    );
    expect(response.body).toContain(`"'=HYPERLINK(""http://evil""),\nsecond line"`);
    expect(response.body).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  it('quotes every cell, so a spreadsheet splitting on ";" finds no formula, and starts with a BOM', async () => {
    const injection = "x;=cmd|' /C calc'!A0";
    await makeDevice(acmeAdmin, acme, injection, '02:00:00:00:04:02');
    await makeDevice(acmeAdmin, acme, 'München', '02:00:00:00:04:03');
    const response = await call(superuser, 'GET', '/api/v1/audit-log/export?format=csv&action=device.created');
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(response.body).toContain('"München"');
    const quotedCell = '"(?:[^"]|"")*"';
    const lines = response.body.slice(1).trimEnd().split('\r\n');
    for (const line of lines) expect(line).toMatch(new RegExp(`^${quotedCell}(?:,${quotedCell})*$`));
    // A German Excel splits on ";" only outside quotes: the whole name stays one cell.
    expect(response.body).toContain(`,"${injection}",`);
  });

  it('exports JSON with the same filters and visibility as the list', async () => {
    const response = await call(acmeAdmin, 'GET', '/api/v1/audit-log/export?format=json&action=device.');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toMatch(/\.json"/);
    const exported = response.json() as Record<string, unknown>[];
    const listed = await entries(acmeAdmin, 'action=device.');
    expect(exported.map((entry) => entry.id)).toEqual(listed.map((entry) => entry.id));
    expect(exported.every((entry) => entry.organization === acme.id)).toBe(true);
  });

  it('streams every entry of a long export, page after page, newest first', async () => {
    const total = EXPORT_PAGE_SIZE * 2 + 7;
    await t.db
      .insertInto('auditLog')
      .values(
        Array.from({ length: total }, (_, index) => ({
          actorType: 'system' as const,
          actorName: 'bulk-test',
          actorVia: 'system',
          action: 'device.updated',
          organizationId: globex.id,
          targetType: 'device',
          targetId: String(index),
          details: '{}',
        })),
      )
      .execute();
    const response = await call(globexAdmin, 'GET', '/api/v1/audit-log/export?format=json&actor=bulk-test');
    const exported = response.json() as { target_id: string }[];
    expect(exported.length).toBe(total);
    expect(exported[0]!.target_id).toBe(String(total - 1));
    expect(exported.at(-1)!.target_id).toBe('0');
    const csv = await call(globexAdmin, 'GET', '/api/v1/audit-log/export?actor=bulk-test');
    expect(csv.body.trimEnd().split('\r\n').length).toBe(total + 1);
  });
});
