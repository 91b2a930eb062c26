import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackgroundWork, startBackgroundWork } from '../src/composition.js';
import { composeAgentFirstBoot, readAgentFiles } from '../src/modules/agent/agent-first-boot.js';
import { PROJECT_ROOT } from '../src/platform/paths.js';
import { type AgentProxy, startAgentProxy } from './helpers/agent-proxy.js';
import { startUpstreamFixture, type UpstreamFixture } from './helpers/asu-upstream.js';
import { startBusyboxRouter, skipWithoutBusyboxRouter } from './helpers/busybox-router.js';
import { makeOrganization, makeToken, makeUser } from './helpers/factories.js';
import { type ApiClient, client } from './helpers/http.js';
import { MAKE, XZ, ZSTD, skipWithout } from './helpers/system-tools.js';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';

/**
 * Custom images that carry the pull agent (issue 15 part 4): the request with embed_agent, what the
 * ImageBuilder fixture put into the image (it copies FILES into the image's text), what the API and the
 * audit log say (never the secret), the request hash, and the first-boot script run under real busybox
 * against the real server until the router is enrolled.
 */

const skip = skipWithout(import.meta.url, [MAKE, ZSTD, XZ]);
const skipRouter = skip || skipWithoutBusyboxRouter(import.meta.url);
const PROFILE = { target: 'ath79/generic', profile: 'tplink_archer-c7-v2' };
const UCI_DEFAULTS = '/etc/uci-defaults/99-asu-defaults';

let upstream: UpstreamFixture;
let proxy: AgentProxy;
let serverUrl = '';
let h: Harness;
let builds: BackgroundWork;
let ibDir: string;
let admin: ApiClient;
let secret: string;

beforeAll(async () => {
  if (skip) return;
  upstream = await startUpstreamFixture();
  proxy = await startAgentProxy(() => serverUrl);
  ibDir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-ib-'));
  chmodSync(ibDir, 0o755);
  h = await createHarness({
    FLEETFLASH_UPSTREAM_URL: upstream.url,
    FLEETFLASH_IMAGEBUILDER_DIR: ibDir,
    FLEETFLASH_IMAGEBUILDER_SIGNING_KEY: upstream.publicKey,
    // Routers reach the server through the proxy (they have no other route in the busybox test).
    FLEETFLASH_PUBLIC_URL: proxy.url,
  });
  await h.t.app.listen({ port: 0, host: '127.0.0.1' });
  serverUrl = `http://127.0.0.1:${(h.t.app.server.address() as net.AddressInfo).port}`;
  builds = await startBackgroundWork(h.t.resources, { tasks: false, upgrades: false, builds: true });
  const organization = await h.db
    .selectFrom('organizations')
    .selectAll()
    .where('id', '=', h.organizationId)
    .executeTakeFirstOrThrow();
  admin = client(
    h.t.app,
    await makeToken(h.db, await makeUser(h.db, { memberships: [{ organization, role: 'admin' }] })),
  );
  const generated = await admin.post(`/api/v1/organizations/${h.organizationId}/registration-secret/`);
  expect(generated.statusCode, generated.body).toBe(201);
  secret = generated.json().secret;
});

afterAll(async () => {
  await builds?.stop();
  await h?.close();
  await proxy?.close();
  await upstream?.close();
  if (ibDir) rmSync(ibDir, { recursive: true, force: true });
});

async function newBuild(api: ApiClient, categoryId: string): Promise<string> {
  const build = await api.post('/api/v1/firmware/build/', {
    category: categoryId,
    version: '23.05.3',
    os: `OpenWrt 23.05.3 r23809-${Math.random().toString(16).slice(2, 12)}`,
  });
  expect(build.statusCode, build.body).toBe(201);
  return build.json().id as string;
}

/** Waits until the build's custom images are done; answers the attached image's file. */
async function attachedImage(api: ApiClient, buildId: string): Promise<Buffer> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [row] = (await api.get(`/api/v1/firmware/build/${buildId}/custom-images/`)).json().results;
    if (row.status === 'attached') {
      const file = await api.get(`/api/v1/firmware/build/${buildId}/image/${row.image}/download/`);
      expect(file.statusCode).toBe(200);
      return file.rawPayload;
    }
    if (row.status === 'failed') throw new Error(`custom image failed: ${row.detail}`);
    if (Date.now() > deadline) throw new Error('custom image still building');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The content of a file the fake ImageBuilder copied from FILES into the image (`--- path (N bytes)`). */
function fileInImage(image: Buffer, file: string): string {
  // latin1: one character per byte, so the match's index is the file's byte offset.
  const text = image.toString('latin1');
  const header = new RegExp(`--- ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\((\\d+) bytes\\)\\n`).exec(text);
  if (!header) throw new Error(`${file} is not in the image`);
  const start = header.index + header[0].length;
  return image.subarray(start, start + Number(header[1])).toString('utf8');
}

