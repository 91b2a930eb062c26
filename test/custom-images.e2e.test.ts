import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackgroundWork, startBackgroundWork } from '../src/composition.js';
import { startUpstreamFixture, type UpstreamFixture } from './helpers/asu-upstream.js';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';
import { MAKE, XZ, ZSTD, skipWithout } from './helpers/system-tools.js';

const skip = skipWithout(import.meta.url, [MAKE, ZSTD, XZ]);

let upstream: UpstreamFixture;
let h: Harness;
let builds: BackgroundWork;
let ibDir: string;

beforeAll(async () => {
  upstream = await startUpstreamFixture();
  ibDir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-ib-'));
  chmodSync(ibDir, 0o755);
  h = await createHarness({
    FLEETFLASH_UPSTREAM_URL: upstream.url,
    FLEETFLASH_IMAGEBUILDER_DIR: ibDir,
    FLEETFLASH_IMAGEBUILDER_SIGNING_KEY: upstream.publicKey,
  });
  await h.startWorker();
  builds = await startBackgroundWork(h.t.resources, { tasks: false, upgrades: false, builds: true });
});

afterAll(async () => {
  await builds?.stop();
  await h?.close();
  await upstream?.close();
  rmSync(ibDir, { recursive: true, force: true });
});

async function waitForCustomImages(
  buildId: string,
): Promise<{ status: string; image: string | null; detail: string; profile: string }[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const list = (await h.api.get(`/api/v1/firmware/build/${buildId}/custom-images/`)).json().results as {
      status: string;
      image: string | null;
      detail: string;
      profile: string;
    }[];
    if (list.every((row) => row.status !== 'building')) return list;
    if (Date.now() > deadline) throw new Error(`custom images still building: ${JSON.stringify(list)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(skip)('custom builds flow into the fleet catalog', () => {
  it(
    'builds an image per fleet model, attaches it to the firmware build, and it flashes onto a simulated ' + 'router',
    async () => {
      const { router, deviceId } = await h.addRouter();
      // The fleet: this router runs a 23.05.2 build of the category.
      const current = await h.addImage({ os: 'OpenWrt 23.05.2 r23630-842932a63d' });
      await h.markInstalled(deviceId, current.imageId);
      const build = await h.api.post('/api/v1/firmware/build/', {
        category: h.categoryId,
        version: '23.05.3',
        os: 'OpenWrt 23.05.3 r23809-234f1a2efa',
      });
      expect(build.statusCode).toBe(201);
      const buildId = build.json().id as string;

      const requested = await h.api.post(`/api/v1/firmware/build/${buildId}/custom-images/`, {
        packages: ['luci', 'wireguard-tools'],
      });
      expect(requested.statusCode, requested.body).toBe(202);
      const body = requested.json();
      expect(body.requested).toHaveLength(1);
      expect(body.requested[0]).toMatchObject({
        target: 'ath79/generic',
        profile: 'tplink_archer-c7-v2',
        boards: ['tplink,archer-c7-v2'],
      });
      expect(body.requested[0].request_hash).toMatch(/^[0-9a-f]{64}$/);

      const [attached] = await waitForCustomImages(buildId);
      expect(attached!.status, JSON.stringify(attached)).toBe('attached');
      const image = (await h.api.get(`/api/v1/firmware/build/${buildId}/image/${attached!.image}/`)).json();
      expect(image.type).toBe('ath79-generic-tplink_archer-c7-v2-squashfs-sysupgrade.bin');
      expect(image.boards).toContain('tplink,archer-c7-v2');
      // The audit log: requested by the person, attached by the build worker (the system).
      const audit = await h.api.get(`/api/v1/audit-log/?target_type=custom_image&target_id=${body.requested[0].id}`);
      expect(
        audit.json().results.map((entry: { action: string; actor_name: string }) => [entry.action, entry.actor_name]),
      ).toEqual([
        ['custom_image.attached', 'image-build-worker'],
        ['custom_image.requested', expect.any(String)],
      ]);

      // The same build, cached: asking again attaches at once, and the duplicate is recognised.
      const again = await h.api.post(`/api/v1/firmware/build/${buildId}/custom-images/`, {
        packages: ['wireguard-tools', 'luci'],
      });
      expect(again.json().requested[0].status).toBe('attached');
      expect(again.json().requested[0].image).toBe(attached!.image);

      const operation = await h.upgrade(deviceId, attached!.image!);
      const ended = await h.waitForEnd(operation);
      expect(ended.status, ended.log).toBe('success');
      expect(router.state.release.version).toBe('23.05.3');
    },
  );

  it('explains models it cannot build for, and refuses when there is nothing to build', async () => {
    await h.newCategory();
    const build = await h.api.post('/api/v1/firmware/build/', {
      category: h.categoryId,
      version: '23.05.3',
      os: 'OpenWrt 23.05.3 r1-other',
    });
    const buildId = build.json().id as string;
    const none = await h.api.post(`/api/v1/firmware/build/${buildId}/custom-images/`, { packages: ['luci'] });
    expect(none.statusCode).toBe(400);
    expect(none.json().detail).toContain('profiles');
    const explicit = await h.api.post(`/api/v1/firmware/build/${buildId}/custom-images/`, {
      packages: ['luci'],
      profiles: [
        { target: 'ath79/generic', profile: 'tplink_archer-a7-v5' },
        { target: 'ath79/generic', profile: 'no_such_profile' },
      ],
    });
    expect(explicit.statusCode, explicit.body).toBe(202);
    expect(explicit.json().requested).toHaveLength(1);
    expect(explicit.json().skipped[0]).toMatchObject({ profile: 'no_such_profile' });
    expect(explicit.json().skipped[0].reason).toContain('Unsupported profile');
    const [row] = await waitForCustomImages(buildId);
    expect(row!.status).toBe('attached');
  });
});
