import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrganizationRow } from '../src/modules/accounts/accounts.table.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeBuild, makeCategory, makeImageRow, makeOrganization, makeToken, makeUser } from './helpers/factories.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

async function makeDevice(
  organization: OrganizationRow,
  fields: { boardName?: string; model?: string; os?: string } = {},
) {
  return t.db
    .insertInto('devices')
    .values({
      organizationId: organization.id,
      name: `d-${randomBytes(3).toString('hex')}`,
      macAddress: `02:${randomBytes(5).toString('hex').match(/../g)!.join(':')}`,
      boardName: fields.boardName ?? 'tplink,archer-c7-v2',
      model: fields.model ?? 'TP-Link Archer C7 v2',
      os: fields.os ?? '',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

async function get(url: string, authorization: string) {
  return t.app.inject({ method: 'GET', url, headers: { authorization } });
}

describe('GET /api/v1/devices/{id}/fitting-images/', () => {
  it("lists the images for the device's board, of its organization's and shared builds, newest first", async () => {
    const organization = await makeOrganization(t.db);
    const token = await makeToken(t.db, await makeUser(t.db, { memberships: [{ organization, role: 'operator' }] }));
    const device = await makeDevice(organization);
    const own = await makeCategory(t.db, { organizationId: organization.id });
    const shared = await makeCategory(t.db, { organizationId: null });
    const older = await makeBuild(t.db, {
      categoryId: own.id,
      version: '23.05.2',
      created: new Date('2026-01-01T00:00:00Z'),
    });
    const newer = await makeBuild(t.db, {
      categoryId: shared.id,
      version: '23.05.3',
      os: 'OpenWrt 23.05.3',
      created: new Date('2026-02-01T00:00:00Z'),
    });
    const olderImage = await makeImageRow(t.db, { buildId: older.id });
    const newerImage = await makeImageRow(t.db, { buildId: newer.id });
    await makeImageRow(t.db, {
      buildId: newer.id,
      type: 'ath79-generic-other-squashfs-sysupgrade.bin',
      boards: ['other,board'],
    });
    // Another organization's build with an image for the same board is not offered.
    await makeImageRow(t.db, { buildId: (await makeBuild(t.db)).id });

    const response = await get(`/api/v1/devices/${device.id}/fitting-images/`, token);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.count).toBe(2);
    expect(body.results.map((image: { id: string }) => image.id)).toEqual([newerImage.id, olderImage.id]);
    expect(body.results[0]).toMatchObject({
      id: newerImage.id,
      build: newer.id,
      build_version: '23.05.3',
      build_os: 'OpenWrt 23.05.3',
      build_organization: null,
      boards: ['tplink,archer-c7-v2'],
      sha256: newerImage.sha256,
    });
    expect(body.results[0].file).toMatch(
      new RegExp(`/api/v1/firmware/build/${newer.id}/image/${newerImage.id}/download/$`),
    );
    expect(body.results[1]).toMatchObject({ build_version: '23.05.2', build_organization: organization.id });
  });

  it("matches by board name when the image has board names, by model only otherwise (the server's rule)", async () => {
    const organization = await makeOrganization(t.db);
    const token = await makeToken(t.db, await makeUser(t.db, { memberships: [{ organization, role: 'operator' }] }));
    const build = await makeBuild(t.db, {
      categoryId: (await makeCategory(t.db, { organizationId: organization.id })).id,
    });
    const byModel = await makeImageRow(t.db, {
      buildId: build.id,
      type: 'custom-squashfs-sysupgrade.bin',
      boards: ['CWAP1200'],
    });
    // Board names present on both sides decide alone: the model in this image's list does not make it fit.
    await makeImageRow(t.db, {
      buildId: build.id,
      type: 'x-squashfs-sysupgrade.bin',
      boards: ['vendor,other', 'CWAP1200'],
    });
    const device = await makeDevice(organization, { boardName: 'vendor,cwap', model: 'CWAP1200' });
    const body = (await get(`/api/v1/devices/${device.id}/fitting-images/`, token)).json();
    expect(body.results.map((image: { id: string }) => image.id)).toEqual([byModel.id]);
  });

  it('judges a downgrade by the build a device runs when its OS string says nothing, as mass upgrades do', async () => {
    const organization = await makeOrganization(t.db);
    const token = await makeToken(t.db, await makeUser(t.db, { memberships: [{ organization, role: 'operator' }] }));
    const category = await makeCategory(t.db, { organizationId: organization.id });
    const newer = await makeBuild(t.db, { categoryId: category.id, version: '24.10.0' });
    const target = await makeBuild(t.db, { categoryId: category.id, version: '23.05.3', os: 'OpenWrt 23.05.3' });
    // A board of its own: shared images of the other tests fit no device here.
    const boards = ['downgrade,board'];
    const newerImage = await makeImageRow(t.db, { buildId: newer.id, boards });
    const targetImage = await makeImageRow(t.db, { buildId: target.id, boards });
    for (const os of ['', 'my own firmware']) {
      const device = await makeDevice(organization, { os, boardName: boards[0] });
      await t.db.insertInto('deviceFirmwares').values({ deviceId: device.id, imageId: newerImage.id }).execute();
      const fitting = (await get(`/api/v1/devices/${device.id}/fitting-images/`, token)).json();
      const downgrades = Object.fromEntries(
        fitting.results.map((row: { id: string; downgrade: boolean }) => [row.id, row.downgrade]),
      );
      expect(downgrades, os).toEqual({ [targetImage.id]: true, [newerImage.id]: false });
      const plan = (await get(`/api/v1/firmware/build/${target.id}/upgrade/?devices=${device.id}`, token)).json();
      expect(plan.skipped, os).toEqual([expect.objectContaining({ device: device.id, reason: 'downgrade' })]);
    }
  });

  it('pages like every list (page_size at most 100)', async () => {
    const organization = await makeOrganization(t.db);
    const token = await makeToken(t.db, await makeUser(t.db, { memberships: [{ organization, role: 'operator' }] }));
    const device = await makeDevice(organization, { boardName: 'paging,board' });
    const category = await makeCategory(t.db, { organizationId: organization.id });
    for (let index = 0; index < 3; index += 1) {
      await makeImageRow(t.db, {
        buildId: (await makeBuild(t.db, { categoryId: category.id })).id,
        boards: ['paging,board'],
      });
    }
    const first = (await get(`/api/v1/devices/${device.id}/fitting-images/?page_size=2`, token)).json();
    expect(first).toMatchObject({ count: 3, previous: null });
    expect(first.results).toHaveLength(2);
    expect(first.next).toContain('page=2');
    const second = (await get(`/api/v1/devices/${device.id}/fitting-images/?page=2&page_size=2`, token)).json();
    expect(second.results).toHaveLength(1);
    expect((await get(`/api/v1/devices/${device.id}/fitting-images/?page_size=101`, token)).statusCode).toBe(400);
  });

  it("answers 404 for another organization's device, and 401 without credentials", async () => {
    const mine = await makeOrganization(t.db);
    const theirs = await makeOrganization(t.db);
    const token = await makeToken(t.db, await makeUser(t.db, { memberships: [{ organization: mine, role: 'admin' }] }));
    const device = await makeDevice(theirs);
    const response = await get(`/api/v1/devices/${device.id}/fitting-images/`, token);
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('DeviceNotFound');
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/devices/${device.id}/fitting-images/` })).statusCode,
    ).toBe(401);
  });
});
