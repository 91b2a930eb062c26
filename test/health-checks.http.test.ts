import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeOrganization, makeToken, makeUser } from './helpers/factories.js';
import { client } from './helpers/http.js';

/** The health-check resource: CRUD, validation, limits, roles, organizations, audit log, category default. */

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

const WAN = {
  name: 'WAN up',
  command: 'ubus call network.interface.wan status | grep -q \'"up": true\'',
  timeout_seconds: 5,
};
const DNS = { name: 'dnsmasq', command: 'pidof dnsmasq', timeout_seconds: 3 };

describe('health checks API', () => {
  it('creates, lists, reads, changes and deletes a check, each change in the audit log', async () => {
    const { organization, admin } = await setup();
    const created = await admin.post('/api/v1/health-checks/', { name: ' Router works ', probes: [WAN] });
    expect(created.statusCode, created.body).toBe(201);
    const check = created.json();
    expect(check).toMatchObject({ organization: organization.id, name: 'Router works', probes: [WAN] });

    expect((await admin.get('/api/v1/health-checks/')).json()).toMatchObject({ count: 1, results: [{ id: check.id }] });
    expect((await admin.get(`/api/v1/health-checks/${check.id}/`)).json().name).toBe('Router works');

    const changed = await admin.patch(`/api/v1/health-checks/${check.id}/`, { probes: [WAN, DNS] });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ name: 'Router works', probes: [WAN, DNS] });

    expect((await admin.delete(`/api/v1/health-checks/${check.id}/`)).statusCode).toBe(204);
    const gone = await admin.get(`/api/v1/health-checks/${check.id}/`);
    expect(gone.statusCode).toBe(404);
    expect(gone.json().code).toBe('HealthCheckNotFound');

    const audit = await t.db
      .selectFrom('auditLog')
      .select(['action', 'details'])
      .where('targetId', '=', check.id)
      .orderBy('id')
      .execute();
    expect(audit.map((entry) => entry.action)).toEqual([
      'health_check.created',
      'health_check.updated',
      'health_check.deleted',
    ]);
    expect(audit[1]!.details).toMatchObject({ probes: { from: [WAN], to: [WAN, DNS] } });
  });

  it('answers 400 with the offending fields for bad probes, and 409 for a duplicate name', async () => {
    const { admin } = await setup();
    const cases = [
      { body: { name: 'x', probes: [] }, field: 'probes' },
      { body: { name: 'x', probes: [{ ...WAN, timeout_seconds: 0 }] }, field: 'probes.0.timeout_seconds' },
      { body: { name: 'x', probes: [{ ...WAN, timeout_seconds: 301 }] }, field: 'probes.0.timeout_seconds' },
      { body: { name: 'x', probes: [{ ...WAN, command: '' }] }, field: 'probes.0.command' },
      { body: { name: 'x', probes: [{ ...WAN, command: 'x'.repeat(1001) }] }, field: 'probes.0.command' },
      {
        body: { name: 'x', probes: Array.from({ length: 21 }, (_, i) => ({ ...DNS, name: `p${i}` })) },
        field: 'probes',
      },
      { body: { name: '', probes: [WAN] }, field: 'name' },
      { body: { name: 'x', probes: [WAN, { ...DNS, name: 'WAN up' }] }, field: 'probes.1.name' },
    ];
    for (const { body, field } of cases) {
      const response = await admin.post('/api/v1/health-checks/', body);
      expect(response.statusCode, JSON.stringify(body).slice(0, 100)).toBe(400);
      expect(response.json().code).toBe('ValidationFailed');
      expect(Object.keys(response.json().fields ?? {})).toContain(field);
    }
    expect((await admin.post('/api/v1/health-checks/', { name: 'same', probes: [WAN] })).statusCode).toBe(201);
    const duplicate = await admin.post('/api/v1/health-checks/', { name: 'same', probes: [DNS] });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().code).toBe('DuplicateHealthCheckName');
  });

  it('refuses a check past the per-organization limit (409)', async () => {
    const { organization, admin } = await setup();
    await t.db
      .insertInto('healthChecks')
      .values(
        Array.from({ length: 100 }, (_, i) => ({
          organizationId: organization.id,
          name: `check ${i}`,
          probes: JSON.stringify([WAN]),
        })),
      )
      .execute();
    const response = await admin.post('/api/v1/health-checks/', { name: 'one more', probes: [WAN] });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'Conflict', detail: expect.stringContaining('at most 100') });
  });

  it('lets operators read but not write, and hides another organization (404)', async () => {
    const { organization, admin, operator } = await setup();
    const check = (await admin.post('/api/v1/health-checks/', { name: 'mine', probes: [WAN] })).json();
    expect((await operator.get(`/api/v1/health-checks/${check.id}/`)).statusCode).toBe(200);
    expect(
      (await operator.post('/api/v1/health-checks/', { organization: organization.id, name: 'op', probes: [WAN] }))
        .statusCode,
    ).toBe(403);
    expect((await operator.patch(`/api/v1/health-checks/${check.id}/`, { name: 'op' })).statusCode).toBe(403);
    expect((await operator.delete(`/api/v1/health-checks/${check.id}/`)).statusCode).toBe(403);

    const stranger = (await setup()).admin;
    expect((await stranger.get(`/api/v1/health-checks/${check.id}/`)).statusCode).toBe(404);
    expect((await stranger.patch(`/api/v1/health-checks/${check.id}/`, { name: 'x' })).statusCode).toBe(404);
    expect((await stranger.delete(`/api/v1/health-checks/${check.id}/`)).statusCode).toBe(404);
    expect((await stranger.get('/api/v1/health-checks/')).json().count).toBe(0);
  });

  it("names a check as a category's default, only one of the category's organization", async () => {
    const { organization, admin } = await setup();
    const check = (await admin.post('/api/v1/health-checks/', { name: 'default', probes: [WAN] })).json();
    const category = await admin.post('/api/v1/firmware/category/', {
      name: 'routers',
      organization: organization.id,
      health_check: check.id,
    });
    expect(category.statusCode, category.body).toBe(201);
    expect(category.json().health_check).toBe(check.id);

    const other = await setup();
    const foreign = (await other.admin.post('/api/v1/health-checks/', { name: 'theirs', probes: [WAN] })).json();
    const refused = await admin.patch(`/api/v1/firmware/category/${category.json().id}/`, { health_check: foreign.id });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'InvalidReference', fields: { health_check: expect.any(String) } });

    // A shared category has none.
    const superuser = client(t.app, await makeToken(t.db, await makeUser(t.db, { isSuperuser: true })));
    const shared = await superuser.post('/api/v1/firmware/category/', {
      name: 'shared',
      organization: null,
      health_check: check.id,
    });
    expect(shared.statusCode).toBe(400);
    expect(shared.json().fields).toHaveProperty('health_check');

    // Moved to another organization, a category cannot keep this one's check.
    const moved = await superuser.patch(`/api/v1/firmware/category/${category.json().id}/`, {
      organization: other.organization.id,
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().health_check).toBeNull();
    const back = await superuser.patch(`/api/v1/firmware/category/${category.json().id}/`, {
      organization: organization.id,
      health_check: check.id,
    });
    expect(back.json().health_check).toBe(check.id);

    // Deleting the check leaves the category without a default.
    expect((await admin.delete(`/api/v1/health-checks/${check.id}/`)).statusCode).toBe(204);
    expect((await admin.get(`/api/v1/firmware/category/${category.json().id}/`)).json().health_check).toBeNull();
  });
});
