import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withBuildUsage, withImageUsage } from '../src/use-cases/firmware-usage.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import {
  actorFor,
  makeBuild,
  makeCategory,
  makeImageRow,
  makeOrganization,
  makeToken,
  makeUser,
} from './helpers/factories.js';
import { client, type ApiClient } from './helpers/http.js';

/** The image and device counts of the build and image answers: right, scoped, and one query a page. */

let t: TestApp;
let root: ApiClient;
beforeAll(async () => {
  t = await createTestApp();
  root = client(t.app, await makeToken(t.db, await makeUser(t.db, { isSuperuser: true })));
});
afterAll(async () => {
  await t.close();
});

let macCounter = 0;
async function addDevice(organization: string, imageId: string | null, installed = true): Promise<string> {
  macCounter += 1;
  const mac = `02:ee:00:00:00:${macCounter.toString(16).padStart(2, '0')}`;
  const device = (
    await root.post('/api/v1/devices/', { organization, name: `d-${macCounter}`, mac_address: mac })
  ).json() as { id: string };
  // What an upgrade (or registration) records: the device runs the image, or is being upgraded to it.
  if (imageId) await t.db.insertInto('deviceFirmwares').values({ deviceId: device.id, imageId, installed }).execute();
  return device.id;
}

/** Counts the queries a Kysely instance runs. */
class QueryCounter implements KyselyPlugin {
  count = 0;
  transformQuery(args: PluginTransformQueryArgs) {
    this.count += 1;
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs) {
    return args.result;
  }
}

describe('build and image usage counts', () => {
  it('counts images per build and the devices that run them, only the devices the caller can see', async () => {
    const berlin = await makeOrganization(t.db);
    const paris = await makeOrganization(t.db);
    const shared = await makeCategory(t.db, { organizationId: null });
    const build = await makeBuild(t.db, { categoryId: shared.id, version: '23.05.3' });
    const empty = await makeBuild(t.db, { categoryId: shared.id, version: '23.05.4' });
    const c7 = await makeImageRow(t.db, { buildId: build.id, type: 'c7-sysupgrade.bin' });
    const mt = await makeImageRow(t.db, { buildId: build.id, type: 'mt3000-sysupgrade.bin' });
    await addDevice(berlin.id, c7.id);
    await addDevice(berlin.id, c7.id);
    await addDevice(berlin.id, mt.id);
    await addDevice(berlin.id, mt.id, false); // being upgraded to it: does not run it yet
    await addDevice(berlin.id, null);
    await addDevice(paris.id, c7.id);

    const builds = (await root.get(`/api/v1/firmware/build/?category=${shared.id}&ordering=version`)).json();
    expect(
      builds.results.map((row: Record<string, unknown>) => [row.version, row.image_count, row.device_count]),
    ).toEqual([
      ['23.05.3', 2, 4],
      ['23.05.4', 0, 0],
    ]);
    expect((await root.get(`/api/v1/firmware/build/${build.id}/`)).json()).toMatchObject({
      image_count: 2,
      device_count: 4,
    });
    const images = (await root.get(`/api/v1/firmware/build/${build.id}/image/?ordering=type`)).json();
    expect(images.results.map((row: Record<string, unknown>) => [row.type, row.device_count])).toEqual([
      ['c7-sysupgrade.bin', 3],
      ['mt3000-sysupgrade.bin', 1],
    ]);
    expect((await root.get(`/api/v1/firmware/build/${build.id}/image/${c7.id}/`)).json().device_count).toBe(3);
    expect((await root.patch(`/api/v1/firmware/build/${empty.id}/`, { changelog: 'x' })).json()).toMatchObject({
      image_count: 0,
      device_count: 0,
    });

    // A member of Berlin sees the shared build run by Berlin's devices only.
    const member = client(
      t.app,
      await makeToken(t.db, await makeUser(t.db, { memberships: [{ organization: berlin, role: 'operator' }] })),
    );
    expect((await member.get(`/api/v1/firmware/build/${build.id}/`)).json()).toMatchObject({
      image_count: 2,
      device_count: 3,
    });
    const memberImages = (await member.get(`/api/v1/firmware/build/${build.id}/image/?ordering=type`)).json();
    expect(memberImages.results.map((row: { device_count: number }) => row.device_count)).toEqual([2, 1]);
  });

  it('counts a whole page in one query, however many rows it has', async () => {
    const organization = await makeOrganization(t.db);
    const category = await makeCategory(t.db, { organizationId: organization.id });
    const builds = [];
    for (let i = 0; i < 30; i += 1) builds.push(await makeBuild(t.db, { categoryId: category.id }));
    const images = [];
    for (const build of builds.slice(0, 10)) images.push(await makeImageRow(t.db, { buildId: build.id }));
    await addDevice(organization.id, images[0]!.id);
    const user = await makeUser(t.db, { memberships: [{ organization, role: 'admin' }] });
    const actor = actorFor(user, [[organization, 'admin']]);

    const counter = new QueryCounter();
    const counted = t.db.withPlugin(counter);
    const withUsage = await withBuildUsage(counted, actor, builds);
    expect(counter.count).toBe(1);
    expect(withUsage.filter((build) => build.imageCount === 1)).toHaveLength(10);
    expect(withUsage[0]).toMatchObject({ imageCount: 1, deviceCount: 1 });

    counter.count = 0;
    const imagesWithUsage = await withImageUsage(counted, actor, images);
    expect(counter.count).toBe(1);
    expect(imagesWithUsage.map((image) => image.deviceCount)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

    counter.count = 0;
    await withBuildUsage(counted, actor, []);
    expect(counter.count).toBe(0);
  });
});
