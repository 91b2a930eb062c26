import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeToken, makeUser, TEST_PASSWORD } from './helpers/factories.js';

let t: TestApp;
let webDir: string;

beforeAll(async () => {
  webDir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-web-test-'));
  mkdirSync(path.join(webDir, 'assets'));
  writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><html><body><div id="root"></div></body></html>');
  writeFileSync(path.join(webDir, 'assets', 'app-1234.js'), 'console.log("ui")');
  t = await createTestApp({ FLEETFLASH_WEB_DIR: webDir });
});

afterAll(async () => {
  await t?.close();
  rmSync(webDir, { recursive: true, force: true });
});

function directives(response: LightMyRequestResponse): Map<string, string> {
  const header = String(response.headers['content-security-policy'] ?? '');
  return new Map(
    header
      .split(';')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [name, ...values] = part.split(/\s+/);
        return [name!, values.join(' ')];
      }),
  );
}

describe('security headers', () => {
  it('come with every answer: API, API error, web UI, UI asset and docs', async () => {
    const token = await makeToken(t.db, await makeUser(t.db));
    const answers = {
      api: await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: token } }),
      apiError: await t.app.inject({ method: 'GET', url: '/api/v1/devices/' }),
      miss: await t.app.inject({ method: 'GET', url: '/api/v1/nothing/' }),
      ui: await t.app.inject({ method: 'GET', url: '/devices' }),
      asset: await t.app.inject({ method: 'GET', url: '/assets/app-1234.js' }),
      docs: await t.app.inject({ method: 'GET', url: '/api/v1/docs/' }),
      health: await t.app.inject({ method: 'GET', url: '/healthz' }),
    };
    for (const [name, response] of Object.entries(answers)) {
      expect(response.headers['x-frame-options'], name).toBe('DENY');
      expect(response.headers['x-content-type-options'], name).toBe('nosniff');
      expect(response.headers['referrer-policy'], name).toBe('same-origin');
      const csp = directives(response);
      expect(csp.get('frame-ancestors'), name).toBe("'none'");
      expect(csp.get('default-src'), name).toBe("'self'");
      expect(csp.get('script-src'), name).toBe("'self'");
      expect(csp.get('object-src'), name).toBe("'none'");
      // Plain-HTTP installs on a LAN must keep loading their own assets.
      expect(csp.has('upgrade-insecure-requests'), name).toBe(false);
    }
    expect(answers.api.statusCode).toBe(200);
    expect(answers.ui.statusCode).toBe(200);
  });

  it('come with the errors answered before any route runs, with the request id', async () => {
    const answers = {
      badUrl: await t.app.inject({ method: 'GET', url: '/api/v1/x/%zz' }),
      badParam: await t.app.inject({ method: 'GET', url: '/api/v1/firmware/build/%zz/' }),
      longParam: await t.app.inject({
        method: 'GET',
        url: `/api/v1/firmware/build/${'a'.repeat(101)}/`,
        headers: { 'x-request-id': 'trace-414' },
      }),
    };
    expect(answers.badParam.statusCode).toBe(400);
    expect(answers.longParam.statusCode).toBe(414);
    for (const [name, response] of Object.entries(answers)) {
      expect(response.headers['x-frame-options'], name).toBe('DENY');
      expect(response.headers['x-content-type-options'], name).toBe('nosniff');
      expect(response.headers['referrer-policy'], name).toBe('same-origin');
      expect(directives(response).get('frame-ancestors'), name).toBe("'none'");
      expect(directives(response).get('default-src'), name).toBe("'self'");
      expect(response.headers['x-request-id'], name).toBeTruthy();
    }
    expect(answers.longParam.headers['x-request-id']).toBe('trace-414');
  });

  it('allow no inline style in the UI, but let Swagger UI style its own markup', async () => {
    const ui = await t.app.inject({ method: 'GET', url: '/' });
    expect(directives(ui).get('style-src')).toBe("'self'");
    const docs = await t.app.inject({ method: 'GET', url: '/api/v1/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(directives(docs).get('style-src')).toBe("'self' 'unsafe-inline'");
    expect(directives(docs).get('script-src')).toBe("'self'");
  });
});

