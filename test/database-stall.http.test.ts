import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeToken, makeUser } from './helpers/factories.js';

/**
 * A stalled PostgreSQL (here: a table locked by another session, so every query on it waits) must
 * make requests fail fast with 503 DatabaseUnavailable and Retry-After, never 500 and never hang
 * for as long as the stall; once the stall ends, the same server answers normally.
 */

const opened: { app: TestApp; locker: pg.Client | null }[] = [];
afterEach(async () => {
  for (const { app, locker } of opened.splice(0)) {
    await locker?.end().catch(() => {});
    await app.close();
  }
});

async function appWithLock(env: Record<string, string>): Promise<{ t: TestApp; authorization: string; locker: pg.Client }> {
  const t = await createTestApp(env);
  const authorization = await makeToken(t.db, await makeUser(t.db, { isSuperuser: true }));
  const locker = new pg.Client({ connectionString: t.database.url });
  opened.push({ app: t, locker });
  await locker.connect();
  await locker.query('BEGIN');
  await locker.query('LOCK TABLE firmware_categories IN ACCESS EXCLUSIVE MODE');
  return { t, authorization, locker };
}

/** Resolves once `count` sessions of this database wait for a lock. */
async function sessionsWaitingForLock(locker: pg.Client, count: number): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    // Inside the locker's transaction the activity view is a snapshot: refresh it each time.
    await locker.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await locker.query<{ waiting: number }>(
      "SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    );
    if (rows[0]!.waiting >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${count} sessions never waited for the lock`);
}

describe('a stalled database', () => {
  it('cancels a request\'s statement after database_statement_timeout: 503 DatabaseUnavailable with Retry-After, then answers normally', async () => {
    const { t, authorization, locker } = await appWithLock({ FLEETFLASH_DATABASE_STATEMENT_TIMEOUT: '0.3' });
    const stalled = await t.app.inject({ method: 'GET', url: '/api/v1/firmware/category/', headers: { authorization } });
    expect(stalled.statusCode).toBe(503);
    expect(stalled.headers['retry-after']).toMatch(/^\d+$/);
    expect(stalled.json()).toMatchObject({ code: 'DatabaseUnavailable', detail: expect.stringContaining('retry') });

    await locker.query('ROLLBACK');
    const recovered = await t.app.inject({ method: 'GET', url: '/api/v1/firmware/category/', headers: { authorization } });
    expect(recovered.statusCode).toBe(200);
  });

  it('answers 503 DatabaseUnavailable with Retry-After when no pooled connection frees up within database_connect_timeout', async () => {
    const { t, authorization, locker } = await appWithLock({
      FLEETFLASH_DATABASE_POOL_SIZE: '2',
      FLEETFLASH_DATABASE_CONNECT_TIMEOUT: '0.3',
      FLEETFLASH_DATABASE_STATEMENT_TIMEOUT: '120',
    });
    // Two requests take both connections of the API pool and wait for the lock.
    const blocked = [1, 2].map(() => t.app.inject({ method: 'GET', url: '/api/v1/firmware/category/', headers: { authorization } }));
    await sessionsWaitingForLock(locker, 2);

    const starved = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization } });
    expect(starved.statusCode).toBe(503);
    expect(starved.headers['retry-after']).toMatch(/^\d+$/);
    expect(starved.json().code).toBe('DatabaseUnavailable');

    await locker.query('ROLLBACK');
    // The blocked requests end either way (a list reads its page and its count on two connections,
    // so they may have starved each other too), but never with a 500.
    for (const response of await Promise.all(blocked)) expect([200, 503]).toContain(response.statusCode);
    const recovered = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization } });
    expect(recovered.statusCode).toBe(200);
  });
});
