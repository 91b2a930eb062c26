import net from 'node:net';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { connectDatabase } from '../src/database.js';
import { mapDatabaseError } from '../src/platform/db/pg-errors.js';
import { createLogger } from '../src/platform/logger.js';
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

async function appWithLock(
  env: Record<string, string>,
): Promise<{ t: TestApp; authorization: string; locker: pg.Client }> {
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
      'SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type ' +
        "= 'Lock'",
    );
    if (rows[0]!.waiting >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${count} sessions never waited for the lock`);
}

describe('a stalled database', () => {
  it(
    "cancels a request's statement after database_statement_timeout: 503 DatabaseUnavailable with Retry-After, " +
      'then answers normally',
    async () => {
      const { t, authorization, locker } = await appWithLock({ FLEETFLASH_DATABASE_STATEMENT_TIMEOUT: '0.3' });
      const stalled = await t.app.inject({
        method: 'GET',
        url: '/api/v1/firmware/category/',
        headers: { authorization },
      });
      expect(stalled.statusCode).toBe(503);
      expect(stalled.headers['retry-after']).toMatch(/^\d+$/);
      expect(stalled.json()).toMatchObject({ code: 'DatabaseUnavailable', detail: expect.stringContaining('retry') });

      await locker.query('ROLLBACK');
      const recovered = await t.app.inject({
        method: 'GET',
        url: '/api/v1/firmware/category/',
        headers: { authorization },
      });
      expect(recovered.statusCode).toBe(200);
    },
  );

  it(
    'answers 503 DatabaseUnavailable with Retry-After when no pooled connection frees up within ' +
      'database_connect_timeout',
    async () => {
      const { t, authorization, locker } = await appWithLock({
        FLEETFLASH_DATABASE_POOL_SIZE: '2',
        FLEETFLASH_DATABASE_CONNECT_TIMEOUT: '0.3',
        FLEETFLASH_DATABASE_STATEMENT_TIMEOUT: '120',
      });
      // Two requests take both connections of the API pool and wait for the lock.
      const blocked = [1, 2].map(() =>
        t.app.inject({ method: 'GET', url: '/api/v1/firmware/category/', headers: { authorization } }),
      );
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
    },
  );
});

/** A loopback TCP proxy to PostgreSQL that can stop passing the server's answers on, as a frozen server would. */
async function freezableProxy(target: URL): Promise<{ url: string; freeze(): void; thaw(): void; close(): void }> {
  let frozen = false;
  const upstreams = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    upstreams.add(upstream);
    if (frozen) upstream.pause();
    socket.pipe(upstream);
    upstream.pipe(socket);
    const end = () => {
      socket.destroy();
      upstream.destroy();
      upstreams.delete(upstream);
    };
    socket.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target);
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    freeze: () => {
      frozen = true;
      for (const upstream of upstreams) upstream.pause();
    },
    thaw: () => {
      frozen = false;
      for (const upstream of upstreams) upstream.resume();
    },
    close: () => {
      for (const upstream of upstreams) upstream.destroy();
      server.close();
    },
  };
}

describe('a database that does not answer at all', () => {
  it(
    'gives a query up shortly after the statement timeout (DatabaseUnavailable), and works again once the server ' +
      'answers',
    async () => {
      const t = await createTestApp();
      opened.push({ app: t, locker: null });
      const proxy = await freezableProxy(new URL(t.database.url));
      const connection = connectDatabase(proxy.url, 2, createLogger('silent'), {
        connectTimeout: 1,
        statementTimeout: 0.1,
      });
      try {
        expect((await sql<{ one: number }>`SELECT 1 AS one`.execute(connection.db)).rows).toEqual([{ one: 1 }]);
        proxy.freeze();
        const error = await sql`SELECT 1`.execute(connection.db).then(
          () => null,
          (caught: unknown) => caught,
        );
        expect(mapDatabaseError(error)?.code).toBe('DatabaseUnavailable');
        expect(mapDatabaseError(error)?.headers).toMatchObject({ 'retry-after': expect.any(String) });
        proxy.thaw();
        expect((await sql<{ one: number }>`SELECT 1 AS one`.execute(connection.db)).rows).toEqual([{ one: 1 }]);
      } finally {
        await connection.close();
        proxy.close();
      }
    },
  );
});
