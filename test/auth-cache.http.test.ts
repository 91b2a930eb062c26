import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrganizationRow, UserRow } from '../src/modules/accounts/accounts.table.js';
import { createTestApp, readMetric, type TestApp } from './helpers/app.js';
import { makeBuild, makeCategory, makeOrganization, makeToken, makeUser, TEST_PASSWORD } from './helpers/factories.js';

/**
 * Authenticated credentials are cached per process (auth-cache.ts). Two apps on one database stand
 * for two API processes: whatever takes access away — through either process's API or straight in
 * the database — counts on both at the very next request, although both had the credential cached.
 */

const OWN_PAGE = { origin: 'http://localhost' };

let a: TestApp;
let b: TestApp;
let superuser: string;
beforeAll(async () => {
  a = await createTestApp();
  b = await createTestApp({}, { sameDatabaseAs: a });
  superuser = await makeToken(a.db, await makeUser(a.db, { isSuperuser: true }));
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

/** The builds `headers` may list (on `app`): the status and the count. */
async function listBuilds(app: TestApp, headers: Record<string, string>): Promise<{ status: number; count?: number }> {
  const response = await app.app.inject({ method: 'GET', url: '/api/v1/firmware/build/', headers });
  return { status: response.statusCode, ...(response.statusCode === 200 ? { count: response.json().count } : {}) };
}

/** Two requests on each process: the second is answered from that process's cache (the hit counter proves it). */
async function warm(headers: Record<string, string>, expected: { status: number; count?: number }): Promise<void> {
  for (const app of [a, b]) {
    expect(await listBuilds(app, headers)).toEqual(expected);
    const hits = await readMetric(app, 'fleetflash_auth_cache_hits_total');
    expect(await listBuilds(app, headers)).toEqual(expected);
    expect(await readMetric(app, 'fleetflash_auth_cache_hits_total')).toBeGreaterThan(hits);
  }
}

async function memberWithBuild(): Promise<{ organization: OrganizationRow; user: UserRow; token: string }> {
  const organization = await makeOrganization(a.db);
  await makeBuild(a.db, { categoryId: (await makeCategory(a.db, { organizationId: organization.id })).id });
  const user = await makeUser(a.db, { memberships: [{ organization, role: 'admin' }] });
  return { organization, user, token: await makeToken(a.db, user) };
}

const refused = { status: 401 };

describe('the per-process credential cache', () => {
  it('forgets a token revoked through one process on both processes at once', async () => {
    const { token } = await memberWithBuild();
    await warm({ authorization: token }, { status: 200, count: 1 });
    const [mine] = (
      await a.app.inject({ method: 'GET', url: '/api/v1/auth/tokens/', headers: { authorization: token } })
    ).json().results;
    const revoked = await a.app.inject({
      method: 'DELETE',
      url: `/api/v1/auth/tokens/${mine.id}/`,
      headers: { authorization: token },
    });
    expect(revoked.statusCode).toBe(204);
    expect(await listBuilds(b, { authorization: token })).toEqual(refused);
    expect(await listBuilds(a, { authorization: token })).toEqual(refused);
  });

  it('forgets a token deleted straight in the database (another tool, another process)', async () => {
    const { user, token } = await memberWithBuild();
    await warm({ authorization: token }, { status: 200, count: 1 });
    await sql`DELETE FROM api_tokens WHERE user_id = ${user.id}`.execute(a.db);
    expect(await listBuilds(a, { authorization: token })).toEqual(refused);
    expect(await listBuilds(b, { authorization: token })).toEqual(refused);
  });

  it('refuses the tokens of a user deactivated through the other process at once', async () => {
    const { user, token } = await memberWithBuild();
    await warm({ authorization: token }, { status: 200, count: 1 });
    const deactivated = await b.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}/`,
      headers: { authorization: superuser },
      payload: { is_active: false },
    });
    expect(deactivated.statusCode).toBe(200);
    expect(await listBuilds(a, { authorization: token })).toEqual(refused);
    expect(await listBuilds(b, { authorization: token })).toEqual(refused);
  });

  it("hides an organization's builds at once when the membership is removed through the other process", async () => {
    const { organization, user, token } = await memberWithBuild();
    await warm({ authorization: token }, { status: 200, count: 1 });
    const removed = await a.app.inject({
      method: 'DELETE',
      url: `/api/v1/organizations/${organization.id}/members/${user.id}/`,
      headers: { authorization: superuser },
    });
    expect(removed.statusCode).toBe(204);
    expect(await listBuilds(b, { authorization: token })).toEqual({ status: 200, count: 0 });
    expect(await listBuilds(a, { authorization: token })).toEqual({ status: 200, count: 0 });
  });

  it('hides the builds of an organization deactivated in the database at once', async () => {
    const { organization, token } = await memberWithBuild();
    await warm({ authorization: token }, { status: 200, count: 1 });
    await a.db.updateTable('organizations').set({ isActive: false }).where('id', '=', organization.id).execute();
    expect(await listBuilds(b, { authorization: token })).toEqual({ status: 200, count: 0 });
    expect(await listBuilds(a, { authorization: token })).toEqual({ status: 200, count: 0 });
  });

  it('ends a session logged out through one process on both at once', async () => {
    const { user } = await memberWithBuild();
    const login = await a.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: OWN_PAGE,
      payload: { username: user.username, password: TEST_PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.find((candidate) => candidate.name === 'fleetflash_session')!;
    const headers = { cookie: `fleetflash_session=${cookie.value}` };
    await warm(headers, { status: 200, count: 1 });
    const logout = await a.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { ...headers, ...OWN_PAGE },
    });
    expect(logout.statusCode).toBeLessThan(300);
    expect(await listBuilds(b, headers)).toEqual(refused);
    expect(await listBuilds(a, headers)).toEqual(refused);
  });

  it('refuses a cached token once it reaches its expiry', async () => {
    const { user, token } = await memberWithBuild();
    await warm({ authorization: token }, { status: 200, count: 1 });
    // Expiry moved into the past (the database announces it like a revocation).
    await a.db
      .updateTable('apiTokens')
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where('userId', '=', user.id)
      .execute();
    expect(await listBuilds(a, { authorization: token })).toEqual(refused);
    expect(await listBuilds(b, { authorization: token })).toEqual(refused);
  });

  it('is not trusted while the access notifications may be lost, and is emptied when they are back', async () => {
    const { user, token } = await memberWithBuild();
    const other = await memberWithBuild();
    await warm({ authorization: token }, { status: 200, count: 1 });
    await warm({ authorization: other.token }, { status: 200, count: 1 });
    // Both processes' listening connections dropped: a change made now is announced to nobody.
    await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
              WHERE application_name = 'fleetflash-listener' AND datname = current_database()`.execute(a.db);
    await sql`DELETE FROM api_tokens WHERE user_id = ${user.id}`.execute(a.db);
    expect(await listBuilds(a, { authorization: token })).toEqual(refused);
    expect(await listBuilds(b, { authorization: token })).toEqual(refused);
    // Once the listeners are back (1 s later) the cache serves again, filled afresh.
    const deadline = Date.now() + 10_000;
    for (const app of [a, b]) {
      for (;;) {
        const hits = await readMetric(app, 'fleetflash_auth_cache_hits_total');
        expect(await listBuilds(app, { authorization: other.token })).toEqual({ status: 200, count: 1 });
        if ((await readMetric(app, 'fleetflash_auth_cache_hits_total')) > hits) break;
        if (Date.now() > deadline) throw new Error('the cache was not used again after the listener came back');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    expect(await listBuilds(a, { authorization: token })).toEqual(refused);
  });
});
