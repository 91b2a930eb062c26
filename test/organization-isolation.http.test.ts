import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeBuild, makeCategory, makeOrganization, makeToken, makeUser } from './helpers/factories.js';
import { makeSysupgradeImage } from './helpers/firmware-file.js';
import { client, type ApiClient } from './helpers/http.js';

/**
 * The isolation matrix: who (admin / operator / outsider / superuser) may read, write and download
 * which objects (own organization's, a foreign organization's, shared ones). Another
 * organization's object answers 404, never 403; a visible object the caller may not change, 403.
 */

type Who = 'admin' | 'operator' | 'outsider' | 'superuser';
type Whose = 'own' | 'foreign' | 'shared';

interface Objects {
  categoryId: string;
  buildId: string;
  imageId: string;
}

let t: TestApp;
const callers = {} as Record<Who, ApiClient>;
const objects = {} as Record<Whose, Objects>;
let uploadCounter = 0;

beforeAll(async () => {
  t = await createTestApp();
  const own = await makeOrganization(t.db);
  const foreign = await makeOrganization(t.db);
  const elsewhere = await makeOrganization(t.db);
  const root = client(t.app, await makeToken(t.db, await makeUser(t.db, { isSuperuser: true })));
  callers.superuser = root;
  callers.admin = client(
    t.app,
    await makeToken(t.db, await makeUser(t.db, { memberships: [{ organization: own, role: 'admin' }] })),
  );
  callers.operator = client(
    t.app,
    await makeToken(t.db, await makeUser(t.db, { memberships: [{ organization: own, role: 'operator' }] })),
  );
  callers.outsider = client(
    t.app,
    await makeToken(t.db, await makeUser(t.db, { memberships: [{ organization: elsewhere, role: 'admin' }] })),
  );

  for (const [whose, organizationId] of [
    ['own', own.id],
    ['foreign', foreign.id],
    ['shared', null],
  ] as const) {
    const category = await makeCategory(t.db, { organizationId });
    const build = await makeBuild(t.db, { categoryId: category.id });
    const image = await uploadTo(root, build.id);
    expect(image.statusCode).toBe(201);
    objects[whose] = { categoryId: category.id, buildId: build.id, imageId: image.json().id };
  }
});
afterAll(async () => {
  await t.close();
});

function uploadTo(api: ApiClient, buildId: string) {
  uploadCounter += 1;
  const board = `test_board${uploadCounter}`;
  return api.upload(`/api/v1/firmware/build/${buildId}/image/`, [
    {
      name: 'file',
      fileName: `openwrt-23.05.3-ramips-mt7621-${board}-squashfs-sysupgrade.bin`,
      content: makeSysupgradeImage({
        target: 'ramips/mt7621',
        supportedDevices: [`test,board${uploadCounter}`],
        board,
      }),
    },
  ]);
}

const reads: Record<string, (api: ApiClient, o: Objects) => Promise<{ statusCode: number }>> = {
  'GET category': (api, o) => api.get(`/api/v1/firmware/category/${o.categoryId}/`),
  'GET build': (api, o) => api.get(`/api/v1/firmware/build/${o.buildId}/`),
  'GET images': (api, o) => api.get(`/api/v1/firmware/build/${o.buildId}/image/`),
  'GET image': (api, o) => api.get(`/api/v1/firmware/build/${o.buildId}/image/${o.imageId}/`),
};
const writes: Record<string, (api: ApiClient, o: Objects) => Promise<{ statusCode: number }>> = {
  'PATCH category': (api, o) =>
    api.patch(`/api/v1/firmware/category/${o.categoryId}/`, { description: `changed ${Math.random()}` }),
  'PATCH build': (api, o) =>
    api.patch(`/api/v1/firmware/build/${o.buildId}/`, { changelog: `changed ${Math.random()}` }),
  'POST build': (api, o) =>
    api.post('/api/v1/firmware/build/', {
      category: o.categoryId,
      version: `v${Math.random().toString(36).slice(2, 10)}`,
    }),
  'POST image': (api, o) => uploadTo(api, o.buildId),
};
const download = (api: ApiClient, o: Objects) =>
  api.get(`/api/v1/firmware/build/${o.buildId}/image/${o.imageId}/download/`);

