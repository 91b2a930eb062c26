import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrganizationRow } from '../src/modules/accounts/accounts.table.js';
import { readAuditLog } from '../src/modules/audit/audit.service.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeOrganization, makeToken, makeUser } from './helpers/factories.js';

/**
 * Filter values the checks must catch before PostgreSQL sees them: a list answers 400 JSON, and an
 * export answers 400 JSON too (never a 200 whose body breaks off when the query fails).
 */

let t: TestApp;
let acme: OrganizationRow;
let superuser: string;
let admin: string;

beforeAll(async () => {
  t = await createTestApp();
  acme = await makeOrganization(t.db, { slug: 'acme' });
  superuser = await makeToken(t.db, await makeUser(t.db, { username: 'root', isSuperuser: true }));
  admin = await makeToken(
    t.db,
    await makeUser(t.db, { username: 'ada', memberships: [{ organization: acme, role: 'admin' }] }),
  );
});
afterAll(async () => {
  await t.close();
});

function get(authorization: string, url: string, remoteAddress = '192.0.2.10') {
  return t.app.inject({ method: 'GET', url, headers: { authorization }, remoteAddress });
}

describe('filter values PostgreSQL would refuse', () => {
  const refused = [
    ['actor=%00', 'actor'],
    ['actor=ro%00ot', 'actor'],
    ['target_id=%00', 'target_id'],
    ['organization=ac%00me', 'organization'],
    ['address=fe80::1%25eth0', 'address'],
    ['from=-100000-01-01', 'from'],
    ['to=%2B275760-09-13T00:00:00Z', 'to'],
    ['from=0000-01-01', 'from'],
  ] as const;

  for (const [query, field] of refused) {
    it(`answers 400 JSON for ${query} on the list and on both exports`, async () => {
      for (const url of [
        `/api/v1/audit-log/?${query}`,
        `/api/v1/audit-log/export?format=csv&${query}`,
        `/api/v1/audit-log/export?format=json&${query}`,
      ]) {
        const response = await get(superuser, url);
        expect(response.statusCode, `${url}: ${response.body}`).toBe(400);
        expect(response.headers['content-type'], url).toMatch(/^application\/json/);
        expect(response.json(), url).toMatchObject({
          code: 'ValidationFailed',
          fields: { [field]: expect.any(String) },
        });
      }
    });
  }

  it('still takes the years 1 to 9999 and link-local addresses without a zone', async () => {
    for (const query of ['from=0001-01-01', 'to=9999-12-31', 'address=fe80::1', 'address=fe80::/10']) {
      expect((await get(superuser, `/api/v1/audit-log/?${query}`)).statusCode, query).toBe(200);
      expect((await get(superuser, `/api/v1/audit-log/export?${query}`)).statusCode, query).toBe(200);
    }
  });
});

describe('the export', () => {
  it('reads its first page before answering, so a failing query is an error and not a cut-off download', async () => {
    // A filter no check caught (the checks above are the first line): the read itself must fail.
    await expect(readAuditLog(t.db, { scope: null, actor: 'a\0b' })).rejects.toThrow();
  });
});

describe('the address filter', () => {
  it('finds an entry of 10.0.0.1 by ::ffff:10.0.0.1, and by its mapped network', async () => {
    const device = await t.app.inject({
      method: 'POST',
      url: '/api/v1/devices/',
      headers: { authorization: admin },
      remoteAddress: '::ffff:10.9.8.7',
      payload: { organization: acme.id, name: 'mapped', mac_address: '02:00:00:00:09:01' },
    });
    expect(device.statusCode, device.body).toBe(201);
    for (const address of ['10.9.8.7', '::ffff:10.9.8.7', '::FFFF:10.9.0.0/112', '::ffff:a09:807']) {
      const response = await get(admin, `/api/v1/audit-log/?address=${encodeURIComponent(address)}`);
      expect(response.statusCode, response.body).toBe(200);
      expect(
        response.json().results.map((entry: { target_label: string; address: string }) => entry.target_label),
        address,
      ).toEqual(['mapped']);
    }
  });
});
