import { connect, type AddressInfo, type Socket } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrganizationRow } from '../src/modules/accounts/accounts.table.js';
import { insertEvent } from '../src/platform/events.js';
import { createTestApp, readMetric, type TestApp } from './helpers/app.js';
import { makeOrganization, makeToken, makeUser } from './helpers/factories.js';
import { openStream, type OpenStream } from './helpers/sse.js';

/**
 * Where an event stream resumes, and how it ends: a client that reconnects (as browsers do, with
 * the last `id:` they saw) gets every event it missed, once, whatever it received before; a stream
 * whose client is gone is not kept. `short` ends streams after 2 s (and re-checks access every 0.2 s).
 */

let t: TestApp;
let short: TestApp;
beforeAll(async () => {
  [t, short] = await Promise.all([
    createTestApp(),
    createTestApp({ FLEETFLASH_EVENTS_ACCESS_RECHECK_INTERVAL: '0.2', FLEETFLASH_EVENTS_STREAM_MAX_LIFETIME: '2' }),
  ]);
  for (const app of [t, short]) await app.app.listen({ host: '127.0.0.1', port: 0 });
});
const streams: OpenStream[] = [];
afterAll(async () => {
  for (const stream of streams) stream.close();
  await Promise.all([t?.close(), short?.close()]);
});

function port(app: TestApp): number {
  return (app.app.server.address() as AddressInfo).port;
}

function baseUrl(app: TestApp): string {
  return `http://127.0.0.1:${port(app)}`;
}

async function stream(app: TestApp, headers: Record<string, string>, path = '/api/v1/events/'): Promise<OpenStream> {
  const opened = await openStream(`${baseUrl(app)}${path}`, headers);
  streams.push(opened);
  expect(opened.status).toBe(200);
  return opened;
}

/** Publishes a `batch` event of the organization, as a rollout would. */
async function publish(app: TestApp, organization: OrganizationRow, marker: string): Promise<void> {
  await insertEvent(app.db, { type: 'batch', organizationId: organization.id, data: { marker } });
}

async function member(app: TestApp, organizations: OrganizationRow[]) {
  return makeUser(app.db, {
    memberships: organizations.map((organization) => ({ organization, role: 'admin' as const })),
  });
}

