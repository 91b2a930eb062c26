import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeExpiredLoginFailures } from '../src/modules/accounts/login-throttle.js';
import { parseConfig } from '../src/platform/config.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeUser, TEST_PASSWORD } from './helpers/factories.js';

// Small budgets keep the test quick: 3 failures per (address, username), 8 per address.
const env = { FLEETFLASH_LOGIN_MAX_FAILURES: '3', FLEETFLASH_LOGIN_MAX_FAILURES_PER_ADDRESS: '8' };

let first: TestApp;
let second: TestApp;
beforeAll(async () => {
  first = await createTestApp(env);
  // A second app on the same database stands for a second API process.
  second = await createTestApp(env, { sameDatabaseAs: first });
});
afterAll(async () => {
  await second.close();
  await first.close();
});

function login(
  app: TestApp,
  address: string,
  username: string,
  password: string,
  headers: Record<string, string> = {},
) {
  return app.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress: address,
    headers: { origin: 'http://localhost', ...headers },
    payload: { username, password },
  });
}

describe('login throttling', () => {
  it('defaults to 5 failures per address and username, 50 per address, in 15 minutes', () => {
    expect(parseConfig({}).security.loginThrottle).toEqual({ maxFailures: 5, maxFailuresPerAddress: 50, window: 900 });
  });

  it('shares the failure count between processes on one database', async () => {
    await makeUser(first.db, { username: 'shared-target' });
    expect((await login(first, '10.0.1.1', 'shared-target', 'guess 1')).statusCode).toBe(401);
    expect((await login(second, '10.0.1.1', 'shared-target', 'guess 2')).statusCode).toBe(401);
    expect((await login(first, '10.0.1.1', 'shared-target', 'guess 3')).statusCode).toBe(401);
    const blocked = await login(second, '10.0.1.1', 'shared-target', TEST_PASSWORD);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json()).toEqual({
      code: 'TooManyRequests',
      detail: expect.stringContaining('for this user from your address'),
    });
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(900);
  });

  it('throttles an address that tries many usernames, and not another address', async () => {
    await makeUser(first.db, { username: 'sprayed' });
    for (let i = 0; i < 8; i += 1) {
      const app = i % 2 === 0 ? first : second;
      expect((await login(app, '10.0.2.1', `sprayed-${i}`, 'Summer2024!')).statusCode).toBe(401);
    }
    // A username never tried before, even with the right password: the address has spent its budget.
    const blocked = await login(first, '10.0.2.1', 'sprayed', TEST_PASSWORD);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().detail).toContain('from your address');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login(second, '10.0.2.2', 'sprayed', TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('clears the (address, username) count on a successful login', async () => {
    await makeUser(first.db, { username: 'forgetful' });
    expect((await login(first, '10.0.3.1', 'forgetful', 'wrong 1')).statusCode).toBe(401);
    expect((await login(first, '10.0.3.1', 'forgetful', 'wrong 2')).statusCode).toBe(401);
    expect((await login(second, '10.0.3.1', 'forgetful', TEST_PASSWORD)).statusCode).toBe(200);
    // A fresh budget of 3 failures; the one after it is refused.
    for (let i = 3; i < 6; i += 1)
      expect((await login(first, '10.0.3.1', 'forgetful', `wrong ${i}`)).statusCode).toBe(401);
    expect((await login(first, '10.0.3.1', 'forgetful', TEST_PASSWORD)).statusCode).toBe(429);
  });

  it('lets no more than the budget through when guesses arrive in parallel', async () => {
    await makeUser(first.db, { username: 'parallel' });
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => login(i % 2 ? first : second, '10.0.4.1', 'parallel', `guess ${i}`)),
    );
    const statuses = answers.map((answer) => answer.statusCode).sort();
    expect(statuses.filter((status) => status === 401)).toHaveLength(3);
    expect(statuses.filter((status) => status === 429)).toHaveLength(9);
  });

  it('ignores X-Forwarded-For unless trust_proxy is set: a client cannot pick its own address', async () => {
    for (let i = 0; i < 8; i += 1) {
      const spoofed = { 'x-forwarded-for': `192.0.2.${i}` };
      expect((await login(first, '10.0.5.1', `nobody-${i}`, 'guess', spoofed)).statusCode).toBe(401);
    }
    expect((await login(first, '10.0.5.1', 'nobody-9', 'guess', { 'x-forwarded-for': '192.0.2.99' })).statusCode).toBe(
      429,
    );
  });

  it('deletes counters whose window has passed, and keeps current ones', async () => {
    await first.db
      .insertInto('loginFailures')
      .values([
        { address: '10.0.6.1', username: 'old', failures: 3, windowEnds: new Date(Date.now() - 60_000) },
        { address: '10.0.6.1', username: 'current', failures: 3, windowEnds: new Date(Date.now() + 600_000) },
      ])
      .execute();
    expect(await purgeExpiredLoginFailures(first.db)).toBeGreaterThanOrEqual(1);
    const left = await first.db
      .selectFrom('loginFailures')
      .select('username')
      .where('address', '=', '10.0.6.1')
      .execute();
    expect(left.map((row) => row.username)).toEqual(['current']);
  });
});

