import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrganizationRow } from '../src/modules/accounts/accounts.table.js';
import { createTestApp, readMetric, type TestApp } from './helpers/app.js';
import { makeBuild, makeCategory, makeImageRow, makeOrganization, makeToken, makeUser } from './helpers/factories.js';

/**
 * Build lists (counts and whole pages) are cached per process (catalog-cache.ts). Two apps on one
 * database stand for two API processes: whatever changes a listed build — through either process's
 * API or straight in the database — shows in the very next list on both, although both had the
 * page cached; and one caller's cached page is never another's.
 */

let a: TestApp;
let b: TestApp;
/** A third process without the list cache: what the database path answers. */
let uncached: TestApp;
let superuser: string;
beforeAll(async () => {
  a = await createTestApp();
  b = await createTestApp({}, { sameDatabaseAs: a });
  uncached = await createTestApp({ FLEETFLASH_LIST_CACHE_TTL: '0' }, { sameDatabaseAs: a });
  superuser = await makeToken(a.db, await makeUser(a.db, { isSuperuser: true }));
});
afterAll(async () => {
  await uncached?.close();
  await b?.close();
  await a?.close();
});

interface Listed {
  count: number;
  results: { id: string; version: string; organization: string | null; category_relation: { name: string } }[];
}

async function list(app: TestApp, token: string, url: string): Promise<Listed> {
  const response = await app.app.inject({ method: 'GET', url, headers: { authorization: token } });
  expect(response.statusCode).toBe(200);
  return response.json();
}

/** Lists twice on each process: the second answer comes from that process's cache (the hit counter proves it). */
async function warm(token: string, url: string): Promise<Listed> {
  let first: Listed | undefined;
  for (const app of [a, b]) {
    const listed = await list(app, token, url);
    const hits = await readMetric(app, 'fleetflash_list_cache_hits_total');
    expect(await list(app, token, url)).toEqual(listed);
    expect(await readMetric(app, 'fleetflash_list_cache_hits_total')).toBe(hits + 1);
    first ??= listed;
  }
  return first!;
}

async function organizationWithBuilds(
  builds: number,
): Promise<{ organization: OrganizationRow; categoryId: string; token: string; url: string }> {
  const organization = await makeOrganization(a.db);
  const categoryId = (await makeCategory(a.db, { organizationId: organization.id })).id;
  for (let n = 0; n < builds; n += 1) await makeBuild(a.db, { categoryId });
  const user = await makeUser(a.db, { memberships: [{ organization, role: 'admin' }] });
  const token = await makeToken(a.db, user);
  return { organization, categoryId, token, url: `/api/v1/firmware/build/?organization=${organization.slug}` };
}

