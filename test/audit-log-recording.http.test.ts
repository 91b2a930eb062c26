import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrganizationRow } from '../src/modules/accounts/accounts.table.js';
import { ensureInitialSuperuser } from '../src/modules/accounts/user.service.js';
import { createOrganization } from '../src/modules/accounts/organization.service.js';
import { OPERATOR } from '../src/cli/with-runtime.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeOrganization, makeToken, makeUser } from './helpers/factories.js';
import { makeSysupgradeImage } from './helpers/firmware-file.js';
import { type ApiClient, client } from './helpers/http.js';

/**
 * What each kind of change writes to the audit log, one kind per test: tokens, registration by a
 * router, images, single upgrades, mass upgrades, devices' host keys and firmware records, members.
 * (Logins, devices, catalog and organizations: audit-log.http.test.ts.)
 */

let t: TestApp;
let acme: OrganizationRow;
let admin: ApiClient;

beforeAll(async () => {
  t = await createTestApp();
  acme = await makeOrganization(t.db, { slug: 'acme' });
  admin = client(
    t.app,
    await makeToken(
      t.db,
      await makeUser(t.db, { username: 'ada', memberships: [{ organization: acme, role: 'admin' }] }),
    ),
  );
  // The organization's default SSH credentials: every device below may be upgraded.
  await ok(
    admin.post('/api/v1/credentials/', { name: 'default', username: 'root', password: 'secret12', is_default: true }),
  );
});
afterAll(async () => {
  await t.close();
});

function mac(): string {
  return `02:${randomBytes(5).toString('hex').match(/../g)!.join(':')}`;
}

async function ok<T = Record<string, unknown> & { id: string }>(
  response: Promise<{ statusCode: number; body: string; json(): unknown }>,
) {
  const answer = await response;
  expect(answer.statusCode, answer.body).toBeLessThan(300);
  return (answer.body === '' ? undefined : answer.json()) as T;
}

async function entries(query: string) {
  const answer = await ok<{ results: Record<string, unknown>[] }>(
    admin.get(`/api/v1/audit-log/?page_size=100&${query}`),
  );
  return answer.results;
}

/** A device that can be upgraded to an image of a new build (credentials, fitting board, an upgrader). */
async function upgradable() {
  const category = await ok(admin.post('/api/v1/firmware/category/', { name: `c-${mac()}` }));
  const build = await ok(admin.post('/api/v1/firmware/build/', { category: category.id, version: '2.0' }));
  const image = await ok(
    admin.upload(`/api/v1/firmware/build/${build.id}/image/`, [
      {
        name: 'file',
        fileName: 'openwrt-ath79-generic-tplink_archer-c7-v2-squashfs-sysupgrade.bin',
        content: makeSysupgradeImage(),
      },
    ]),
  );
  const device = await ok(
    admin.post('/api/v1/devices/', {
      name: `dev-${mac()}`,
      mac_address: mac(),
      board_name: 'tplink,archer-c7-v2',
      management_ip: '127.0.0.1',
    }),
  );
  return { build, image, device };
}