let embeddedScript = '';

describe.skipIf(skip)('custom images that carry the pull agent', () => {
  it('writes the agent and its enrollment into the first-boot script, never echoing the secret', async () => {
    const buildId = await newBuild(admin, h.categoryId);
    const requested = await admin.post(`/api/v1/firmware/build/${buildId}/custom-images/`, {
      packages: ['luci'],
      profiles: [PROFILE],
      embed_agent: true,
      registration_secret: secret,
    });
    expect(requested.statusCode, requested.body).toBe(202);
    expect(requested.body).not.toContain(secret);
    const [row] = requested.json().requested;

    const image = await attachedImage(admin, buildId);
    embeddedScript = fileInImage(image, UCI_DEFAULTS);
    const agentScript = readFileSync(path.join(PROJECT_ROOT, 'agent', 'fleetflash-agent.sh'), 'utf8');
    expect(embeddedScript).toContain(agentScript.trimEnd());
    expect(embeddedScript).toContain(`url='${proxy.url}'`);
    expect(embeddedScript).toContain(`organization='${h.organizationSlug}'`);
    expect(embeddedScript).toContain(`secret='${secret}'`);
    expect(embeddedScript).toContain('cat > /etc/init.d/fleetflash <<');
    expect(embeddedScript).toContain('/lib/upgrade/keep.d/fleetflash');

    // Neither the build (ASU answer), the custom image list, nor the audit log holds the secret.
    const asu = await admin.get(`/api/v1/build/${row.request_hash}`);
    expect(asu.json().request.defaults).toBeNull();
    expect(asu.body).not.toContain(secret);
    expect((await admin.get(`/api/v1/firmware/build/${buildId}/custom-images/`)).body).not.toContain(secret);
    const audit = await h.api.get(`/api/v1/audit-log/?target_type=custom_image&target_id=${row.id}`);
    expect(audit.body).not.toContain(secret);
    const entry = audit.json().results.find((item: { action: string }) => item.action === 'custom_image.requested');
    expect(entry.details).toMatchObject({ embed_agent: true });

    // The request hash: another without the agent, another for another organization's secret.
    const plain = await admin.post(`/api/v1/firmware/build/${buildId}/custom-images/`, {
      packages: ['luci'],
      profiles: [PROFILE],
    });
    expect(plain.json().requested[0].request_hash).not.toBe(row.request_hash);
    const other = await makeOrganization(h.db);
    const otherCategory = await h.api.post('/api/v1/firmware/category/', { name: 'other', organization: other.id });
    const otherBuild = await newBuild(h.api, otherCategory.json().id);
    const otherSecret = (await h.api.post(`/api/v1/organizations/${other.id}/registration-secret/`)).json().secret;
    const theirs = await h.api.post(`/api/v1/firmware/build/${otherBuild}/custom-images/`, {
      packages: ['luci'],
      profiles: [PROFILE],
      embed_agent: true,
      registration_secret: otherSecret,
    });
    expect(theirs.statusCode, theirs.body).toBe(202);
    expect(theirs.json().requested[0].request_hash).not.toBe(row.request_hash);
    // The same request again is the same image (cached, attached at once).
    const again = await admin.post(`/api/v1/firmware/build/${buildId}/custom-images/`, {
      packages: ['luci'],
      profiles: [PROFILE],
      embed_agent: true,
      registration_secret: secret,
    });
    expect(again.json().requested[0].request_hash).toBe(row.request_hash);
  });

  it('refuses a missing or wrong registration secret, and operators', async () => {
    const buildId = await newBuild(admin, await h.newCategory());
    const url = `/api/v1/firmware/build/${buildId}/custom-images/`;
    const missing = await admin.post(url, { profiles: [PROFILE], embed_agent: true });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().fields).toHaveProperty('registration_secret');
    const wrong = await admin.post(url, { profiles: [PROFILE], embed_agent: true, registration_secret: 'ffr_wrong' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ code: 'ValidationFailed' });
    expect(wrong.json().fields).toHaveProperty('registration_secret');
    expect(wrong.body).not.toContain('ffr_wrong');
    const organization = await h.db
      .selectFrom('organizations')
      .selectAll()
      .where('id', '=', h.organizationId)
      .executeTakeFirstOrThrow();
    const operator = client(
      h.t.app,
      await makeToken(h.db, await makeUser(h.db, { memberships: [{ organization, role: 'operator' }] })),
    );
    const refused = await operator.post(url, { profiles: [PROFILE], embed_agent: true, registration_secret: secret });
    expect(refused.statusCode).toBe(403);
  });

  it('never embeds an agent through the ASU API', async () => {
    const body = { version: '23.05.3', ...PROFILE, packages: ['luci'] };
    const plain = await h.api.post('/api/v1/build', body);
    const asked = await h.api.post('/api/v1/build', { ...body, embed_agent: true, registration_secret: secret });
    expect(plain.json().request_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(asked.json().request_hash).toBe(plain.json().request_hash);
    expect(asked.json().request?.defaults_sha256 ?? null).toBeNull();
  });

  it.skipIf(skipRouter)('enrolls a router under busybox from the first-boot script, once', async () => {
    expect(embeddedScript).not.toBe('');
    const router = startBusyboxRouter({ mac: '02:bb:00:00:0a:01' });
    try {
      // A factory-fresh router: no agent yet; the image's script is its only uci-defaults file.
      rmSync(path.join(router.root, 'usr', 'sbin', 'fleetflash-agent'));
      router.writeRootFile('etc/uci-defaults-99', embeddedScript);
      // As /etc/init.d/boot runs uci-defaults (uci_apply_defaults): sourced in a subshell, deleted on success.
      const firstBoot = 'mkdir -p /etc/uci-defaults && mv /etc/uci-defaults-99 /etc/uci-defaults/99-asu-defaults && ';
      const applyDefaults = 'cd /etc/uci-defaults && ( . ./99-asu-defaults ) && rm -f 99-asu-defaults';
      const booted = await router.shell(firstBoot + applyDefaults);
      expect(booted.code, booted.stderr).toBe(0);
      expect(router.readRootFile('etc/uci-defaults/99-asu-defaults')).toBeNull();
      expect(router.readRootFile('usr/sbin/fleetflash-agent')).toBe(
        readFileSync(path.join(PROJECT_ROOT, 'agent', 'fleetflash-agent.sh'), 'utf8'),
      );
      expect(router.readRootFile('lib/upgrade/keep.d/fleetflash')).toContain('/etc/config/fleetflash');
      // Not enrolled yet (uci-defaults run before the network): the enroller service was enabled and started.
      expect(router.readRootFile('etc/config/fleetflash')).toBeNull();
      const services = router.readRootFile('service.log') ?? '';
      expect(services).toContain('enable fleetflash-enroll START=99');
      expect(services).toContain('command /usr/libexec/fleetflash-enroll');
      expect(services).not.toContain('enable fleetflash START');

      // procd runs the enroller's command: it enrolls, hands over to the agent's service, removes itself.
      const enrolled = await router.shell('/usr/libexec/fleetflash-enroll');
      expect(enrolled.code, enrolled.stderr).toBe(0);
      const deviceId = /as device ([0-9a-f-]{36})/.exec(enrolled.stdout)?.[1];
      expect(deviceId, enrolled.stdout + enrolled.stderr).toBeDefined();
      const device = (await h.api.get(`/api/v1/devices/${deviceId}/`)).json();
      expect(device).toMatchObject({ organization: h.organizationId, management: 'agent' });
      expect(device.mac_address.toLowerCase()).toBe('02:bb:00:00:0a:01');
      const after = router.readRootFile('service.log') ?? '';
      expect(after).toContain('enable fleetflash START=99');
      expect(after).toContain('command /usr/sbin/fleetflash-agent run');
      expect(after).toContain('disable fleetflash-enroll');
      expect(router.readRootFile('usr/libexec/fleetflash-enroll')).toBeNull();
      expect(router.readRootFile('etc/init.d/fleetflash-enroll')).toBeNull();
      const config = router.readRootFile('etc/config/fleetflash');
      expect(config).toContain(`option device '${deviceId}'`);

      // A sysupgrade that kept settings runs the script again: the router is enrolled, so no enroller.
      router.writeRootFile('etc/uci-defaults-99', embeddedScript);
      const again = await router.shell(firstBoot + applyDefaults);
      expect(again.code, again.stderr).toBe(0);
      expect(router.readRootFile('usr/libexec/fleetflash-enroll')).toBeNull();
      expect(router.readRootFile('etc/config/fleetflash')).toBe(config);

      // The admin's own script runs after the agent part, and its exit status keeps or deletes the file as usual.
      const withAdminPart = composeAgentFirstBoot(
        await readAgentFiles(),
        { serverUrl: proxy.url, organization: h.organizationSlug, secret },
        'touch /etc/admin-part-ran\nexit 1',
      );
      router.writeRootFile('etc/uci-defaults-99', withAdminPart);
      const kept = await router.shell(firstBoot + applyDefaults);
      expect(kept.code).not.toBe(0);
      expect(router.readRootFile('etc/admin-part-ran')).toBe('');
      expect(router.readRootFile('etc/uci-defaults/99-asu-defaults')).toBe(withAdminPart);
    } finally {
      await router.stop();
    }
  });
});
