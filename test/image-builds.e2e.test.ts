import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFwtoolMetadata } from '../src/modules/firmware/fwtool.js';
import { createImageBuildHarness, type ImageBuildHarness } from './helpers/image-builds.js';

let h: ImageBuildHarness;

beforeAll(async () => {
  h = await createImageBuildHarness({ env: { FLEETFLASH_ALLOW_DEFAULTS: 'true' } });
});

afterAll(async () => {
  await h?.close();
});

describe('a custom image from request to download', () => {
  it('builds the image a LuCI client asks for, and serves it under /store/<bin_dir>/', async () => {
    const first = await h.build({ profile: 'tplink,archer-c7-v2', target: 'ath79/generic', version: '23.05.3', packages: ['luci', 'vim'], diff_packages: false, client: 'luci/25.079' });
    expect([200, 202]).toContain(first.status);
    const hash = first.json.request_hash as string;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const done = await h.waitForBuild(hash);
    expect(done.status, JSON.stringify(done.json)).toBe(200);
    expect(done.json.bin_dir).toBe(hash);
    expect(done.json.id).toBe('tplink_archer-c7-v2');
    const images = done.json.images as { name: string; type: string; sha256: string }[];
    const sysupgrade = images.find((image) => image.type === 'sysupgrade')!;
    const download = await h.t.app.inject({ method: 'GET', url: `/store/${hash}/${sysupgrade.name}` });
    expect(download.statusCode).toBe(200);
    expect(createHash('sha256').update(download.rawPayload).digest('hex')).toBe(sysupgrade.sha256);
    expect((done.json.manifest as Record<string, string>).vim).toBeTruthy();
  });
});