describe('recording', () => {
  it('records API tokens created and revoked, by name, never the token', async () => {
    const created = await ok<{ id: string; token: string }>(admin.post('/api/v1/auth/tokens/', { name: 'deploy bot' }));
    await ok(admin.delete(`/api/v1/auth/tokens/${created.id}/`));
    const rows = await t.db
      .selectFrom('auditLog')
      .selectAll()
      .where('targetId', '=', created.id)
      .orderBy('id')
      .execute();
    expect(rows.map((row) => [row.action, row.targetLabel, row.actorName])).toEqual([
      ['token.created', 'deploy bot', 'ada'],
      ['token.revoked', 'deploy bot', 'ada'],
    ]);
    expect(JSON.stringify(rows)).not.toContain(created.token);
  });

  it('records a router registering as the system, with its address; not a re-registration with no change', async () => {
    const secret = (await ok<{ secret: string }>(admin.post(`/api/v1/organizations/${acme.id}/registration-secret/`)))
      .secret;
    const address = mac();
    const register = (os: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/devices/register/',
        remoteAddress: '::ffff:192.0.2.44',
        payload: { organization: 'acme', secret, mac_address: address, os, management_ip: '127.0.0.1' },
      });
    for (const os of ['OpenWrt 23.05.2', 'OpenWrt 23.05.2', 'OpenWrt 23.05.3'])
      expect((await register(os)).statusCode).toBeLessThan(300);
    const found = await entries('action=device.registered');
    expect(found).toHaveLength(2);
    expect(found[0]).toMatchObject({
      actor_type: 'system',
      actor_name: 'device-registration',
      address: '192.0.2.44',
      details: { os: { from: 'OpenWrt 23.05.2', to: 'OpenWrt 23.05.3' } },
    });
    expect(found[1]).toMatchObject({ details: expect.objectContaining({ mac_address: address }) });
  });

  it('records images uploaded and deleted with their build, type and hash', async () => {
    const { build, image } = await upgradable();
    await ok(admin.delete(`/api/v1/firmware/build/${build.id}/image/${image.id}/`));
    const found = await entries(`target_type=image&target_id=${image.id}`);
    expect(found.map((entry) => entry.action)).toEqual(['image.deleted', 'image.uploaded']);
    expect(found[1]).toMatchObject({
      organization: acme.id,
      target_label: 'openwrt-ath79-generic-tplink_archer-c7-v2-squashfs-sysupgrade.bin',
      details: { build: build.id, sha256: image.sha256, size: image.size },
    });
  });

  it('records a single upgrade started, cancelled and retried', async () => {
    const { image, device } = await upgradable();
    const started = await ok<{ upgrade_operation: { id: string } }>(
      admin.put(`/api/v1/firmware/device/${device.id}/firmware/`, { image: image.id }),
    );
    const first = started.upgrade_operation.id;
    await ok(admin.post(`/api/v1/firmware/upgrade-operation/${first}/cancel/`));
    const retried = await ok(admin.post(`/api/v1/firmware/upgrade-operation/${first}/retry/`));
    const found = await entries('action=upgrade.');
    expect(found.slice(0, 3).map((entry) => [entry.action, entry.target_id, entry.target_label])).toEqual([
      ['upgrade.retried', retried.id, device.name],
      ['upgrade.cancelled', first, device.name],
      ['upgrade.started', first, device.name],
    ]);
    expect(found[2]).toMatchObject({ details: { device: device.id, image: image.id, build_version: '2.0' } });
    expect(found[0]).toMatchObject({ details: { retry_of: first } });
  });

  it('records nothing for a build whose deletion is refused while an upgrade installs it (409)', async () => {
    const { build, image, device } = await upgradable();
    await ok(admin.put(`/api/v1/firmware/device/${device.id}/firmware/`, { image: image.id }));
    const before = (await entries(`target_id=${build.id}`)).length;
    const refused = await admin.delete(`/api/v1/firmware/build/${build.id}/`);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(await entries(`action=build.deleted&target_id=${build.id}`)).toEqual([]);
    expect((await entries(`target_id=${build.id}`)).length).toBe(before);
  });

  it('records a mass upgrade launched, paused and cancelled by a person', async () => {
    const { build } = await upgradable();
    const launched = await ok<{ batch: string }>(
      admin.post(`/api/v1/firmware/build/${build.id}/upgrade/`, { upgrade_all: true }),
    );
    const batch = { id: launched.batch };
    await ok(admin.post(`/api/v1/firmware/batch-upgrade-operation/${batch.id}/pause/`));
    await ok(admin.post(`/api/v1/firmware/batch-upgrade-operation/${batch.id}/cancel/`));
    const found = await entries(`target_type=batch&target_id=${batch.id}`);
    expect(found.map((entry) => [entry.action, entry.actor_name])).toEqual([
      ['batch.cancelled', 'ada'],
      ['batch.paused', 'ada'],
      ['batch.launched', 'ada'],
    ]);
    expect(found[2]).toMatchObject({ target_label: '2.0', details: { build: build.id, upgrade_all: true } });
    expect(found[1]).toMatchObject({ details: { previous_status: 'in-progress' } });
  });

  it("records a device's host key reset and its firmware record set and cleared", async () => {
    const { image, device } = await upgradable();
    await ok(admin.post(`/api/v1/devices/${device.id}/reset-host-key/`));
    await ok(admin.put(`/api/v1/firmware/device/${device.id}/firmware/`, { image: image.id, installed: true }));
    await ok(admin.delete(`/api/v1/firmware/device/${device.id}/firmware/`));
    const found = await entries(`target_id=${device.id}`);
    expect(found.map((entry) => entry.action)).toEqual([
      'device.firmware_cleared',
      'device.firmware_set',
      'device.host_key_reset',
      'device.created',
    ]);
  });

  it('records members added and removed, and a user deactivated', async () => {
    const user = await makeUser(t.db, { username: 'mo', memberships: [{ organization: acme, role: 'operator' }] });
    const other = await makeUser(t.db, { username: 'newcomer' });
    const superuser = client(t.app, await makeToken(t.db, await makeUser(t.db, { isSuperuser: true })));
    await ok(superuser.post(`/api/v1/organizations/${acme.id}/members/`, { user: other.id, role: 'operator' }));
    await ok(admin.delete(`/api/v1/organizations/${acme.id}/members/${user.id}/`));
    await ok(superuser.patch(`/api/v1/users/${other.id}/`, { is_active: false }));
    expect(
      (await entries('action=membership.')).slice(0, 2).map((entry) => [entry.action, entry.target_label]),
    ).toEqual([
      ['membership.removed', 'mo'],
      ['membership.added', 'newcomer'],
    ]);
    const deactivated = await ok<{ results: Record<string, unknown>[] }>(
      superuser.get(`/api/v1/audit-log/?target_id=${other.id}&action=user.deactivated`),
    );
    expect(deactivated.results[0]).toMatchObject({
      organization: null,
      details: { is_active: { from: true, to: false } },
    });
  });
});

describe('changes made outside a request', () => {
  it('records the CLI and the first start as system parts, without an address', async () => {
    const created = await createOrganization(t.db, OPERATOR, { name: 'Made by CLI' });
    const superuser = client(t.app, await makeToken(t.db, await makeUser(t.db, { isSuperuser: true })));
    const byCli = await ok<{ results: Record<string, unknown>[] }>(
      superuser.get(`/api/v1/audit-log/?target_id=${created.id}`),
    );
    expect(byCli.results).toEqual([
      expect.objectContaining({
        action: 'organization.created',
        actor_type: 'system',
        actor_name: 'cli',
        address: null,
      }),
    ]);

    const fresh = await createTestApp();
    try {
      const first = await ensureInitialSuperuser(fresh.db, { username: 'admin', password: 'a-long-password' });
      expect(first.created).toBe(true);
      const rows = await fresh.db.selectFrom('auditLog').selectAll().execute();
      expect(rows.map((row) => [row.action, row.actorType, row.actorName, row.targetLabel])).toEqual([
        ['user.created', 'system', 'bootstrap', 'admin'],
      ]);
      expect(JSON.stringify(rows)).not.toContain('a-long-password');
    } finally {
      await fresh.close();
    }
  });
});
