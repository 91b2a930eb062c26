import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeOrganization, makeToken, makeUser, TEST_PASSWORD } from './helpers/factories.js';
import { client } from './helpers/http.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

/** What a browser on fleetflash's own page sends with an unsafe request (inject's host is localhost:80). */
const OWN_PAGE = { origin: 'http://localhost' };

function sessionCookie(response: { cookies: { name: string; value: string }[] }): string {
  const cookie = response.cookies.find((c) => c.name === 'fleetflash_session');
  if (!cookie) throw new Error('no session cookie');
  return `fleetflash_session=${cookie.value}`;
}

describe('login and sessions', () => {
  it('logs in with username and password, sets an HttpOnly cookie, and /auth/me answers through it', async () => {
    const user = await makeUser(t.db, { username: 'alice' });
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: OWN_PAGE,
      payload: { username: 'alice', password: TEST_PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json()).toMatchObject({ id: user.id, username: 'alice', authenticated_via: 'session' });
    const cookie = login.cookies.find((c) => c.name === 'fleetflash_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: sessionCookie(login) } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: 'alice', authenticated_via: 'session' });
    expect(me.json().last_login).not.toBeNull();
  });

  it('accepts the username in any case', async () => {
    await makeUser(t.db, { username: 'CaseyJones' });
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: OWN_PAGE,
      payload: { username: 'caseyjones', password: TEST_PASSWORD },
    });
    expect(login.statusCode).toBe(200);
  });

  it('answers a wrong password, an unknown user and a deactivated user alike, with 401', async () => {
    await makeUser(t.db, { username: 'bob' });
    await makeUser(t.db, { username: 'retired', isActive: false });
    for (const payload of [
      { username: 'bob', password: 'wrong password' },
      { username: 'nobody-here', password: TEST_PASSWORD },
      { username: 'retired', password: TEST_PASSWORD },
    ]) {
      const response = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: OWN_PAGE, payload });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({
        detail: 'Wrong username or password, or the account is deactivated.',
        code: 'InvalidCredentials',
      });
      expect(response.cookies).toHaveLength(0);
    }
  });

  it(
    'slows password guessing: after login_throttle.max_failures (5) failures the next attempt gets 429 with ' +
      'Retry-After',
    async () => {
      await makeUser(t.db, { username: 'target' });
      expect(t.config.security.loginThrottle.maxFailures).toBe(5);
      for (let i = 0; i < 5; i += 1) {
        const response = await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          headers: OWN_PAGE,
          payload: { username: 'target', password: `guess ${i}` },
        });
        expect(response.statusCode).toBe(401);
      }
      const blocked = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: OWN_PAGE,
        payload: { username: 'target', password: TEST_PASSWORD },
      });
      expect(blocked.statusCode).toBe(429);
      expect(blocked.json().code).toBe('TooManyRequests');
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    },
  );

  it('logs out: the session stops working and the cookie is cleared', async () => {
    await makeUser(t.db, { username: 'carol' });
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: OWN_PAGE,
      payload: { username: 'carol', password: TEST_PASSWORD },
    });
    const cookie = sessionCookie(login);
    const logout = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, ...OWN_PAGE } });
    expect(logout.statusCode).toBe(204);
    expect(logout.cookies.find((c) => c.name === 'fleetflash_session')?.value).toBe('');
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    expect(me.statusCode).toBe(401);
  });

  it('refuses changes through a cookie session from another site (Origin check)', async () => {
    await makeUser(t.db, { username: 'dave', isSuperuser: true });
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: OWN_PAGE,
      payload: { username: 'dave', password: TEST_PASSWORD },
    });
    const cookie = sessionCookie(login);
    const forged = await t.app.inject({
      method: 'POST',
      url: '/api/v1/organizations/',
      payload: { name: 'Evil' },
      headers: { cookie, origin: 'https://evil.example', host: 'fleetflash.example' },
    });
    expect(forged.statusCode).toBe(403);
    const sameSite = await t.app.inject({
      method: 'POST',
      url: '/api/v1/organizations/',
      payload: { name: 'Good' },
      headers: { cookie, origin: 'https://fleetflash.example', host: 'fleetflash.example' },
    });
    expect(sameSite.statusCode).toBe(201);
  });

  it('requires authentication everywhere but login, health, metrics and the docs', async () => {
    for (const url of [
      '/api/v1/auth/me',
      '/api/v1/organizations/',
      '/api/v1/users/',
      '/api/v1/firmware/build/',
      '/api/v1/firmware/category/',
      '/api/v1/auth/tokens/',
    ]) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(401);
      expect(response.json().code).toBe('NotAuthenticated');
    }
    for (const url of ['/healthz', '/metrics', '/api/v1/docs/', '/api/v1/docs/openapi.json']) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
    }
  });
});