describe('login throttling behind a reverse proxy', () => {
  let proxied: TestApp;
  beforeAll(async () => {
    proxied = await createTestApp({ ...env, FLEETFLASH_TRUST_PROXY: 'true' });
  });
  afterAll(async () => {
    await proxied.close();
  });

  it('reads trust_proxy as false, a number of proxies (true = 1) or proxy addresses, and refuses anything else', () => {
    const trust = (value: string) => parseConfig({ FLEETFLASH_TRUST_PROXY: value }).server.trustProxy;
    expect(trust('false')).toBe(false);
    expect(trust('true')).toBe(1);
    expect(trust('2')).toBe(2);
    expect(trust('127.0.0.1, 10.0.0.0/8, loopback, fd00::/8')).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      'loopback',
      'fd00::/8',
    ]);
    expect(() => trust('proxy.example.com')).toThrow(/trust_proxy|TRUST_PROXY/);
    expect(() => trust('10.0.0.0/33')).toThrow(/TRUST_PROXY/);
  });

  it('counts per client address the proxy reports, whatever the client wrote into X-Forwarded-For', async () => {
    // The proxy appends the address it saw; the entries before it are the client's own words.
    for (let i = 0; i < 8; i += 1) {
      const response = await login(proxied, '127.0.0.1', `ghost-${i}`, 'guess', {
        'x-forwarded-for': `203.0.113.${i}, 198.51.100.7`,
      });
      expect(response.statusCode).toBe(401);
    }
    const blocked = await login(proxied, '127.0.0.1', 'ghost-9', 'guess', {
      'x-forwarded-for': '203.0.113.99, 198.51.100.7',
    });
    expect(blocked.statusCode).toBe(429);
    expect(
      (await login(proxied, '127.0.0.1', 'ghost-9', 'guess', { 'x-forwarded-for': '198.51.100.8' })).statusCode,
    ).toBe(401);
  });

  it('keeps one address budget for a whole IPv6 /64, whose client can pick a new address for every guess', async () => {
    for (let i = 0; i < 8; i += 1) {
      const response = await login(proxied, '127.0.0.1', `roamer-${i}`, 'guess', {
        'x-forwarded-for': `2001:db8:0:42::${i + 1}`,
      });
      expect(response.statusCode).toBe(401);
    }
    const blocked = await login(proxied, '127.0.0.1', 'roamer-9', 'guess', {
      'x-forwarded-for': '2001:db8:0:42:ffff:1:2:3',
    });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().detail).toContain('from your address');
    // The neighbouring /64 is another client.
    expect(
      (await login(proxied, '127.0.0.1', 'roamer-9', 'guess', { 'x-forwarded-for': '2001:db8:0:43::1' })).statusCode,
    ).toBe(401);
  });

  it('counts an IPv4-mapped IPv6 address as the IPv4 address it carries', async () => {
    for (let i = 0; i < 8; i += 1) {
      const response = await login(proxied, '127.0.0.1', `mapped-${i}`, 'guess', {
        'x-forwarded-for': '::ffff:198.51.100.60',
      });
      expect(response.statusCode).toBe(401);
    }
    expect(
      (await login(proxied, '127.0.0.1', 'mapped-9', 'guess', { 'x-forwarded-for': '198.51.100.60' })).statusCode,
    ).toBe(429);
  });

  it('believes X-Forwarded-For only from the listed proxy addresses', async () => {
    const listed = await createTestApp({ ...env, FLEETFLASH_TRUST_PROXY: '127.0.0.1' }, { sameDatabaseAs: proxied });
    try {
      // From an address that is not the proxy, the header is ignored: the peer itself is counted.
      for (let i = 0; i < 8; i += 1) {
        const response = await login(listed, '10.0.7.1', `phantom-${i}`, 'guess', {
          'x-forwarded-for': `203.0.113.${i}`,
        });
        expect(response.statusCode).toBe(401);
      }
      expect(
        (await login(listed, '10.0.7.1', 'phantom-9', 'guess', { 'x-forwarded-for': '203.0.113.200' })).statusCode,
      ).toBe(429);
      // Through the proxy, the client it reports is counted.
      expect(
        (await login(listed, '127.0.0.1', 'phantom-9', 'guess', { 'x-forwarded-for': '10.0.7.1' })).statusCode,
      ).toBe(429);
      expect(
        (await login(listed, '127.0.0.1', 'phantom-9', 'guess', { 'x-forwarded-for': '10.0.7.2' })).statusCode,
      ).toBe(401);
    } finally {
      await listed.close();
    }
  });
});
