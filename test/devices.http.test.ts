import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeOrganization, makeToken, makeUser } from './helpers/factories.js';
import { makeSysupgradeImage } from './helpers/firmware-file.js';
import { client, type ApiClient } from './helpers/http.js';
import { generateKeyPair } from './helpers/ssh-keys.js';

let t: TestApp;
let root: ApiClient;
let authorization: string;
beforeAll(async () => {
  t = await createTestApp();
  authorization = await makeToken(t.db, await makeUser(t.db, { isSuperuser: true }));
  root = client(t.app, authorization);
});
afterAll(async () => {
  await t.close();
});

let macCounter = 0;
function nextMac(): string {
  macCounter += 1;
  const hex = (byte: number) => byte.toString(16).padStart(2, '0');
  return `02:aa:00:00:${hex(macCounter >> 8)}:${hex(macCounter & 255)}`;
}

async function setup() {
  const organization = await makeOrganization(t.db);
  const admin = client(
    t.app,
    await makeToken(t.db, await makeUser(t.db, { memberships: [{ organization, role: 'admin' }] })),
  );
  const operator = client(
    t.app,
    await makeToken(t.db, await makeUser(t.db, { memberships: [{ organization, role: 'operator' }] })),
  );
  return { organization, admin, operator };
}

describe('device inventory', () => {
  it('creates, reads, changes and deletes devices; normalises the MAC address', async () => {
    const { organization, admin } = await setup();
    const created = await admin.post('/api/v1/devices/', {
      name: 'ap-1',
      mac_address: 'AA-BB-CC-DD-EE-01',
      model: 'TP-Link Archer C7 v2',
      board_name: 'tplink,archer-c7-v2',
      os: 'OpenWrt 23.05.2 r23630-842932a63d',
      management_ip: '10.0.0.1',
      group: 'lobby',
      location: 'hq',
    });
    expect(created.statusCode).toBe(201);
    const device = created.json();
    expect(device).toMatchObject({
      organization: organization.id,
      mac_address: 'aa:bb:cc:dd:ee:01',
      ssh_port: 22,
      is_active: true,
      credentials: null,
      ssh_host_key: null,
    });
    expect(
      (await admin.patch(`/api/v1/devices/${device.id}/`, { ssh_port: 2222, is_active: false })).json(),
    ).toMatchObject({ ssh_port: 2222, is_active: false });
    const duplicate = await admin.post('/api/v1/devices/', { name: 'ap-dup', mac_address: 'aabbccddee01' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().code).toBe('DuplicateMacAddress');
    const badMac = await admin.post('/api/v1/devices/', { name: 'bad', mac_address: 'zz:zz:zz:zz:zz:zz' });
    expect(badMac.statusCode).toBe(400);
    expect(badMac.json().fields).toHaveProperty('mac_address');
    expect((await admin.delete(`/api/v1/devices/${device.id}/`)).statusCode).toBe(204);
    expect((await admin.get(`/api/v1/devices/${device.id}/`)).json().code).toBe('DeviceNotFound');
  });

  it('filters by group, location, model, os, search, organization, ids, and paginates', async () => {
    const { organization, admin } = await setup();
    for (let i = 0; i < 12; i += 1) {
      await admin.post('/api/v1/devices/', {
        name: `node-${i}`,
        mac_address: nextMac(),
        model: i % 2 ? 'Model A' : 'Model B',
        os: i < 3 ? 'OpenWrt 22' : 'OpenWrt 23',
        group: i < 6 ? 'east' : 'west',
        location: i % 3 === 0 ? 'roof' : 'basement',
        management_ip: `10.9.0.${i}`,
      });
    }
    expect((await admin.get('/api/v1/devices/')).json()).toMatchObject({ count: 12 });
    expect((await admin.get('/api/v1/devices/?group=east')).json().count).toBe(6);
    expect((await admin.get('/api/v1/devices/?location=roof')).json().count).toBe(4);
    expect((await admin.get('/api/v1/devices/?model=Model%20A')).json().count).toBe(6);
    expect((await admin.get('/api/v1/devices/?os=OpenWrt%2022')).json().count).toBe(3);
    expect((await admin.get('/api/v1/devices/?search=node-1')).json().count).toBe(3);
    expect((await admin.get('/api/v1/devices/?search=10.9.0.11')).json().count).toBe(1);
    expect(
      (await admin.get(`/api/v1/devices/?organization=${organization.slug}&page_size=5&page=3`)).json().results,
    ).toHaveLength(2);
    expect((await root.get('/api/v1/devices/?organization=elsewhere')).json().count).toBe(0);
    const two = (await admin.get('/api/v1/devices/?page_size=2'))
      .json()
      .results.map((device: { id: string }) => device.id);
    const byIds = (await admin.get(`/api/v1/devices/?id=${two[0]}&id=${two[1]}`)).json();
    expect(byIds.results.map((device: { id: string }) => device.id).sort()).toEqual([...two].sort());
    expect((await admin.get(`/api/v1/devices/?id=${two[0]}`)).json().count).toBe(1);
    expect((await admin.get('/api/v1/devices/?id=not-a-uuid')).statusCode).toBe(400);
  });

  it('finds firmware and model by a part of them, in any case, with LIKE wildcards taken literally', async () => {
    const { admin } = await setup();
    const add = (name: string, model: string, os: string) =>
      admin.post('/api/v1/devices/', { name, mac_address: nextMac(), model, os });
    await add('c7-old', 'TP-Link Archer C7 v2', 'OpenWrt 23.05.2 r23630-842932a63d');
    await add('c7-new', 'TP-Link Archer C7 v5', 'OpenWrt 23.05.3 r23809-234f1a2efa');
    await add('mt3000', 'GL.iNet GL-MT3000', 'OpenWrt 23.05.2 r23630-842932a63d');
    await add('odd', 'Model 100%_x', 'Custom_build 1');
    const names = async (query: string) =>
      (await admin.get(`/api/v1/devices/?${query}&ordering=name`))
        .json()
        .results.map((device: { name: string }) => device.name);
    expect(await names('os=23.05.2')).toEqual(['c7-old', 'mt3000']);
    expect(await names('model=Archer%20C7')).toEqual(['c7-new', 'c7-old']);
    expect(await names('model=archer%20c7&os=23.05.3')).toEqual(['c7-new']);
    expect(await names('model=gl-mt')).toEqual(['mt3000']);
    // % and _ are the characters typed, not wildcards.
    expect(await names('model=100%25_')).toEqual(['odd']);
    expect(await names('model=%25')).toEqual(['odd']);
    expect(await names('os=C_stom')).toEqual([]);
    expect(await names('os=Custom_')).toEqual(['odd']);
  });

  it('sorts by any listed column, breaks ties by id, and refuses other fields with the allowed ones', async () => {
    const { admin } = await setup();
    const created: { id: string; name: string }[] = [];
    for (const [name, location, model] of [
      ['b', 'roof', 'Zeta'],
      ['a', 'cellar', 'Alpha'],
      ['d', 'roof', 'Alpha'],
      ['c', 'attic', 'Mid'],
    ] as const) {
      created.push((await admin.post('/api/v1/devices/', { name, location, model, mac_address: nextMac() })).json());
    }
    const order = async (ordering: string, pageSize = 10, page = 1) =>
      (await admin.get(`/api/v1/devices/?ordering=${ordering}&page_size=${pageSize}&page=${page}`))
        .json()
        .results.map((device: { name: string }) => device.name);
    expect(await order('name')).toEqual(['a', 'b', 'c', 'd']);
    expect(await order('-name')).toEqual(['d', 'c', 'b', 'a']);
    expect(await order('location,-name')).toEqual(['c', 'a', 'd', 'b']);
    expect(await order('-model,name')).toEqual(['b', 'c', 'a', 'd']);
    // Devices that tie on every field come in id order, and pages of them neither repeat nor skip one.
    const byId = [...created].sort((x, y) => (x.id < y.id ? -1 : 1)).map((device) => device.name);
    expect(await order('is_active')).toEqual(byId);
    expect([...(await order('is_active', 3, 1)), ...(await order('is_active', 3, 2))]).toEqual(byId);
    for (const field of ['mac_address', 'board_name', 'os', 'management_ip', 'group', 'last_seen', 'created']) {
      expect((await admin.get(`/api/v1/devices/?ordering=-${field}`)).statusCode).toBe(200);
    }
    const bad = await admin.get('/api/v1/devices/?ordering=password_hash');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'ValidationFailed', fields: { ordering: expect.any(String) } });
    expect(bad.json().detail).toContain('name, mac_address, model, board_name, os, management_ip, group, location');
  });

  it('isolates organizations and keeps operators read-only', async () => {
    const { admin, operator } = await setup();
    const other = await setup();
    const device = (await admin.post('/api/v1/devices/', { name: 'mine', mac_address: nextMac() })).json();
    expect((await other.admin.get(`/api/v1/devices/${device.id}/`)).statusCode).toBe(404);
    expect((await other.admin.patch(`/api/v1/devices/${device.id}/`, { name: 'x' })).statusCode).toBe(404);
    expect((await operator.get(`/api/v1/devices/${device.id}/`)).statusCode).toBe(200);
    expect((await operator.patch(`/api/v1/devices/${device.id}/`, { name: 'x' })).statusCode).toBe(403);
    expect((await operator.post(`/api/v1/devices/${device.id}/reset-host-key/`)).statusCode).toBe(403);
  });
});

