import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeBuild, makeCategory, makeOrganization, makeToken, makeUser } from './helpers/factories.js';
import { client, type ApiClient } from './helpers/http.js';

let t: TestApp;
let superuser: ApiClient;
beforeAll(async () => {
  t = await createTestApp();
  superuser = client(t.app, await makeToken(t.db, await makeUser(t.db, { isSuperuser: true })));
});
afterAll(async () => {
  await t.close();
});

describe('firmware categories', () => {
  it('creates, reads, replaces, patches and deletes a category', async () => {
    const organization = await makeOrganization(t.db);
    const created = await superuser.post('/api/v1/firmware/category/', {
      name: 'WiFi',
      description: 'access points',
      organization: organization.id,
    });
    expect(created.statusCode).toBe(201);
    const category = created.json();
    expect(category).toMatchObject({ name: 'WiFi', description: 'access points', organization: organization.id });

    expect((await superuser.get(`/api/v1/firmware/category/${category.id}/`)).json()).toEqual(category);
    // Trailing slash is optional.
    expect((await superuser.get(`/api/v1/firmware/category/${category.id}`)).statusCode).toBe(200);

    const replaced = await superuser.put(`/api/v1/firmware/category/${category.id}/`, {
      name: 'Access points',
      organization: organization.id,
    });
    expect(replaced.json()).toMatchObject({ name: 'Access points', organization: organization.id });
    const patched = await superuser.patch(`/api/v1/firmware/category/${category.id}/`, { description: 'APs' });
    expect(patched.json()).toMatchObject({ name: 'Access points', description: 'APs' });
    expect(new Date(patched.json().modified).getTime()).toBeGreaterThanOrEqual(new Date(category.modified).getTime());

    expect((await superuser.delete(`/api/v1/firmware/category/${category.id}/`)).statusCode).toBe(204);
    expect((await superuser.get(`/api/v1/firmware/category/${category.id}/`)).statusCode).toBe(404);
  });

  it('keeps category names unique per organization, and among shared categories', async () => {
    const organization = await makeOrganization(t.db);
    expect(
      (await superuser.post('/api/v1/firmware/category/', { name: 'Routers', organization: organization.id }))
        .statusCode,
    ).toBe(201);
    const duplicate = await superuser.post('/api/v1/firmware/category/', {
      name: 'routers',
      organization: organization.id,
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json()).toMatchObject({ code: 'DuplicateCategoryName', fields: { name: expect.any(String) } });
    expect(
      (
        await superuser.post('/api/v1/firmware/category/', {
          name: 'Routers',
          organization: (await makeOrganization(t.db)).id,
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (await superuser.post('/api/v1/firmware/category/', { name: 'Shared routers', organization: null })).statusCode,
    ).toBe(201);
    expect(
      (await superuser.post('/api/v1/firmware/category/', { name: 'Shared routers', organization: null })).statusCode,
    ).toBe(409);
  });

  it('requires the organization unless the caller administers exactly one', async () => {
    const organization = await makeOrganization(t.db);
    const admin = client(
      t.app,
      await makeToken(t.db, await makeUser(t.db, { memberships: [{ organization, role: 'admin' }] })),
    );
    const implicit = await admin.post('/api/v1/firmware/category/', { name: 'Implicit' });
    expect(implicit.statusCode).toBe(201);
    expect(implicit.json().organization).toBe(organization.id);
    const missing = await superuser.post('/api/v1/firmware/category/', { name: 'Nowhere' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().fields).toHaveProperty('organization');
    const unknown = await superuser.post('/api/v1/firmware/category/', {
      name: 'Ghost',
      organization: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().code).toBe('InvalidReference');
  });

  it('only superusers create or change shared categories', async () => {
    const organization = await makeOrganization(t.db);
    const admin = client(
      t.app,
      await makeToken(t.db, await makeUser(t.db, { memberships: [{ organization, role: 'admin' }] })),
    );
    const refused = await admin.post('/api/v1/firmware/category/', { name: 'Mine to share', organization: null });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toBe('Only superusers can create or change shared categories.');
    const shared = await makeCategory(t.db, { organizationId: null });
    expect((await admin.get(`/api/v1/firmware/category/${shared.id}/`)).statusCode).toBe(200);
    expect((await admin.patch(`/api/v1/firmware/category/${shared.id}/`, { name: 'x' })).statusCode).toBe(403);
  });

  it('moving a category to another organization moves its builds too', async () => {
    const from = await makeOrganization(t.db);
    const to = await makeOrganization(t.db);
    const category = await makeCategory(t.db, { organizationId: from.id });
    const build = await makeBuild(t.db, { categoryId: category.id });
    expect(
      (await superuser.patch(`/api/v1/firmware/category/${category.id}/`, { organization: to.id })).statusCode,
    ).toBe(200);
    expect((await superuser.get(`/api/v1/firmware/build/${build.id}/`)).json().organization).toBe(to.id);
  });

  it('lists with filters by organization slug and name, and orders', async () => {
    const organization = await makeOrganization(t.db);
    for (const name of ['b-cat', 'a-cat', 'c-cat']) await makeCategory(t.db, { organizationId: organization.id, name });
    const list = await superuser.get(`/api/v1/firmware/category/?organization=${organization.slug}`);
    expect(list.json().results.map((c: { name: string }) => c.name)).toEqual(['a-cat', 'b-cat', 'c-cat']);
    const reversed = await superuser.get(`/api/v1/firmware/category/?organization=${organization.slug}&ordering=-name`);
    expect(reversed.json().results.map((c: { name: string }) => c.name)).toEqual(['c-cat', 'b-cat', 'a-cat']);
    expect(
      (await superuser.get(`/api/v1/firmware/category/?organization=${organization.slug}&name=b-cat`)).json().count,
    ).toBe(1);
    expect((await superuser.get('/api/v1/firmware/category/?organization=no-such-org')).json()).toMatchObject({
      count: 0,
      results: [],
    });
    const badOrdering = await superuser.get('/api/v1/firmware/category/?ordering=password');
    expect(badOrdering.statusCode).toBe(400);
    expect(badOrdering.json().fields).toHaveProperty('ordering');
  });
});

describe('firmware builds', () => {
  it('creates a build with category_relation, and reads, replaces, patches and deletes it', async () => {
    const category = await makeCategory(t.db);
    const created = await superuser.post('/api/v1/firmware/build/', {
      category: category.id,
      version: '1.0.0',
      os: 'OpenWrt 23.05.3 r23809-234f1a2efa',
      changelog: 'first',
    });
    expect(created.statusCode).toBe(201);
    const build = created.json();
    expect(build).toMatchObject({
      category: category.id,
      version: '1.0.0',
      os: 'OpenWrt 23.05.3 r23809-234f1a2efa',
      changelog: 'first',
      organization: category.organizationId,
      category_relation: { name: category.name, organization: category.organizationId },
    });
    expect(
      (await superuser.put(`/api/v1/firmware/build/${build.id}/`, { category: category.id, version: '1.0.1' })).json(),
    ).toMatchObject({ version: '1.0.1', os: 'OpenWrt 23.05.3 r23809-234f1a2efa' });
    expect((await superuser.patch(`/api/v1/firmware/build/${build.id}/`, { os: '' })).json().os).toBeNull();
    expect((await superuser.delete(`/api/v1/firmware/build/${build.id}/`)).statusCode).toBe(204);
    expect((await superuser.get(`/api/v1/firmware/build/${build.id}/`)).json().code).toBe('BuildNotFound');
  });

  it('keeps versions unique per category', async () => {
    const category = await makeCategory(t.db);
    await makeBuild(t.db, { categoryId: category.id, version: '2.0' });
    const duplicate = await superuser.post('/api/v1/firmware/build/', { category: category.id, version: '2.0' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json()).toMatchObject({ code: 'DuplicateBuildVersion', fields: { version: expect.any(String) } });
    expect(
      (await superuser.post('/api/v1/firmware/build/', { category: (await makeCategory(t.db)).id, version: '2.0' }))
        .statusCode,
    ).toBe(201);
  });

  it('keeps OS identifiers unique per organization, across its categories', async () => {
    const organization = await makeOrganization(t.db);
    const first = await makeCategory(t.db, { organizationId: organization.id });
    const second = await makeCategory(t.db, { organizationId: organization.id });
    const os = 'OpenWrt 19.07-SNAPSHOT r11061-6ffd4d8a4d';
    expect((await superuser.post('/api/v1/firmware/build/', { category: first.id, version: '1', os })).statusCode).toBe(
      201,
    );
    const duplicate = await superuser.post('/api/v1/firmware/build/', { category: second.id, version: '2', os });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json()).toMatchObject({ code: 'DuplicateOsIdentifier', fields: { os: expect.any(String) } });
    const otherOrganization = await makeCategory(t.db);
    expect(
      (await superuser.post('/api/v1/firmware/build/', { category: otherOrganization.id, version: '1', os }))
        .statusCode,
    ).toBe(201);
    // Builds without an OS identifier never collide.
    expect(
      (await superuser.post('/api/v1/firmware/build/', { category: second.id, version: '3', os: null })).statusCode,
    ).toBe(201);
    expect((await superuser.post('/api/v1/firmware/build/', { category: second.id, version: '4' })).statusCode).toBe(
      201,
    );
  });

  it('answers 400 naming the field for a missing or unknown category and bad values', async () => {
    const missing = await superuser.post('/api/v1/firmware/build/', { version: '1' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().fields).toEqual({ category: 'This field is required.' });
    const unknown = await superuser.post('/api/v1/firmware/build/', {
      category: '00000000-0000-4000-8000-000000000000',
      version: '1',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().fields).toHaveProperty('category');
    const tooLong = await superuser.post('/api/v1/firmware/build/', {
      category: (await makeCategory(t.db)).id,
      version: 'x'.repeat(33),
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().fields).toHaveProperty('version');
    const wrongType = await superuser.post('/api/v1/firmware/build/', { category: 'not-a-uuid', version: { a: 1 } });
    expect(wrongType.statusCode).toBe(400);
    expect(Object.keys(wrongType.json().fields).sort()).toEqual(['category', 'version']);
  });

  it('filters by category, version, os and organization, newest first by default, with ordering', async () => {
    const organization = await makeOrganization(t.db);
    const category = await makeCategory(t.db, { organizationId: organization.id });
    const base = Date.now();
    const builds = [];
    for (const [index, version] of ['1.0', '1.1', '2.0'].entries()) {
      builds.push(
        await makeBuild(t.db, {
          categoryId: category.id,
          version,
          os: `OpenWrt ${version}`,
          created: new Date(base - (3 - index) * 60_000),
        }),
      );
    }
    const byCategory = await superuser.get(`/api/v1/firmware/build/?category=${category.id}`);
    expect(byCategory.json().results.map((b: { version: string }) => b.version)).toEqual(['2.0', '1.1', '1.0']);
    expect(
      (await superuser.get(`/api/v1/firmware/build/?category=${category.id}&version=1.1`)).json().results[0].id,
    ).toBe(builds[1]!.id);
    expect(
      (
        await superuser.get(
          `/api/v1/firmware/build/?os=${encodeURIComponent('OpenWrt 2.0')}&organization=${organization.slug}`,
        )
      ).json().count,
    ).toBe(1);
    expect(
      (await superuser.get(`/api/v1/firmware/build/?category=${category.id}&ordering=version`))
        .json()
        .results.map((b: { version: string }) => b.version),
    ).toEqual(['1.0', '1.1', '2.0']);
    expect((await superuser.get(`/api/v1/firmware/build/?organization=${organization.slug}`)).json().count).toBe(3);
  });
});

describe('pagination', () => {
  it('pages with page and page_size, linking next and previous, keeping the filters', async () => {
    const category = await makeCategory(t.db);
    for (let i = 0; i < 25; i += 1)
      await makeBuild(t.db, { categoryId: category.id, version: `p${String(i).padStart(2, '0')}` });
    const first = await superuser.get(`/api/v1/firmware/build/?category=${category.id}`);
    expect(first.json()).toMatchObject({ count: 25, previous: null });
    expect(first.json().results).toHaveLength(10);
    const next = new URL(first.json().next);
    expect(next.searchParams.get('page')).toBe('2');
    expect(next.searchParams.get('category')).toBe(category.id);

    const third = await superuser.get(`/api/v1/firmware/build/?category=${category.id}&page=3`);
    expect(third.json().results).toHaveLength(5);
    expect(third.json().next).toBeNull();
    expect(new URL(third.json().previous).searchParams.get('page')).toBe('2');

    const big = await superuser.get(`/api/v1/firmware/build/?category=${category.id}&page_size=100`);
    expect(big.json().results).toHaveLength(25);
    const seen = new Set<string>();
    for (let page = 1; page <= 3; page += 1) {
      for (const build of (
        await superuser.get(`/api/v1/firmware/build/?category=${category.id}&page=${page}&ordering=version`)
      ).json().results)
        seen.add(build.id);
    }
    expect(seen.size).toBe(25);
  });

  it('refuses bad page numbers and sizes with a 4xx saying what is allowed', async () => {
    const category = await makeCategory(t.db);
    await makeBuild(t.db, { categoryId: category.id });
    for (const query of ['page=0', 'page=-1', 'page=abc', 'page_size=0', 'page_size=101', 'page_size=ten']) {
      const response = await superuser.get(`/api/v1/firmware/build/?category=${category.id}&${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().code).toBe('ValidationFailed');
    }
    const past = await superuser.get(`/api/v1/firmware/build/?category=${category.id}&page=5`);
    expect(past.statusCode).toBe(404);
    expect(past.json()).toMatchObject({ code: 'InvalidPage', detail: expect.stringContaining('last page (1)') });
    const empty = await superuser.get('/api/v1/firmware/build/?organization=nothing-here');
    expect(empty.json()).toEqual({ count: 0, next: null, previous: null, results: [] });
  });
});
