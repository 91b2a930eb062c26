import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrganizationRow } from '../src/modules/accounts/accounts.table.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeOrganization, makeToken, makeUser } from './helpers/factories.js';
import { client, type ApiClient } from './helpers/http.js';

/** Device addresses outside the networks devices may be reached at are refused when saved (settings `devices.*`). */

const REFUSED_BY_DEFAULT = ['127.0.0.1', '169.254.169.254', '::ffff:127.0.0.1', 'fe80::1'];

interface Tenant {
  t: TestApp;
  organization: OrganizationRow;
  admin: ApiClient;
  secret: string;
}

async function tenant(t: TestApp): Promise<Tenant> {
  const organization = await makeOrganization(t.db);
  const admin = client(
    t.app,
    await makeToken(t.db, await makeUser(t.db, { memberships: [{ organization, role: 'admin' }] })),
  );
  const secret = (await admin.post(`/api/v1/organizations/${organization.id}/registration-secret/`)).json()
    .secret as string;
  return { t, organization, admin, secret };
}

let macCounter = 0;
function nextMac(): string {
  macCounter += 1;
  const hex = (byte: number) => byte.toString(16).padStart(2, '0');
  return `02:cc:00:00:${hex(macCounter >> 8)}:${hex(macCounter & 255)}`;
}

function register(tenant: Tenant, body: Record<string, unknown>, remoteAddress = '192.0.2.50') {
  return tenant.t.app.inject({
    method: 'POST',
    url: '/api/v1/devices/register/',
    remoteAddress,
    payload: { organization: tenant.organization.slug, secret: tenant.secret, ...body },
  });
}

async function deviceCount(tenant: Tenant): Promise<number> {
  return (await tenant.admin.get(`/api/v1/devices/?organization=${tenant.organization.slug}`)).json().count as number;
}

describe('with the default settings', () => {
  let t: TestApp;
  let a: Tenant;
  beforeAll(async () => {
    // The test helper allows loopback for the simulated routers; these tests want the real default.
    t = await createTestApp({ FLEETFLASH_DEVICE_ALLOW_LOOPBACK: 'false' });
    a = await tenant(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it(
    'refuses to create a device at a loopback, link-local or metadata address, naming the setting; nothing is ' +
      'stored',
    async () => {
      for (const address of REFUSED_BY_DEFAULT) {
        const response = await a.admin.post('/api/v1/devices/', {
          organization: a.organization.id,
          name: 'sneaky',
          mac_address: nextMac(),
          management_ip: address,
        });
        expect(response.statusCode, address).toBe(400);
        expect(response.json(), address).toMatchObject({
          code: 'DeviceAddressNotAllowed',
          fields: { management_ip: expect.stringMatching(/devices\.(allow_loopback|denied_networks)/) },
        });
        expect(response.json().detail, address).toContain(address);
      }
      expect(await deviceCount(a)).toBe(0);
      const fine = await a.admin.post('/api/v1/devices/', {
        organization: a.organization.id,
        name: 'fine',
        mac_address: nextMac(),
        management_ip: '192.0.2.10',
      });
      expect(fine.statusCode).toBe(201);
      const named = await a.admin.post('/api/v1/devices/', {
        organization: a.organization.id,
        name: 'named',
        mac_address: nextMac(),
        management_ip: 'router.example.org',
      });
      expect(named.statusCode).toBe(201); // host names are checked on connecting, after DNS
      const numeric = await a.admin.post('/api/v1/devices/', {
        organization: a.organization.id,
        name: 'numeric',
        mac_address: nextMac(),
        management_ip: '127.1',
      });
      expect(numeric.statusCode).toBe(400);
      expect(numeric.json().fields).toHaveProperty('management_ip');
    },
  );

  it('refuses to move a device to such an address (PATCH and PUT); the device keeps its address', async () => {
    const device = (
      await a.admin.post('/api/v1/devices/', {
        organization: a.organization.id,
        name: 'mover',
        mac_address: nextMac(),
        management_ip: '192.0.2.11',
      })
    ).json();
    for (const address of REFUSED_BY_DEFAULT) {
      const patched = await a.admin.patch(`/api/v1/devices/${device.id}/`, { management_ip: address });
      expect(patched.statusCode, address).toBe(400);
      expect(patched.json().code, address).toBe('DeviceAddressNotAllowed');
      const replaced = await a.admin.put(`/api/v1/devices/${device.id}/`, {
        name: 'mover',
        mac_address: device.mac_address,
        management_ip: address,
      });
      expect(replaced.statusCode, address).toBe(400);
    }
    expect((await a.admin.get(`/api/v1/devices/${device.id}/`)).json().management_ip).toBe('192.0.2.11');
  });

  it(
    'refuses a registration at such an address, or from a loopback client without management_ip; nothing is ' +
      'stored',
    async () => {
      const b = await tenant(t);
      const known = await register(b, { mac_address: '02:cd:00:00:00:01', management_ip: '192.0.2.12' });
      expect(known.statusCode).toBe(201);
      for (const address of REFUSED_BY_DEFAULT) {
        const created = await register(b, { mac_address: nextMac(), management_ip: address });
        expect(created.statusCode, address).toBe(400);
        expect(created.json(), address).toMatchObject({
          code: 'DeviceAddressNotAllowed',
          fields: { management_ip: expect.any(String) },
        });
        const updated = await register(b, {
          mac_address: '02:cd:00:00:00:01',
          management_ip: address,
          os: 'OpenWrt 99',
        });
        expect(updated.statusCode, address).toBe(400);
      }
      const fromLoopback = await register(b, { mac_address: nextMac() }, '127.0.0.1');
      expect(fromLoopback.statusCode).toBe(400);
      expect(fromLoopback.json().detail).toContain('management_ip');
      expect(await deviceCount(b)).toBe(1);
      expect((await b.admin.get(`/api/v1/devices/${known.json().id}/`)).json()).toMatchObject({
        management_ip: '192.0.2.12',
        os: '',
      });
    },
  );
});

describe('when the settings allow these networks', () => {
  let t: TestApp;
  let a: Tenant;
  beforeAll(async () => {
    t = await createTestApp({ FLEETFLASH_DEVICE_ALLOW_LOOPBACK: 'true', FLEETFLASH_DEVICE_DENIED_NETWORKS: '' });
    a = await tenant(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates, changes and registers devices at those addresses', async () => {
    for (const address of REFUSED_BY_DEFAULT) {
      const created = await a.admin.post('/api/v1/devices/', {
        organization: a.organization.id,
        name: 'lab',
        mac_address: nextMac(),
        management_ip: address,
      });
      expect(created.statusCode, address).toBe(201);
      expect(
        (await a.admin.patch(`/api/v1/devices/${created.json().id}/`, { management_ip: address })).statusCode,
        address,
      ).toBe(200);
      expect((await register(a, { mac_address: nextMac(), management_ip: address })).statusCode, address).toBe(201);
    }
    expect((await register(a, { mac_address: nextMac() }, '127.0.0.1')).statusCode).toBe(201);
  });
});