describe('registration', () => {
  it("registers with the organization's secret: creates, then updates by MAC; refuses a wrong secret", async () => {
    const { organization, admin } = await setup();
    expect((await admin.get(`/api/v1/organizations/${organization.id}/`)).json().has_registration_secret).toBe(false);
    const secret = (await admin.post(`/api/v1/organizations/${organization.id}/registration-secret/`)).json()
      .secret as string;
    expect(secret).toMatch(/^ffr_/);
    const body = {
      organization: organization.slug,
      secret,
      mac_address: '02:bb:00:00:00:01',
      name: 'router-x',
      model: 'GL.iNet GL-MT3000',
      board_name: 'glinet,gl-mt3000',
      os: 'OpenWrt 23.05.2 r1-a',
      ssh_port: 2200,
    };
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/v1/devices/register/',
      payload: body,
      remoteAddress: '192.0.2.7',
    });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ created: true, name: 'router-x' });
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/devices/register/',
      payload: { ...body, os: 'OpenWrt 23.05.3 r2-b', management_ip: '192.0.2.8' },
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: first.json().id, created: false, os: 'OpenWrt 23.05.3 r2-b' });
    const device = (await admin.get(`/api/v1/devices/${first.json().id}/`)).json();
    expect(device).toMatchObject({ management_ip: '192.0.2.8', ssh_port: 2200, board_name: 'glinet,gl-mt3000' });
    expect(device.last_seen).not.toBeNull();
    for (const wrong of [
      { ...body, secret: 'ffr_wrong' },
      { ...body, organization: 'no-such-org' },
    ]) {
      const refused = await t.app.inject({ method: 'POST', url: '/api/v1/devices/register/', payload: wrong });
      expect(refused.statusCode).toBe(401);
      expect(refused.json().code).toBe('InvalidRegistrationSecret');
    }
    // A new secret replaces the old one.
    await admin.post(`/api/v1/organizations/${organization.id}/registration-secret/`);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/devices/register/', payload: body })).statusCode).toBe(
      401,
    );
  });

  it('records which image a registering device runs when its OS matches a build (no upgrade)', async () => {
    const { organization, admin } = await setup();
    const category = (await admin.post('/api/v1/firmware/category/', { name: 'fw' })).json();
    const os = 'OpenWrt 23.05.3 r23809-234f1a2efa';
    const build = (
      await admin.post('/api/v1/firmware/build/', { category: category.id, version: '23.05.3', os })
    ).json();
    const image = (
      await admin.upload(`/api/v1/firmware/build/${build.id}/image/`, [
        {
          name: 'file',
          fileName: 'openwrt-23.05.3-mediatek-filogic-glinet_gl-mt3000-squashfs-sysupgrade.bin',
          content: makeSysupgradeImage({ supportedDevices: ['glinet,gl-mt3000'], target: 'mediatek/filogic' }),
        },
      ])
    ).json();
    const secret = (await admin.post(`/api/v1/organizations/${organization.id}/registration-secret/`)).json().secret;
    const registered = await t.app.inject({
      method: 'POST',
      url: '/api/v1/devices/register/',
      payload: { organization: organization.slug, secret, mac_address: nextMac(), board_name: 'glinet,gl-mt3000', os },
    });
    const firmware = await admin.get(`/api/v1/firmware/device/${registered.json().id}/firmware/`);
    expect(firmware.statusCode).toBe(200);
    expect(firmware.json()).toMatchObject({ image: image.id, installed: true, upgrade_operation: null });
  });

  it('links devices already in the inventory when an image of their OS is uploaded', async () => {
    const { admin } = await setup();
    const os = 'OpenWrt 23.05.4 r24106-10cc5fcd00';
    const device = (
      await admin.post('/api/v1/devices/', {
        name: 'early',
        mac_address: nextMac(),
        board_name: 'tplink,archer-c7-v2',
        os,
      })
    ).json();
    expect((await admin.get(`/api/v1/firmware/device/${device.id}/firmware/`)).statusCode).toBe(404);
    const category = (await admin.post('/api/v1/firmware/category/', { name: 'fw2' })).json();
    const build = (
      await admin.post('/api/v1/firmware/build/', { category: category.id, version: '23.05.4', os })
    ).json();
    const image = (
      await admin.upload(`/api/v1/firmware/build/${build.id}/image/`, [
        {
          name: 'file',
          fileName: 'openwrt-23.05.4-ath79-generic-tplink_archer-c7-v2-squashfs-sysupgrade.bin',
          content: makeSysupgradeImage(),
        },
      ])
    ).json();
    expect((await admin.get(`/api/v1/firmware/device/${device.id}/firmware/`)).json()).toMatchObject({
      image: image.id,
      installed: true,
    });
  });
});