async function waitUntil(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The app's stream counters, as /metrics reports them. */
async function streamMetrics(app: TestApp): Promise<{ open: number; opened: number }> {
  return {
    open: await readMetric(app, 'fleetflash_event_streams_open'),
    opened: await readMetric(app, 'fleetflash_event_streams_opened_total'),
  };
}

describe('resuming an event stream', () => {
  it(
    'resumes after the later of the Last-Event-ID header and last_event_id, as a browser reusing a resume URL ' +
      'sends both',
    async () => {
      const organization = await makeOrganization(t.db);
      const token = await makeToken(t.db, await member(t, [organization]));
      for (const marker of ['first', 'second', 'third']) await publish(t, organization, marker);
      const ids = (
        await t.db
          .selectFrom('events')
          .select('id')
          .where('organizationId', '=', organization.id)
          .orderBy('id')
          .execute()
      ).map((row) => row.id);
      const [first, second, third] = ids as [number, number, number];

      const received = async (query: number, header: number) => {
        const opened = await stream(
          t,
          { authorization: token, 'last-event-id': String(header) },
          `/api/v1/events/?last_event_id=${query}`,
        );
        await opened.waitFor((messages) => messages.some((message) => message.id === third), 5000, 'the last event');
        return opened.messages.map((message) => message.id);
      };
      // The page resumed from `first` by URL; the browser then reconnected by itself after `second`.
      expect(await received(first, second)).toEqual([third]);
      expect(await received(second, first)).toEqual([third]);
    },
  );

  it(
    'lets a client that received nothing before the lifetime ended resume without losing what was committed ' +
      'meanwhile',
    async () => {
      const organization = await makeOrganization(short.db);
      const token = await makeToken(short.db, await member(short, [organization]));
      const quiet = await stream(short, { authorization: token });
      await quiet.waitForEnd(5000, 'the stream to reach its lifetime');
      expect(quiet.messages).toEqual([]);

      // Committed between the end and the reconnection; a browser resumes with the last `id:` it saw.
      await publish(short, organization, 'in-the-gap');
      const lastEventId = quiet.lastEventId();
      const resumed = await stream(short, {
        authorization: token,
        ...(lastEventId !== undefined ? { 'last-event-id': lastEventId } : {}),
      });
      await resumed.waitFor(
        (messages) => messages.some((message) => message.data?.marker === 'in-the-gap'),
        5000,
        'the event committed in the gap',
      );
    },
  );
});

describe('where a new stream starts', () => {
  it('starts at the newest event when nobody followed the events before it, and delivers only later ones', async () => {
    // An app of its own: no stream of another test may be open, so nobody follows its events.
    const app = await createTestApp();
    let opened: OpenStream | null = null;
    try {
      await app.app.listen({ host: '127.0.0.1', port: 0 });
      const organization = await makeOrganization(app.db);
      const token = await makeToken(app.db, await member(app, [organization]));
      for (const marker of ['before-1', 'before-2', 'before-3']) await publish(app, organization, marker);
      // Past the pump's poll (1 s): it has run with nobody subscribed and no longer follows the position.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const newest = await sql<{ id: string }>`SELECT max(id) AS id FROM events`.execute(app.db);
      const started = await stream(app, { authorization: token });
      opened = started;
      await waitUntil(() => started.lastEventId() !== undefined, 'the stream to open');
      expect(started.lastEventId()).toBe(String(newest.rows[0]!.id));
      await publish(app, organization, 'after');
      await started.waitFor(
        (messages) => messages.some((message) => message.data?.marker === 'after'),
        5000,
        'the event published after the stream opened',
      );
      expect(started.messages.map((message) => message.data?.marker)).toEqual(['after']);
    } finally {
      opened?.close();
      await app.close();
    }
  });
});

describe('a stream that cannot learn where to start', () => {
  it('is an error response, not a stream left open, when the database does not answer', async () => {
    const app = await createTestApp();
    try {
      await app.app.listen({ host: '127.0.0.1', port: 0 });
      const organization = await makeOrganization(app.db);
      const token = await makeToken(app.db, await member(app, [organization]));
      // Past the pump's poll with nobody subscribed: the stream has to ask for the newest event.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await sql`ALTER TABLE events RENAME TO events_away`.execute(app.db);
      let response: Response;
      try {
        response = await fetch(`${baseUrl(app)}/api/v1/events/`, {
          headers: { authorization: token },
          signal: AbortSignal.timeout(5000),
        });
      } finally {
        await sql`ALTER TABLE events_away RENAME TO events`.execute(app.db);
      }
      expect(response.status).toBeGreaterThanOrEqual(500);
      expect(response.headers.get('content-type')).toContain('application/json');
      expect(((await response.json()) as { code: unknown }).code).toEqual(expect.any(String));
      // With the database back, the stream opens.
      const opened = await stream(app, { authorization: token });
      await waitUntil(() => opened.lastEventId() !== undefined, 'the stream to open');
      opened.close();
    } finally {
      await app.close();
    }
  });
});

describe('a stream whose client is gone', () => {
  it('is closed at once when the client left while the request was still being authenticated', async () => {
    const organization = await makeOrganization(t.db);
    const token = await makeToken(t.db, await member(t, [organization]));
    const before = await streamMetrics(t);

    // Hold the request in its authentication by locking the tokens' table meanwhile.
    let unlock = () => {};
    const unlocked = new Promise<void>((resolve) => {
      unlock = resolve;
    });
    let locked = () => {};
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const locking = t.db.transaction().execute(async (trx) => {
      await sql`LOCK TABLE api_tokens IN ACCESS EXCLUSIVE MODE`.execute(trx);
      locked();
      await unlocked;
    });
    let client: Socket | undefined;
    try {
      await isLocked;
      const serverSide = new Promise<Socket>((resolve) => t.app.server.once('connection', resolve));
      client = connect(port(t), '127.0.0.1');
      client.write(`GET /api/v1/events/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${token}\r\n\r\n`);
      const waiting = sql<{ count: number }>`
        SELECT count(*)::int AS count
        FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`;
      await waitUntil(async () => (await waiting.execute(t.db)).rows[0]!.count > 0, 'the request to wait for the lock');
      // The client goes; the server notices while the request is still waiting.
      const socket = await serverSide;
      client.destroy();
      await waitUntil(() => socket.destroyed, 'the server to see the client go');
    } finally {
      client?.destroy();
      unlock();
      await locking;
    }
    // The request then goes on and starts its stream: it must not stay open for the lifetime.
    await waitUntil(async () => (await streamMetrics(t)).opened > before.opened, 'the stream to start');
    expect((await streamMetrics(t)).open).toBe(before.open);
  });
});

describe('the maximum lifetime of an event stream', () => {
  it('ends streams that a client resumes with Last-Event-ID, losing and repeating nothing', async () => {
    const organization = await makeOrganization(short.db);
    const token = await makeToken(short.db, await member(short, [organization]));
    const start = await short.db
      .selectFrom('events')
      .select((eb) => eb.fn.max('id').as('max'))
      .executeTakeFirst();
    let lastEventId = Number(start?.max ?? 0);
    const received: number[] = [];
    let connections = 0;
    let producing = true;
    const producer = (async () => {
      // Some events commit concurrently (ids may commit out of order), some one by one.
      for (let round = 0; round < 25; round += 1) {
        await Promise.all([publish(short, organization, `a${round}`), publish(short, organization, `b${round}`)]);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      producing = false;
    })();
    const published = async () =>
      (
        await short.db
          .selectFrom('events')
          .select('id')
          .where('organizationId', '=', organization.id)
          .orderBy('id')
          .execute()
      ).map((row) => row.id);
    while (connections < 20) {
      const opened = await openStream(`${baseUrl(short)}/api/v1/events/`, {
        authorization: token,
        'last-event-id': String(lastEventId),
      });
      streams.push(opened);
      expect(opened.status).toBe(200);
      connections += 1;
      await opened.waitForEnd(5000, 'the stream to reach its lifetime');
      expect(opened.text()).toContain('retry:');
      for (const message of opened.messages) {
        if (message.id !== undefined) {
          received.push(message.id);
          lastEventId = message.id;
        }
      }
      if (!producing && received.length >= (await published()).length) break;
    }
    await producer;
    expect(connections).toBeGreaterThan(2);
    expect(received).toEqual(await published());
    expect(received).toHaveLength(50);
  });
});