describe('API tokens', () => {
  it(
    'creates a token shown once, accepted as "Bearer" and "Token", listed without its secret, and ' + 'revoked',
    async () => {
      const user = await makeUser(t.db);
      const api = client(t.app, await makeToken(t.db, user));
      const created = await api.post('/api/v1/auth/tokens/', { name: 'deploy script', expires_in_days: 30 });
      expect(created.statusCode).toBe(201);
      const { token, id, prefix, expires_at: expiresAt } = created.json();
      expect(token).toMatch(/^fft_[A-Za-z0-9_-]{43}$/);
      expect(token.startsWith(prefix)).toBe(true);
      expect(new Date(expiresAt).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);

      for (const scheme of ['Bearer', 'Token', 'bearer']) {
        const me = await client(t.app, `${scheme} ${token}`).get('/api/v1/auth/me');
        expect(me.statusCode, scheme).toBe(200);
        expect(me.json()).toMatchObject({ id: user.id, authenticated_via: 'token' });
      }

      const list = await api.get('/api/v1/auth/tokens/');
      expect(list.statusCode).toBe(200);
      const listed = list.json().results.find((row: { id: string }) => row.id === id);
      expect(listed).toMatchObject({ name: 'deploy script', prefix });
      expect(listed).not.toHaveProperty('token');
      expect(JSON.stringify(list.json())).not.toContain(token);
      expect(listed.last_used_at).not.toBeNull();

      expect((await api.delete(`/api/v1/auth/tokens/${id}/`)).statusCode).toBe(204);
      const after = await client(t.app, `Bearer ${token}`).get('/api/v1/auth/me');
      expect(after.statusCode).toBe(401);
      expect((await api.delete(`/api/v1/auth/tokens/${id}/`)).statusCode).toBe(404);
    },
  );

  it('stores only a hash of the token', async () => {
    const user = await makeUser(t.db);
    const header = await makeToken(t.db, user);
    const token = header.replace('Bearer ', '');
    const rows = await t.db.selectFrom('apiTokens').selectAll().where('userId', '=', user.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash.toString('hex')).not.toContain(Buffer.from(token).toString('hex'));
    expect(rows[0]!.tokenHash.length).toBe(32);
  });

  it('refuses expired tokens, tokens of deactivated users, garbage and unknown schemes', async () => {
    const user = await makeUser(t.db);
    const header = await makeToken(t.db, user);
    await t.db
      .updateTable('apiTokens')
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where('userId', '=', user.id)
      .execute();
    expect((await client(t.app, header).get('/api/v1/auth/me')).statusCode).toBe(401);

    const inactive = await makeUser(t.db);
    const inactiveHeader = await makeToken(t.db, inactive);
    await t.db.updateTable('users').set({ isActive: false }).where('id', '=', inactive.id).execute();
    expect((await client(t.app, inactiveHeader).get('/api/v1/auth/me')).statusCode).toBe(401);

    expect((await client(t.app, 'Bearer fft_nonsense').get('/api/v1/auth/me')).statusCode).toBe(401);
    const basic = await client(t.app, 'Basic YWRtaW46YWRtaW4=').get('/api/v1/auth/me');
    expect(basic.statusCode).toBe(401);
    expect(basic.json().detail).toContain('Bearer');
  });

  it("does not show or revoke another user's tokens", async () => {
    const owner = await makeUser(t.db);
    const other = await makeUser(t.db, { isSuperuser: true });
    const created = await client(t.app, await makeToken(t.db, owner)).post('/api/v1/auth/tokens/', { name: 'mine' });
    const otherApi = client(t.app, await makeToken(t.db, other));
    expect((await otherApi.get(`/api/v1/auth/tokens/${created.json().id}/`)).statusCode).toBe(404);
    expect((await otherApi.delete(`/api/v1/auth/tokens/${created.json().id}/`)).statusCode).toBe(404);
  });
});