describe('the per-process build list cache', () => {
  it('answers a repeated list from memory with exactly the bytes and headers of the database path', async () => {
    const { organization, token, url } = await organizationWithBuilds(3);
    // Microseconds are cut to milliseconds, as Date's toISOString has always written them.
    await sql`UPDATE firmware_builds SET created = '2026-01-02 03:04:05.678999+00', modified = '1999-12-31 23:59:59+02'
              WHERE organization_id = ${organization.id}`.execute(a.db);
    const paged = `${url}&page_size=2&page=2&ordering=version`;
    await warm(token, paged);
    const [cached, fresh] = await Promise.all(
      [a, uncached].map((app) => app.app.inject({ method: 'GET', url: paged, headers: { authorization: token } })),
    );
    expect(cached!.statusCode).toBe(200);
    expect(cached!.rawPayload.equals(fresh!.rawPayload)).toBe(true);
    expect(cached!.headers['content-type']).toBe(fresh!.headers['content-type']);
    expect(cached!.headers['content-length']).toBe(fresh!.headers['content-length']);
    const head = await a.app.inject({ method: 'HEAD', url: paged, headers: { authorization: token } });
    expect([head.statusCode, head.body, head.headers['content-type']]).toEqual([
      200,
      '',
      fresh!.headers['content-type'],
    ]);
    const body = cached!.json();
    expect(body.count).toBe(3);
    expect(body.previous).toMatch(/page=1/);
    expect(body.results[0].created).toBe('2026-01-02T03:04:05.678Z');
    expect(body.results[0].modified).toBe('1999-12-31T21:59:59.000Z');
    // The same text as a single build read by id (where PostgreSQL's timestamps become Dates).
    const one = await a.app.inject({
      method: 'GET',
      url: `/api/v1/firmware/build/${body.results[0].id}/`,
      headers: { authorization: token },
    });
    expect(body.results[0]).toEqual(one.json());
  });

  it('shows a build created, changed or deleted through one process in the next list of both', async () => {
    const { categoryId, token, url } = await organizationWithBuilds(2);
    expect((await warm(token, url)).count).toBe(2);

    const created = await a.app.inject({
      method: 'POST',
      url: '/api/v1/firmware/build/',
      headers: { authorization: token },
      payload: { category: categoryId, version: 'new-1' },
    });
    expect(created.statusCode).toBe(201);
    for (const app of [b, a]) {
      const listed = await list(app, token, url);
      expect(listed.count).toBe(3);
      expect(listed.results.map((build) => build.version)).toContain('new-1');
    }

    await warm(token, url);
    const changed = await b.app.inject({
      method: 'PATCH',
      url: `/api/v1/firmware/build/${created.json().id}/`,
      headers: { authorization: token },
      payload: { version: 'new-2' },
    });
    expect(changed.statusCode).toBe(200);
    for (const app of [a, b]) {
      const versions = (await list(app, token, url)).results.map((build) => build.version);
      expect(versions).toContain('new-2');
      expect(versions).not.toContain('new-1');
    }

    await warm(token, url);
    const deleted = await a.app.inject({
      method: 'DELETE',
      url: `/api/v1/firmware/build/${created.json().id}/`,
      headers: { authorization: token },
    });
    expect(deleted.statusCode).toBe(204);
    for (const app of [b, a]) expect((await list(app, token, url)).count).toBe(2);
  });

  it('shows changes made straight in the database: builds, category names, organization slugs', async () => {
    const { organization, categoryId, token, url } = await organizationWithBuilds(1);
    await warm(token, url);
    await makeBuild(a.db, { categoryId });
    for (const app of [a, b]) expect((await list(app, token, url)).count).toBe(2);

    await warm(token, url);
    await sql`UPDATE firmware_categories SET name = 'renamed in the database' WHERE id = ${categoryId}`.execute(a.db);
    for (const app of [b, a]) {
      const names = (await list(app, token, url)).results.map((build) => build.category_relation.name);
      expect(names).toEqual(['renamed in the database', 'renamed in the database']);
    }

    // The `organization` filter goes by slug: a renamed slug finds the builds, the old one nothing.
    await warm(token, url);
    await sql`UPDATE organizations SET slug = ${`${organization.slug}-renamed`} WHERE id = ${organization.id}`.execute(
      a.db,
    );
    for (const app of [a, b]) {
      expect((await list(app, token, url)).count).toBe(0);
      expect((await list(app, token, `${url}-renamed`)).count).toBe(2);
    }
  });

  it('shows changed usage counts: images added or deleted, devices that start or stop running a build', async () => {
    const { organization, categoryId, token } = await organizationWithBuilds(0);
    const build = await makeBuild(a.db, { categoryId });
    const url = `/api/v1/firmware/build/?category=${categoryId}`;
    const counts = async (app: TestApp) => {
      const listed = (await list(app, token, url)) as unknown as {
        results: { image_count: number; device_count: number }[];
      };
      return listed.results.map((row) => [row.image_count, row.device_count]);
    };
    expect(await counts(a)).toEqual([[0, 0]]);
    await warm(token, url);
    const image = await makeImageRow(a.db, { buildId: build.id });
    for (const app of [a, b]) expect(await counts(app)).toEqual([[1, 0]]);

    await warm(token, url);
    const device = await sql<{ id: string }>`
      INSERT INTO devices (organization_id, name, mac_address)
      VALUES (${organization.id}, 'counted', '02:00:00:00:00:99') RETURNING id`.execute(a.db);
    const deviceId = device.rows[0]!.id;
    await sql`INSERT INTO device_firmwares (device_id, image_id, installed)
      VALUES (${deviceId}, ${image.id}, true)`.execute(a.db);
    for (const app of [b, a]) expect(await counts(app)).toEqual([[1, 1]]);

    // Moved to another organization: no longer one of the caller's devices.
    await warm(token, url);
    const other = await makeOrganization(a.db);
    await sql`UPDATE devices SET organization_id = ${other.id} WHERE id = ${deviceId}`.execute(a.db);
    for (const app of [a, b]) expect(await counts(app)).toEqual([[1, 0]]);

    await sql`UPDATE devices SET organization_id = ${organization.id} WHERE id = ${deviceId}`.execute(a.db);
    expect(await counts(a)).toEqual([[1, 1]]);
    await warm(token, url);
    await sql`DELETE FROM devices WHERE id = ${deviceId}`.execute(a.db);
    for (const app of [a, b]) expect(await counts(app)).toEqual([[1, 0]]);

    await warm(token, url);
    await sql`DELETE FROM firmware_images WHERE id = ${image.id}`.execute(a.db);
    for (const app of [b, a]) expect(await counts(app)).toEqual([[0, 0]]);
  });

  it("never answers one caller with another's cached list, and follows membership changes", async () => {
    const first = await organizationWithBuilds(2);
    const second = await organizationWithBuilds(1);
    const shared = await makeBuild(a.db, { categoryId: (await makeCategory(a.db, { organizationId: null })).id });
    const url = '/api/v1/firmware/build/?page_size=100';
    const ids = async (app: TestApp, token: string) => (await list(app, token, url)).results.map((build) => build.id);
    const buildsOf = async (organizationId: string) =>
      (await a.db.selectFrom('firmwareBuilds').select('id').where('organizationId', '=', organizationId).execute()).map(
        (row) => row.id,
      );
    const firstIds = await buildsOf(first.organization.id);
    const secondIds = await buildsOf(second.organization.id);

    await warm(first.token, url);
    await warm(superuser, url);
    for (const app of [a, b]) {
      const seenByFirst = await ids(app, first.token);
      expect(seenByFirst).toEqual(expect.arrayContaining([...firstIds, shared.id]));
      for (const id of secondIds) expect(seenByFirst).not.toContain(id);
      const seenBySecond = await ids(app, second.token);
      expect(seenBySecond).toEqual(expect.arrayContaining([...secondIds, shared.id]));
      for (const id of firstIds) expect(seenBySecond).not.toContain(id);
      expect(await ids(app, superuser)).toEqual(expect.arrayContaining([...firstIds, ...secondIds, shared.id]));
      // Counts are remembered by filter and visibility: each caller's is the database's.
      for (const token of [first.token, second.token, superuser]) {
        for (const pageUrl of [url, '/api/v1/firmware/build/?page_size=1']) {
          expect((await list(app, token, pageUrl)).count).toBe((await list(uncached, token, pageUrl)).count);
        }
      }
    }

    // The first organization's user joins the second organization (through one process): both show it at once.
    const firstUser = (
      await a.db
        .selectFrom('memberships')
        .select('userId')
        .where('organizationId', '=', first.organization.id)
        .executeTakeFirstOrThrow()
    ).userId;
    const joined = await a.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${second.organization.id}/members/`,
      headers: { authorization: superuser },
      payload: { user: firstUser, role: 'operator' },
    });
    expect(joined.statusCode).toBeLessThan(300);
    for (const app of [b, a]) expect(await ids(app, first.token)).toEqual(expect.arrayContaining(secondIds));
    // A slug the caller cannot see lists nothing, cached or not.
    for (const app of [a, b, a]) expect((await list(app, second.token, first.url)).count).toBe(0);
  });

  it('is not trusted while the catalog notifications may be lost, and is emptied when they are back', async () => {
    const { categoryId, token, url } = await organizationWithBuilds(1);
    await warm(token, url);
    // Both processes' listening connections dropped: a change made now is announced to nobody.
    await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
              WHERE application_name = 'fleetflash-listener' AND datname = current_database()`.execute(a.db);
    await makeBuild(a.db, { categoryId });
    for (const app of [a, b]) expect((await list(app, token, url)).count).toBe(2);
    // Once the listeners are back (1 s later) the cache serves again, filled afresh.
    const deadline = Date.now() + 10_000;
    for (const app of [a, b]) {
      for (;;) {
        const hits = await readMetric(app, 'fleetflash_list_cache_hits_total');
        expect((await list(app, token, url)).count).toBe(2);
        if ((await readMetric(app, 'fleetflash_list_cache_hits_total')) > hits) break;
        if (Date.now() > deadline) throw new Error('the cache was not used again after the listener came back');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });
});
