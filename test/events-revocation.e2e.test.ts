import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrganizationRow } from '../src/modules/accounts/accounts.table.js';
import { insertEvent } from '../src/platform/events.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { startDelayingProxy } from './helpers/delaying-proxy.js';
import { makeOrganization, makeToken, makeUser, TEST_PASSWORD } from './helpers/factories.js';
import { openStream, type OpenStream, type SseMessage } from './helpers/sse.js';

/** Logins and cookie changes come from fleetflash's own pages (the same-origin rule). */
const OWN_PAGE = { origin: 'http://localhost' };

/**
 * Access taken away ends everywhere: an open event stream stops delivering an organization's events
 * as soon as the caller's token, session, account or membership goes. Streams on `t` keep the
 * default 30 s periodic re-check, so a stream that ends within the (much shorter) waits below was
 * told by the database's access notification. `short` re-checks and ends streams quickly.
 */

/** Far below the 30 s periodic re-check of `t`: an end within it proves the notification path. */
const PROMPT_MS = 8000;

let t: TestApp;
let short: TestApp;
let superuser: string;
beforeAll(async () => {
  [t, short] = await Promise.all([
    createTestApp(),
    createTestApp({ FLEETFLASH_EVENTS_ACCESS_RECHECK_INTERVAL: '0.2', FLEETFLASH_EVENTS_STREAM_MAX_LIFETIME: '2' }),
  ]);
  for (const app of [t, short]) await app.app.listen({ host: '127.0.0.1', port: 0 });
  superuser = await makeToken(t.db, await makeUser(t.db, { isSuperuser: true }));
});
const streams: OpenStream[] = [];
afterAll(async () => {
  for (const stream of streams) stream.close();
  await Promise.all([t?.close(), short?.close()]);
});

function baseUrl(app: TestApp): string {
  return `http://127.0.0.1:${(app.app.server.address() as AddressInfo).port}`;
}

async function stream(app: TestApp, headers: Record<string, string>, path = '/api/v1/events/'): Promise<OpenStream> {
  const opened = await openStream(`${baseUrl(app)}${path}`, headers);
  streams.push(opened);
  expect(opened.status).toBe(200);
  await opened.waitFor(() => opened.text().includes(': connected'), 5000, 'the stream to open');
  return opened;
}

/** Publishes a `batch` event of the organization, as a rollout would. */
async function publish(app: TestApp, organization: OrganizationRow, marker: string): Promise<void> {
  await insertEvent(app.db, { type: 'batch', organizationId: organization.id, data: { marker } });
}

const hasMarker = (marker: string) => (messages: SseMessage[]) =>
  messages.some((message) => message.data?.marker === marker);

/** The stream receives the organization's events now (so a later silence means something). */
async function expectLive(
  app: TestApp,
  opened: OpenStream,
  organization: OrganizationRow,
  marker: string,
): Promise<void> {
  await publish(app, organization, marker);
  await opened.waitFor(hasMarker(marker), 5000, `event ${marker}`);
}

/** A superuser's stream of the organization: it keeps receiving what a revoked stream must not. */
async function controlStream(organization: OrganizationRow): Promise<OpenStream> {
  return stream(t, { authorization: superuser }, `/api/v1/events/?organization=${organization.slug}`);
}

/**
 * Called right after access was taken away: an event of the organization published now (while the
 * stream may still be open) never reaches it, although the still-authorised `control` stream gets
 * it; and the stream ends with `event: revoked`.
 */
async function expectRevoked(
  app: TestApp,
  opened: OpenStream,
  organization: OrganizationRow,
  reason: string,
  control: OpenStream,
): Promise<void> {
  const marker = `after-revocation-${randomUUID()}`;
  await publish(app, organization, marker);
  await opened.waitForEnd(PROMPT_MS, 'the stream to end');
  expect(opened.messages.at(-1)).toMatchObject({ event: 'revoked', id: undefined, data: { reason } });
  await control.waitFor(hasMarker(marker), 5000, `the control stream to receive ${marker}`);
  expect(hasMarker(marker)(opened.messages)).toBe(false);
}