/** Expected status per caller and object: [read, write, download]. */
const MATRIX: Record<Who, Record<Whose, [number, 'ok' | 403 | 404, number]>> = {
  superuser: { own: [200, 'ok', 200], foreign: [200, 'ok', 200], shared: [200, 'ok', 200] },
  admin: { own: [200, 'ok', 200], foreign: [404, 404, 404], shared: [200, 403, 200] },
  operator: { own: [200, 403, 200], foreign: [404, 404, 404], shared: [200, 403, 200] },
  outsider: { own: [404, 404, 404], foreign: [404, 404, 404], shared: [200, 403, 200] },
};

describe.each(Object.keys(MATRIX) as Who[])('%s', (who) => {
  it.each(['own', 'foreign', 'shared'] as Whose[])(
    'on %s objects: read, write and download as the matrix says',
    async (whose) => {
      const [read, write, downloadStatus] = MATRIX[who][whose];
      const api = callers[who];
      for (const [name, request] of Object.entries(reads)) {
        expect((await request(api, objects[whose])).statusCode, `${who} ${name} ${whose}`).toBe(read);
      }
      for (const [name, request] of Object.entries(writes)) {
        const status = (await request(api, objects[whose])).statusCode;
        if (write === 'ok') expect([200, 201], `${who} ${name} ${whose}`).toContain(status);
        // Creating a build names its category in the body: an invisible one is a bad reference (400), not a missing
        // URL.
        else expect(status, `${who} ${name} ${whose}`).toBe(name === 'POST build' && write === 404 ? 400 : write);
      }
      expect((await download(api, objects[whose])).statusCode, `${who} download ${whose}`).toBe(downloadStatus);
    },
  );
});

describe('lists', () => {
  it('show each caller their own and shared objects only', async () => {
    const buildIds = async (who: Who) =>
      ((await callers[who].get('/api/v1/firmware/build/?page_size=100')).json().results as { id: string }[]).map(
        (b) => b.id,
      );
    expect(await buildIds('admin')).toEqual(expect.arrayContaining([objects.own.buildId, objects.shared.buildId]));
    expect(await buildIds('admin')).not.toContain(objects.foreign.buildId);
    expect(await buildIds('outsider')).not.toContain(objects.own.buildId);
    expect(await buildIds('outsider')).toContain(objects.shared.buildId);
    expect(await buildIds('superuser')).toEqual(
      expect.arrayContaining([objects.own.buildId, objects.foreign.buildId, objects.shared.buildId]),
    );
    const categoryIds = (
      (await callers.operator.get('/api/v1/firmware/category/?page_size=100')).json().results as { id: string }[]
    ).map((c) => c.id);
    expect(categoryIds).not.toContain(objects.foreign.categoryId);
  });

  it('answer an organization filter on a foreign organization with an empty list, not its contents', async () => {
    const foreignOrganization = (
      await callers.superuser.get(`/api/v1/firmware/category/${objects.foreign.categoryId}/`)
    ).json().organization;
    const slug = (await callers.superuser.get(`/api/v1/organizations/${foreignOrganization}/`)).json().slug;
    expect((await callers.admin.get(`/api/v1/firmware/build/?organization=${slug}`)).json().count).toBe(0);
    expect((await callers.superuser.get(`/api/v1/firmware/build/?organization=${slug}`)).json().count).toBeGreaterThan(
      0,
    );
  });

  it('refuse to move an own category into a foreign organization', async () => {
    const foreignOrganization = (
      await callers.superuser.get(`/api/v1/firmware/category/${objects.foreign.categoryId}/`)
    ).json().organization;
    const response = await callers.admin.patch(`/api/v1/firmware/category/${objects.own.categoryId}/`, {
      organization: foreignOrganization,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('InvalidReference');
  });
});