describe('credentials', () => {
  it('stores credentials encrypted, never returns or logs the secret, and validates private keys', async () => {
    const { organization, admin } = await setup();
    const created = await admin.post('/api/v1/credentials/', {
      name: 'field',
      username: 'root',
      password: 'very-secret-password-42',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      organization: organization.id,
      username: 'root',
      auth: 'password',
      is_default: false,
      has_passphrase: false,
    });
    expect(JSON.stringify(created.json())).not.toContain('very-secret-password-42');
    const row = await t.db
      .selectFrom('credentials')
      .selectAll()
      .where('id', '=', created.json().id)
      .executeTakeFirstOrThrow();
    expect(row.passwordEncrypted).toMatch(/^v1\./);
    expect(row.passwordEncrypted).not.toContain('very-secret');
    expect(t.secrets.open(row.passwordEncrypted!)).toBe('very-secret-password-42');

    const key = generateKeyPair({ passphrase: 'open sesame' }).private;
    const withKey = await admin.post('/api/v1/credentials/', {
      name: 'keyed',
      username: 'root',
      private_key: key,
      passphrase: 'open sesame',
    });
    expect(withKey.statusCode).toBe(201);
    expect(withKey.json()).toMatchObject({ auth: 'private-key', has_passphrase: true });
    const wrongPassphrase = await admin.post('/api/v1/credentials/', {
      name: 'bad-key',
      username: 'root',
      private_key: key,
      passphrase: 'nope',
    });
    expect(wrongPassphrase.statusCode).toBe(400);
    expect(wrongPassphrase.json().fields).toHaveProperty('private_key');
    const garbage = await admin.post('/api/v1/credentials/', {
      name: 'garbage',
      username: 'root',
      private_key: 'not a key',
    });
    expect(garbage.statusCode).toBe(400);
    const nothing = await admin.post('/api/v1/credentials/', { name: 'empty', username: 'root' });
    expect(nothing.statusCode).toBe(400);
    expect((await admin.get('/api/v1/credentials/')).json().count).toBe(2);
  });

  it('keeps one default per organization, and refuses credentials of another organization for a device', async () => {
    const { admin } = await setup();
    const other = await setup();
    expect(
      (
        await admin.post('/api/v1/credentials/', {
          name: 'd1',
          username: 'root',
          password: 'x1234567',
          is_default: true,
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await admin.post('/api/v1/credentials/', {
          name: 'd2',
          username: 'root',
          password: 'x1234567',
          is_default: true,
        })
      ).statusCode,
    ).toBe(409);
    const foreign = (
      await other.admin.post('/api/v1/credentials/', { name: 'theirs', username: 'root', password: 'x1234567' })
    ).json();
    const refused = await admin.post('/api/v1/devices/', {
      name: 'dev',
      mac_address: nextMac(),
      credentials: foreign.id,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().fields).toHaveProperty('credentials');
    expect((await admin.get(`/api/v1/credentials/${foreign.id}/`)).statusCode).toBe(404);
  });

  it('updates keep secrets that are left out', async () => {
    const { admin } = await setup();
    const created = (
      await admin.post('/api/v1/credentials/', { name: 'kept', username: 'root', password: 'first-password' })
    ).json();
    expect((await admin.patch(`/api/v1/credentials/${created.id}/`, { username: 'admin' })).json().username).toBe(
      'admin',
    );
    const row = await t.db.selectFrom('credentials').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(t.secrets.open(row.passwordEncrypted!)).toBe('first-password');
    expect((await admin.patch(`/api/v1/credentials/${created.id}/`, { password: null })).statusCode).toBe(400);
  });
});

describe('device firmware and upgrade requests', () => {
  async function deviceWithImage(extraDevice: Record<string, unknown> = {}) {
    const context = await setup();
    const category = (await context.admin.post('/api/v1/firmware/category/', { name: `c-${nextMac()}` })).json();
    const build = (
      await context.admin.post('/api/v1/firmware/build/', {
        category: category.id,
        version: '2.0',
        os: `OpenWrt X ${nextMac()}`,
      })
    ).json();
    const image = (
      await context.admin.upload(`/api/v1/firmware/build/${build.id}/image/`, [
        {
          name: 'file',
          fileName: 'openwrt-ath79-generic-tplink_archer-c7-v2-squashfs-sysupgrade.bin',
          content: makeSysupgradeImage(),
        },
      ])
    ).json();
    await context.admin.post('/api/v1/credentials/', {
      name: 'default',
      username: 'root',
      password: 'secret12',
      is_default: true,
    });
    const device = (
      await context.admin.post('/api/v1/devices/', {
        name: 'dev',
        mac_address: nextMac(),
        board_name: 'tplink,archer-c7-v2',
        management_ip: '127.0.0.1',
        ...extraDevice,
      })
    ).json();
    return { ...context, image, device };
  }

  it('starts exactly one upgrade, answers 409 to a second, and validates options naming them', async () => {
    const { admin, image, device } = await deviceWithImage();
    const url = `/api/v1/firmware/device/${device.id}/firmware/`;
    expect((await admin.put(url, { image: image.id, upgrade_options: { n: true, c: true } })).json()).toMatchObject({
      code: 'InvalidUpgradeOptions',
      fields: { c: expect.any(String) },
    });
    expect((await admin.put(url, { image: image.id, upgrade_options: { z: true } })).json()).toMatchObject({
      code: 'InvalidUpgradeOptions',
      fields: { z: expect.stringContaining('unknown') },
    });
    const started = await admin.put(url, { image: image.id, upgrade_options: { n: true } });
    expect(started.statusCode).toBe(201);
    expect(started.json()).toMatchObject({
      image: image.id,
      installed: false,
      upgrade_operation: { status: 'pending' },
    });
    const operation = (
      await admin.get(`/api/v1/firmware/upgrade-operation/${started.json().upgrade_operation.id}/`)
    ).json();
    expect(operation.options).toEqual({ c: false, o: false, n: true, u: false, p: false, k: false, F: false });
    const second = await admin.put(url, { image: image.id, installed: false });
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('UpgradeAlreadyRunning');
    expect((await admin.get(`/api/v1/firmware/device/${device.id}/upgrade-operation/`)).json().count).toBe(1);
    expect((await admin.delete(`/api/v1/devices/${device.id}/`)).statusCode).toBe(409);
    const deleteImage = await admin.delete(`/api/v1/firmware/build/${image.build}/image/${image.id}/`);
    expect(deleteImage.statusCode).toBe(409);
    expect(deleteImage.json().code).toBe('ImageInUse');
  });

  it('refuses upgrades that cannot work, each with what to fix', async () => {
    const { admin, image } = await deviceWithImage();
    const device = async (fields: Record<string, unknown>) =>
      (
        await admin.post('/api/v1/devices/', {
          name: 'x',
          mac_address: nextMac(),
          management_ip: '127.0.0.1',
          ...fields,
        })
      ).json();
    const wrongBoard = await device({ board_name: 'glinet,gl-mt3000' });
    expect(
      (await admin.put(`/api/v1/firmware/device/${wrongBoard.id}/firmware/`, { image: image.id })).json(),
    ).toMatchObject({ code: 'ImageDoesNotFit', detail: expect.stringContaining('glinet,gl-mt3000') });
    const inactive = await device({ board_name: 'tplink,archer-c7-v2', is_active: false });
    expect((await admin.put(`/api/v1/firmware/device/${inactive.id}/firmware/`, { image: image.id })).json().code).toBe(
      'DeviceDeactivated',
    );
    const otherOs = await device({ board_name: 'tplink,archer-c7-v2', os: 'RouterOS 7.1' });
    expect((await admin.put(`/api/v1/firmware/device/${otherOs.id}/firmware/`, { image: image.id })).json().code).toBe(
      'NoUpgrader',
    );
    expect(
      (
        await admin.put(`/api/v1/firmware/device/${otherOs.id}/firmware/`, {
          image: '00000000-0000-4000-8000-000000000000',
        })
      ).json().code,
    ).toBe('InvalidReference');
    expect(
      (await admin.put('/api/v1/firmware/device/00000000-0000-4000-8000-000000000000/firmware/', { image: image.id }))
        .statusCode,
    ).toBe(404);
    const other = await deviceWithImage();
    const foreignImage = await admin.put(`/api/v1/firmware/device/${other.device.id}/firmware/`, { image: image.id });
    expect(foreignImage.statusCode).toBe(404);
    const foreignForTheirAdmin = await other.admin.put(`/api/v1/firmware/device/${other.device.id}/firmware/`, {
      image: image.id,
    });
    expect(foreignForTheirAdmin.json().code).toBe('InvalidReference');
  });

  it('refuses an upgrade when the device has no credentials at all', async () => {
    const context = await setup();
    const category = (await context.admin.post('/api/v1/firmware/category/', { name: 'nocreds' })).json();
    const build = (await context.admin.post('/api/v1/firmware/build/', { category: category.id, version: '1' })).json();
    const image = (
      await context.admin.upload(`/api/v1/firmware/build/${build.id}/image/`, [
        {
          name: 'file',
          fileName: 'openwrt-ath79-generic-tplink_archer-c7-v2-squashfs-sysupgrade.bin',
          content: makeSysupgradeImage(),
        },
      ])
    ).json();
    const device = (
      await context.admin.post('/api/v1/devices/', {
        name: 'd',
        mac_address: nextMac(),
        board_name: 'tplink,archer-c7-v2',
      })
    ).json();
    const refused = await context.admin.put(`/api/v1/firmware/device/${device.id}/firmware/`, { image: image.id });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'NoCredentials', detail: expect.stringContaining('is_default') });
    expect((await context.admin.get('/api/v1/firmware/upgrade-operation/')).json().count).toBe(0);
  });

  it('records an installed image without upgrading, and describes the upgrade options', async () => {
    const { admin, operator, image, device } = await deviceWithImage();
    const recorded = await admin.put(`/api/v1/firmware/device/${device.id}/firmware/`, {
      image: image.id,
      installed: true,
    });
    expect(recorded.json()).toMatchObject({ installed: true, upgrade_operation: null });
    expect(
      (await operator.put(`/api/v1/firmware/device/${device.id}/firmware/`, { image: image.id, installed: false }))
        .statusCode,
    ).toBe(403);
    const options = (await operator.get(`/api/v1/firmware/device/${device.id}/upgrade-options/`)).json();
    expect(options.upgrader).toBe('openwrt');
    expect(
      options.options
        .filter((option: { dangerous: boolean }) => option.dangerous)
        .map((option: { key: string }) => option.key),
    ).toEqual(['n', 'F']);
    expect((await admin.delete(`/api/v1/firmware/device/${device.id}/firmware/`)).statusCode).toBe(204);
    expect((await admin.get(`/api/v1/firmware/device/${device.id}/firmware/`)).json().code).toBe(
      'DeviceFirmwareNotFound',
    );
  });

  it("lists operations with filters, hides other organizations', and serves the log incrementally", async () => {
    const { admin, image, device, organization } = await deviceWithImage();
    const operationId = (await admin.put(`/api/v1/firmware/device/${device.id}/firmware/`, { image: image.id })).json()
      .upgrade_operation.id;
    const other = await setup();
    expect((await other.admin.get(`/api/v1/firmware/upgrade-operation/${operationId}/`)).statusCode).toBe(404);
    expect((await other.admin.post(`/api/v1/firmware/upgrade-operation/${operationId}/cancel/`)).statusCode).toBe(404);
    expect(
      (await admin.get(`/api/v1/firmware/upgrade-operation/?status=pending&device=${device.id}`)).json().count,
    ).toBe(1);
    expect(
      (await admin.get(`/api/v1/firmware/upgrade-operation/?status=success&device=${device.id}`)).json().count,
    ).toBe(0);
    expect(
      (
        await admin.get(`/api/v1/firmware/upgrade-operation/?image=${image.id}&organization=${organization.slug}`)
      ).json().count,
    ).toBe(1);
    expect((await admin.get('/api/v1/firmware/upgrade-operation/?status=bogus')).statusCode).toBe(400);
    const log = (await admin.get(`/api/v1/firmware/upgrade-operation/${operationId}/log/`)).json().results;
    expect(log[0]).toMatchObject({ seq: 1, level: 'info', message: expect.stringContaining('Upgrade requested') });
    expect((await admin.get(`/api/v1/firmware/upgrade-operation/${operationId}/log/?after=1`)).json().results).toEqual(
      [],
    );
  });
});