async function waitUntil(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function member(app: TestApp, organizations: OrganizationRow[]) {
  return makeUser(app.db, {
    memberships: organizations.map((organization) => ({ organization, role: 'admin' as const })),
  });
}

describe('an open event stream when access is taken away', () => {
  it('ends at once when its API token is revoked', async () => {
    const organization = await makeOrganization(t.db);
    const token = await makeToken(t.db, await member(t, [organization]));
    const opened = await stream(t, { authorization: token });
    const control = await controlStream(organization);
    await expectLive(t, opened, organization, 'before');
    const [mine] = (
      await t.app.inject({ method: 'GET', url: '/api/v1/auth/tokens/', headers: { authorization: token } })
    ).json().results;
    expect(
      (
        await t.app.inject({
          method: 'DELETE',
          url: `/api/v1/auth/tokens/${mine.id}/`,
          headers: { authorization: token },
        })
      ).statusCode,
    ).toBe(204);
    await expectRevoked(t, opened, organization, 'credentials', control);
  });

  it('ends at once when its session logs out', async () => {
    const organization = await makeOrganization(t.db);
    const user = await member(t, [organization]);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: OWN_PAGE,
      payload: { username: user.username, password: TEST_PASSWORD },
    });
    const cookie = `fleetflash_session=${login.cookies.find((c) => c.name === 'fleetflash_session')!.value}`;
    const opened = await stream(t, { cookie });
    const control = await controlStream(organization);
    await expectLive(t, opened, organization, 'before');
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, ...OWN_PAGE } })).statusCode,
    ).toBe(204);
    await expectRevoked(t, opened, organization, 'credentials', control);
  });

  it('ends at once when its user is deactivated', async () => {
    const organization = await makeOrganization(t.db);
    const user = await member(t, [organization]);
    const opened = await stream(t, { authorization: await makeToken(t.db, user) });
    const control = await controlStream(organization);
    await expectLive(t, opened, organization, 'before');
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}/`,
      headers: { authorization: superuser },
      payload: { is_active: false },
    });
    expect(patch.statusCode).toBe(200);
    await expectRevoked(t, opened, organization, 'credentials', control);
  });

  it('narrows at once when its user loses a membership, and ends a stream that follows that organization', async () => {
    const [kept, lost] = [await makeOrganization(t.db), await makeOrganization(t.db)];
    const user = await member(t, [kept, lost]);
    const token = await makeToken(t.db, user);
    const everything = await stream(t, { authorization: token });
    const followingLost = await stream(t, { authorization: token }, `/api/v1/events/?organization=${lost.slug}`);
    const control = await controlStream(lost);
    await expectLive(t, everything, lost, 'lost-before');
    await followingLost.waitFor(hasMarker('lost-before'), 5000, 'event lost-before');

    const removal = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/organizations/${lost.id}/members/${user.id}/`,
      headers: { authorization: superuser },
    });
    expect(removal.statusCode).toBe(204);
    await expectRevoked(t, followingLost, lost, 'filter', control);
    // The other stream stays open for the organization the user keeps, and only for it.
    await publish(t, lost, 'lost-after');
    await expectLive(t, everything, kept, 'kept-after');
    expect(everything.messages.some((message) => message.data?.marker === 'lost-after')).toBe(false);
    expect(everything.isEnded()).toBe(false);
  });

  it("narrows at once when one of its user's organizations is deactivated", async () => {
    const [kept, deactivated] = [await makeOrganization(t.db), await makeOrganization(t.db)];
    const opened = await stream(t, { authorization: await makeToken(t.db, await member(t, [kept, deactivated])) });
    await expectLive(t, opened, deactivated, 'deactivated-before');
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/organizations/${deactivated.id}/`,
      headers: { authorization: superuser },
      payload: { is_active: false },
    });
    expect(patch.statusCode).toBe(200);
    await publish(t, deactivated, 'deactivated-after');
    await expectLive(t, opened, kept, 'kept-after');
    expect(opened.messages.some((message) => message.data?.marker === 'deactivated-after')).toBe(false);
  });

  it(
    're-checks every stream once the notification listener has reconnected, for changes announced while it was ' +
      'down',
    async () => {
      const organization = await makeOrganization(t.db);
      const token = await makeToken(t.db, await member(t, [organization]));
      const opened = await stream(t, { authorization: token });
      const control = await controlStream(organization);
      await expectLive(t, opened, organization, 'before');
      const [mine] = (
        await t.app.inject({ method: 'GET', url: '/api/v1/auth/tokens/', headers: { authorization: token } })
      ).json().results;

      // Cut the listening connection; the token is revoked before it is back (it waits a second).
      const listeners = sql<{ pid: number }>`
        SELECT pid
        FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'fleetflash-listener'`;
      expect((await listeners.execute(t.db)).rows.length).toBeGreaterThan(0);
      await sql`
        SELECT pg_terminate_backend(pid)
        FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'fleetflash-listener'`.execute(t.db);
      await waitUntil(
        async () => (await listeners.execute(t.db)).rows.length === 0,
        "the listener's connection to end",
      );
      expect(
        (
          await t.app.inject({
            method: 'DELETE',
            url: `/api/v1/auth/tokens/${mine.id}/`,
            headers: { authorization: token },
          })
        ).statusCode,
      ).toBe(204);
      // The notification was lost: only the re-check after the reconnection ends the stream this soon.
      await expectRevoked(t, opened, organization, 'credentials', control);
    },
  );

  it('delivers no event on the old access when the access notification arrives after the event was read', async () => {
    // A second server process whose LISTEN connection is slow: notifications reach it late, while
    // its pump reads new events directly (its 1 s poll reads them before the notification is in).
    const proxy = await startDelayingProxy(t.database.url);
    const slow = await createTestApp({}, { sameDatabaseAs: t, listenerDatabaseUrl: proxy.url });
    try {
      await slow.app.listen({ host: '127.0.0.1', port: 0 });
      const organization = await makeOrganization(t.db);
      const token = await makeToken(t.db, await member(t, [organization]));
      const opened = await stream(slow, { authorization: token });
      const control = await controlStream(organization);
      await expectLive(slow, opened, organization, 'before');
      proxy.delayMs = 1500;
      const [mine] = (
        await t.app.inject({ method: 'GET', url: '/api/v1/auth/tokens/', headers: { authorization: token } })
      ).json().results;
      expect(
        (
          await t.app.inject({
            method: 'DELETE',
            url: `/api/v1/auth/tokens/${mine.id}/`,
            headers: { authorization: token },
          })
        ).statusCode,
      ).toBe(204);
      await expectRevoked(t, opened, organization, 'credentials', control);
    } finally {
      await slow.close();
      await proxy.close();
    }
  });

  it('re-checks periodically, so a token that merely expires (no notification) ends its stream too', async () => {
    const organization = await makeOrganization(short.db);
    const user = await member(short, [organization]);
    const token = await makeToken(short.db, user);
    await short.db
      .updateTable('apiTokens')
      .set({ expiresAt: new Date(Date.now() + 600) })
      .where('userId', '=', user.id)
      .execute();
    const opened = await stream(short, { authorization: token });
    // Expiry sends no notification; the 0.2 s re-check ends the stream well before its 2 s lifetime.
    await opened.waitForEnd(5000, 'the stream to end');
    expect(opened.messages.at(-1)).toMatchObject({ event: 'revoked', data: { reason: 'credentials' } });
  });
});

describe("changing one's password", () => {
  it('ends every session of the user and keeps the API tokens unless revoke_tokens is true', async () => {
    const user = await makeUser(t.db);
    const token = await makeToken(t.db, user);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: OWN_PAGE,
      payload: { username: user.username, password: TEST_PASSWORD },
    });
    const cookie = `fleetflash_session=${login.cookies.find((c) => c.name === 'fleetflash_session')!.value}`;
    const change = (payload: Record<string, unknown>) =>
      t.app.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}/`, headers: { authorization: token }, payload });
    const me = (headers: Record<string, string>) => t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers });

    expect((await change({ password: 'second password', current_password: TEST_PASSWORD })).statusCode).toBe(200);
    expect((await me({ cookie })).statusCode).toBe(401);
    expect((await me({ authorization: token })).statusCode).toBe(200);

    const alone = await change({ revoke_tokens: true });
    expect(alone.statusCode).toBe(400);
    expect(alone.json()).toMatchObject({ code: 'ValidationFailed', fields: { revoke_tokens: 'only with password' } });

    const opened = await stream(t, { authorization: token });
    expect(
      (await change({ password: 'third password', current_password: 'second password', revoke_tokens: true }))
        .statusCode,
    ).toBe(200);
    expect((await me({ authorization: token })).statusCode).toBe(401);
    await opened.waitForEnd(PROMPT_MS, 'the stream to end');
    expect(opened.messages.at(-1)).toMatchObject({ event: 'revoked', data: { reason: 'credentials' } });
  });
});