describe('organizations and members', () => {
  it('lets superusers create organizations, deriving the slug, and refuses a duplicate slug with 409', async () => {
    const api = client(t.app, await makeToken(t.db, await makeUser(t.db, { isSuperuser: true })));
    const created = await api.post('/api/v1/organizations/', { name: 'ACME Networks, Inc.' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'ACME Networks, Inc.', slug: 'acme-networks-inc', is_active: true });
    const duplicate = await api.post('/api/v1/organizations/', { name: 'Other', slug: 'acme-networks-inc' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json()).toMatchObject({ code: 'DuplicateSlug', fields: { slug: expect.any(String) } });
    const badSlug = await api.post('/api/v1/organizations/', { name: 'X', slug: 'Not A Slug' });
    expect(badSlug.statusCode).toBe(400);
    expect(badSlug.json().fields).toHaveProperty('slug');
  });

  it('shows members only their organizations; organization admins rename but cannot deactivate or delete', async () => {
    const mine = await makeOrganization(t.db);
    const foreign = await makeOrganization(t.db);
    const admin = await makeUser(t.db, { memberships: [{ organization: mine, role: 'admin' }] });
    const api = client(t.app, await makeToken(t.db, admin));
    const list = await api.get('/api/v1/organizations/');
    expect(list.json().results.map((o: { id: string }) => o.id)).toEqual([mine.id]);
    expect((await api.get(`/api/v1/organizations/${foreign.id}/`)).statusCode).toBe(404);
    expect((await api.get(`/api/v1/organizations/?organization=${mine.slug}`)).json().count).toBe(1);
    expect((await api.get(`/api/v1/organizations/?organization=${foreign.slug}`)).json().count).toBe(0);
    expect((await api.post('/api/v1/organizations/', { name: 'Mine too' })).statusCode).toBe(403);
    const renamed = await api.patch(`/api/v1/organizations/${mine.id}/`, {
      name: 'Renamed',
      description: 'our routers',
    });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'Renamed', description: 'our routers' });
    expect((await api.patch(`/api/v1/organizations/${mine.id}/`, { is_active: false })).statusCode).toBe(403);
    expect((await api.delete(`/api/v1/organizations/${mine.id}/`)).statusCode).toBe(403);
    expect((await api.patch(`/api/v1/organizations/${foreign.id}/`, { name: 'Taken' })).statusCode).toBe(404);
  });

  it('locks members out of a deactivated organization', async () => {
    const organization = await makeOrganization(t.db);
    const member = await makeUser(t.db, { memberships: [{ organization, role: 'admin' }] });
    const api = client(t.app, await makeToken(t.db, member));
    expect((await api.get(`/api/v1/organizations/${organization.id}/`)).statusCode).toBe(200);
    await t.db.updateTable('organizations').set({ isActive: false }).where('id', '=', organization.id).execute();
    expect((await api.get(`/api/v1/organizations/${organization.id}/`)).statusCode).toBe(404);
  });

  it('refuses to delete an organization that still owns firmware, naming what to do', async () => {
    const organization = await makeOrganization(t.db);
    const api = client(t.app, await makeToken(t.db, await makeUser(t.db, { isSuperuser: true })));
    const category = await api.post('/api/v1/firmware/category/', { name: 'WiFi', organization: organization.id });
    expect(category.statusCode).toBe(201);
    const refused = await api.delete(`/api/v1/organizations/${organization.id}/`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toContain('deactivate the organization');
    expect((await api.delete(`/api/v1/firmware/category/${category.json().id}/`)).statusCode).toBe(204);
    expect((await api.delete(`/api/v1/organizations/${organization.id}/`)).statusCode).toBe(204);
  });

  it('manages members: add by id or username, change role, remove; keeps the last admin', async () => {
    const organization = await makeOrganization(t.db);
    // The admin also administers `home`, where the people to add already are.
    const home = await makeOrganization(t.db);
    const admin = await makeUser(t.db, {
      memberships: [
        { organization, role: 'admin' },
        { organization: home, role: 'admin' },
      ],
    });
    const newcomer = await makeUser(t.db, {
      username: 'newcomer',
      memberships: [{ organization: home, role: 'operator' }],
    });
    const other = await makeUser(t.db, { memberships: [{ organization: home, role: 'operator' }] });
    const api = client(t.app, await makeToken(t.db, admin));
    const base = `/api/v1/organizations/${organization.id}/members/`;

    const byName = await api.post(base, { username: 'newcomer', role: 'operator' });
    expect(byName.statusCode).toBe(201);
    expect(byName.json()).toMatchObject({ user: { id: newcomer.id, username: 'newcomer' }, role: 'operator' });
    expect((await api.post(base, { user: other.id, role: 'admin' })).statusCode).toBe(201);
    const duplicate = await api.post(base, { user: other.id, role: 'admin' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().code).toBe('DuplicateMembership');
    const unknown = await api.post(base, { user: '00000000-0000-4000-8000-000000000000', role: 'admin' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().code).toBe('InvalidReference');
    expect((await api.post(base, { role: 'admin' })).statusCode).toBe(400);

    const list = await api.get(base);
    expect(list.json().count).toBe(3);

    expect((await api.patch(`${base}${newcomer.id}/`, { role: 'admin' })).json().role).toBe('admin');
    expect((await api.delete(`${base}${newcomer.id}/`)).statusCode).toBe(204);
    expect((await api.get(`${base}${newcomer.id}/`)).statusCode).toBe(404);

    // Two admins remain (admin, other): demoting one is fine, the last one is kept.
    expect((await api.patch(`${base}${other.id}/`, { role: 'operator' })).statusCode).toBe(200);
    const last = await api.delete(`${base}${admin.id}/`);
    expect(last.statusCode).toBe(409);
    expect(last.json().code).toBe('LastAdmin');
  });

  it(
    'lets an organization admin add members of organizations they administer, and refuses anybody else like an ' +
      'unknown name',
    async () => {
      const target = await makeOrganization(t.db);
      const home = await makeOrganization(t.db);
      const visited = await makeOrganization(t.db);
      const foreign = await makeOrganization(t.db);
      const admin = await makeUser(t.db, {
        memberships: [
          { organization: target, role: 'admin' },
          { organization: home, role: 'admin' },
          { organization: visited, role: 'operator' },
        ],
      });
      const colleague = await makeUser(t.db, {
        username: 'colleague',
        email: 'colleague@example.com',
        memberships: [{ organization: home, role: 'operator' }],
      });
      const stranger = await makeUser(t.db, {
        username: 'stranger',
        email: 'stranger@example.com',
        memberships: [{ organization: foreign, role: 'admin' }],
      });
      // Sharing an organization where the admin is only an operator does not count.
      const acquaintance = await makeUser(t.db, {
        username: 'acquaintance',
        memberships: [{ organization: visited, role: 'operator' }],
      });
      const loner = await makeUser(t.db, { username: 'loner' });
      const api = client(t.app, await makeToken(t.db, admin));
      const base = `/api/v1/organizations/${target.id}/members/`;

      const added = await api.post(base, { username: 'colleague', role: 'operator' });
      expect(added.statusCode).toBe(201);
      expect(added.json()).toMatchObject({
        user: { id: colleague.id, username: 'colleague', email: 'colleague@example.com' },
        role: 'operator',
      });

      const unknownName = await api.post(base, { username: 'no-such-user', role: 'operator' });
      expect(unknownName.statusCode).toBe(400);
      expect(unknownName.json().code).toBe('InvalidReference');
      for (const username of ['stranger', 'STRANGER', 'acquaintance', 'loner']) {
        const refused = await api.post(base, { username, role: 'operator' });
        expect(refused.statusCode, username).toBe(400);
        expect(refused.json(), username).toEqual(unknownName.json());
        expect(refused.headers['content-length']).toBe(unknownName.headers['content-length']);
      }
      const unknownId = await api.post(base, { user: '00000000-0000-4000-8000-000000000000', role: 'admin' });
      expect(unknownId.statusCode).toBe(400);
      for (const user of [stranger, acquaintance, loner]) {
        const refused = await api.post(base, { user: user.id, role: 'admin' });
        expect(refused.statusCode).toBe(400);
        expect(refused.json()).toEqual(unknownId.json());
      }
      expect(JSON.stringify(unknownName.json())).not.toContain('stranger');
      const members = (await api.get(base)).json().results.map((member: { user: { id: string } }) => member.user.id);
      expect(members.sort()).toEqual([admin.id, colleague.id].sort());
    },
  );

  it('lets superusers add any user to any organization', async () => {
    const target = await makeOrganization(t.db);
    const foreign = await makeOrganization(t.db);
    const root = await makeUser(t.db, { isSuperuser: true });
    const stranger = await makeUser(t.db, { memberships: [{ organization: foreign, role: 'operator' }] });
    const loner = await makeUser(t.db);
    const api = client(t.app, await makeToken(t.db, root));
    const base = `/api/v1/organizations/${target.id}/members/`;
    expect((await api.post(base, { user: stranger.id, role: 'operator' })).statusCode).toBe(201);
    expect((await api.post(base, { username: loner.username, role: 'admin' })).statusCode).toBe(201);
    const unknown = await api.post(base, { username: 'no-such-user', role: 'admin' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({
      code: 'InvalidReference',
      detail: 'No user with this id or username exists.',
    });
  });

  it('gives operators read access to members but no write access', async () => {
    const organization = await makeOrganization(t.db);
    const operator = await makeUser(t.db, { memberships: [{ organization, role: 'operator' }] });
    const api = client(t.app, await makeToken(t.db, operator));
    expect((await api.get(`/api/v1/organizations/${organization.id}/members/`)).statusCode).toBe(200);
    const refused = await api.post(`/api/v1/organizations/${organization.id}/members/`, {
      user: operator.id,
      role: 'admin',
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toContain('operator');
  });
});

describe('users', () => {
  it('lets superusers create, list, search, change and delete users; the password never shows', async () => {
    const api = client(t.app, await makeToken(t.db, await makeUser(t.db, { isSuperuser: true })));
    const organization = await makeOrganization(t.db);
    const created = await api.post('/api/v1/users/', {
      username: 'erin',
      password: 'long enough password',
      email: 'erin@example.com',
      memberships: [{ organization: organization.id, role: 'operator' }],
    });
    expect(created.statusCode).toBe(201);
    const user = created.json();
    expect(user).toMatchObject({
      username: 'erin',
      email: 'erin@example.com',
      is_superuser: false,
      memberships: [{ organization: organization.id, role: 'operator', organization_slug: organization.slug }],
    });
    expect(JSON.stringify(user)).not.toMatch(/password/);

    expect((await api.post('/api/v1/users/', { username: 'ERIN', password: 'long enough password' })).json().code).toBe(
      'DuplicateUsername',
    );
    const short = await api.post('/api/v1/users/', { username: 'frank', password: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.json().fields).toHaveProperty('password');

    const search = await api.get('/api/v1/users/?search=eri');
    expect(search.json().results.map((u: { username: string }) => u.username)).toContain('erin');
    const byOrganization = await api.get(`/api/v1/users/?organization=${organization.slug}`);
    expect(byOrganization.json().results.map((u: { id: string }) => u.id)).toEqual([user.id]);

    const changed = await api.patch(`/api/v1/users/${user.id}/`, { is_active: false, email: 'erin@corp.example' });
    expect(changed.json()).toMatchObject({ is_active: false, email: 'erin@corp.example' });
    expect((await api.delete(`/api/v1/users/${user.id}/`)).statusCode).toBe(204);
    expect((await api.get(`/api/v1/users/${user.id}/`)).statusCode).toBe(404);
  });

  it('lets organization admins create users only inside organizations they administer', async () => {
    const mine = await makeOrganization(t.db);
    const foreign = await makeOrganization(t.db);
    const admin = await makeUser(t.db, { memberships: [{ organization: mine, role: 'admin' }] });
    const api = client(t.app, await makeToken(t.db, admin));
    expect((await api.post('/api/v1/users/', { username: 'loner', password: 'long enough password' })).statusCode).toBe(
      403,
    );
    expect(
      (
        await api.post('/api/v1/users/', {
          username: 'spy',
          password: 'long enough password',
          memberships: [{ organization: foreign.id, role: 'admin' }],
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await api.post('/api/v1/users/', {
          username: 'boss',
          password: 'long enough password',
          is_superuser: true,
          memberships: [{ organization: mine.id, role: 'admin' }],
        })
      ).statusCode,
    ).toBe(403);
    const ok = await api.post('/api/v1/users/', {
      username: 'teammate',
      password: 'long enough password',
      memberships: [{ organization: mine.id, role: 'operator' }],
    });
    expect(ok.statusCode).toBe(201);
    const visible = await api.get('/api/v1/users/');
    expect(
      visible
        .json()
        .results.map((u: { username: string }) => u.username)
        .sort(),
    ).toEqual([admin.username, 'teammate'].sort());
  });

  it(
    'tells an organization admin who picks a taken username only that it is taken (an accepted disclosure), and ' +
      'adds nobody',
    async () => {
      const mine = await makeOrganization(t.db);
      const foreign = await makeOrganization(t.db);
      const admin = await makeUser(t.db, { memberships: [{ organization: mine, role: 'admin' }] });
      const stranger = await makeUser(t.db, {
        username: 'taken-name',
        email: 'taken@example.com',
        memberships: [{ organization: foreign, role: 'admin' }],
      });
      const api = client(t.app, await makeToken(t.db, admin));
      const refused = await api.post('/api/v1/users/', {
        username: 'Taken-Name',
        password: 'long enough password',
        memberships: [{ organization: mine.id, role: 'operator' }],
      });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().code).toBe('DuplicateUsername');
      // Nothing about the existing user: not its id, email or organizations.
      for (const secret of [stranger.id, 'taken@example.com', foreign.id, foreign.slug])
        expect(refused.body).not.toContain(secret);
      const members = await api.get(`/api/v1/organizations/${mine.id}/members/`);
      expect(members.json().results.map((m: { user: { id: string } }) => m.user.id)).toEqual([admin.id]);
    },
  );

  it('hides users of other organizations and their foreign memberships', async () => {
    const mine = await makeOrganization(t.db);
    const foreign = await makeOrganization(t.db);
    const admin = await makeUser(t.db, { memberships: [{ organization: mine, role: 'admin' }] });
    const stranger = await makeUser(t.db, { memberships: [{ organization: foreign, role: 'admin' }] });
    const shared = await makeUser(t.db, {
      memberships: [
        { organization: mine, role: 'operator' },
        { organization: foreign, role: 'admin' },
      ],
    });
    const api = client(t.app, await makeToken(t.db, admin));
    expect((await api.get(`/api/v1/users/${stranger.id}/`)).statusCode).toBe(404);
    const seen = await api.get(`/api/v1/users/${shared.id}/`);
    expect(seen.json().memberships.map((m: { organization: string }) => m.organization)).toEqual([mine.id]);
  });

  it('lets users change their own email and password (with the current one), nothing else', async () => {
    const user = await makeUser(t.db);
    const api = client(t.app, await makeToken(t.db, user));
    expect((await api.patch(`/api/v1/users/${user.id}/`, { email: 'me@example.com' })).statusCode).toBe(200);
    expect((await api.patch(`/api/v1/users/${user.id}/`, { is_superuser: true })).statusCode).toBe(403);
    const noCurrent = await api.patch(`/api/v1/users/${user.id}/`, { password: 'a brand new password' });
    expect(noCurrent.statusCode).toBe(400);
    expect(noCurrent.json().fields).toHaveProperty('current_password');
    const changed = await api.patch(`/api/v1/users/${user.id}/`, {
      password: 'a brand new password',
      current_password: TEST_PASSWORD,
    });
    expect(changed.statusCode).toBe(200);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: OWN_PAGE,
      payload: { username: user.username, password: 'a brand new password' },
    });
    expect(login.statusCode).toBe(200);
  });

  it('never removes the last active superuser', async () => {
    const fresh = await createTestApp();
    try {
      const root = await makeUser(fresh.db, { isSuperuser: true });
      const api = client(fresh.app, await makeToken(fresh.db, root));
      expect((await api.patch(`/api/v1/users/${root.id}/`, { is_superuser: false })).json().code).toBe('LastSuperuser');
      expect((await api.delete(`/api/v1/users/${root.id}/`)).statusCode).toBe(409);
      const second = await makeUser(fresh.db, { isSuperuser: true });
      expect((await api.delete(`/api/v1/users/${second.id}/`)).statusCode).toBe(204);
    } finally {
      await fresh.close();
    }
  });
});