describe('cross-site requests', () => {
  const OWN_ORIGIN = 'http://localhost';

  async function sessionOf(username: string): Promise<string> {
    await makeUser(t.db, { username, isSuperuser: true });
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { origin: OWN_ORIGIN },
      payload: { username, password: TEST_PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.find((c) => c.name === 'fleetflash_session')!;
    return `fleetflash_session=${cookie.value}`;
  }

  function createOrganization(headers: Record<string, string>, name: string) {
    return t.app.inject({ method: 'POST', url: '/api/v1/organizations/', payload: { name }, headers });
  }

  it('refuses a cookie-authenticated change that does not say where it comes from', async () => {
    const cookie = await sessionOf('silent');
    const response = await createOrganization({ cookie }, 'No Origin');
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'CrossSiteRequest' });
    expect(response.json().detail).toContain('Authorization: Bearer');
  });

  it('decides by Origin, else Sec-Fetch-Site, else Referer', async () => {
    const cookie = await sessionOf('browser');
    const cases: [Record<string, string>, number][] = [
      [{ origin: OWN_ORIGIN }, 201],
      [{ origin: 'http://localhost:80' }, 201],
      [{ origin: 'https://evil.example' }, 403],
      // Origin wins over what the other headers claim.
      [{ origin: 'https://evil.example', 'sec-fetch-site': 'same-origin', referer: `${OWN_ORIGIN}/devices` }, 403],
      [{ 'sec-fetch-site': 'same-origin' }, 201],
      [{ 'sec-fetch-site': 'same-site' }, 403],
      [{ 'sec-fetch-site': 'cross-site', referer: `${OWN_ORIGIN}/devices` }, 403],
      // "Origin: null" (a sandboxed frame) says nothing; the next header decides.
      [{ origin: 'null', 'sec-fetch-site': 'cross-site' }, 403],
      [{ origin: 'null', 'sec-fetch-site': 'same-origin' }, 201],
      [{ referer: `${OWN_ORIGIN}/organizations` }, 201],
      [{ referer: 'https://evil.example/page' }, 403],
      [{ referer: 'not a url' }, 403],
    ];
    for (const [index, [headers, status]] of cases.entries()) {
      const response = await createOrganization({ cookie, ...headers }, `Org ${index}`);
      expect(response.statusCode, JSON.stringify(headers)).toBe(status);
      if (status === 403) expect(response.json().code).toBe('CrossSiteRequest');
    }
  });

  it('lets cookie-authenticated reads through without Origin', async () => {
    const cookie = await sessionOf('reader');
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/organizations/', headers: { cookie } });
    expect(response.statusCode).toBe(200);
  });

  it('refuses a login from another site or from nowhere, and sets no cookie', async () => {
    await makeUser(t.db, { username: 'victim' });
    for (const headers of [{ origin: 'https://evil.example' }, {}, { 'sec-fetch-site': 'cross-site' }]) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers,
        payload: { username: 'victim', password: TEST_PASSWORD },
      });
      expect(response.statusCode, JSON.stringify(headers)).toBe(403);
      expect(response.json().code).toBe('CrossSiteRequest');
      expect(response.cookies).toHaveLength(0);
    }
    const own = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'sec-fetch-site': 'same-origin' },
      payload: { username: 'victim', password: TEST_PASSWORD },
    });
    expect(own.statusCode).toBe(200);
  });

  it('leaves token-authenticated requests alone, whatever their Origin', async () => {
    const token = await makeToken(t.db, await makeUser(t.db, { isSuperuser: true }));
    expect((await createOrganization({ authorization: token }, 'Script A')).statusCode).toBe(201);
    expect(
      (await createOrganization({ authorization: token, origin: 'https://elsewhere.example' }, 'Script B')).statusCode,
    ).toBe(201);
  });

  it('with public_url set, compares whole origins: scheme and port count, not only the host', async () => {
    const behindProxy = await createTestApp({ FLEETFLASH_PUBLIC_URL: 'https://fleet.example' }, { sameDatabaseAs: t });
    try {
      await makeUser(t.db, { username: 'proxied', isSuperuser: true });
      const login = await behindProxy.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { origin: 'https://fleet.example' },
        payload: { username: 'proxied', password: TEST_PASSWORD },
      });
      expect(login.statusCode).toBe(200);
      const cookie = `fleetflash_session=${login.cookies.find((c) => c.name === 'fleetflash_session')!.value}`;
      const cases: [string, number][] = [
        ['https://fleet.example', 201],
        ['https://fleet.example:443', 201],
        ['http://fleet.example', 403],
        ['https://fleet.example:8443', 403],
        // The request's own Host, in the scheme the request came with (plain HTTP here).
        [OWN_ORIGIN, 201],
        ['https://localhost', 403],
      ];
      for (const [index, [origin, status]] of cases.entries()) {
        const response = await behindProxy.app.inject({
          method: 'POST',
          url: '/api/v1/organizations/',
          payload: { name: `Proxied ${index}` },
          headers: { cookie, origin },
        });
        expect(response.statusCode, origin).toBe(status);
      }
      const referer = await behindProxy.app.inject({
        method: 'POST',
        url: '/api/v1/organizations/',
        payload: { name: 'Proxied referer' },
        headers: { cookie, referer: 'http://fleet.example/devices' },
      });
      expect(referer.statusCode).toBe(403);
    } finally {
      await behindProxy.close();
    }
  });
});
