import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createImageBuildHarness, type ImageBuildHarness } from './helpers/image-builds.js';
import { startTestS3, type TestS3 } from './helpers/s3.js';
import { MAKE, XZ, ZSTD, skipWithout } from './helpers/system-tools.js';

/**
 * Image builds with the S3 backend: the built files go to the object store (s3rver, standing in for
 * a real one), another node serves them at /store, and a store that cannot be reached fails the
 * build with STORAGE_UNAVAILABLE (retried, not cached) without recording any file.
 */

const skip = skipWithout(import.meta.url, [MAKE, ZSTD, XZ]);

let s3: TestS3;
let h: ImageBuildHarness;
let otherNode: TestApp;
let presigning: TestApp;

beforeAll(async () => {
  if (skip) return;
  s3 = await startTestS3();
  h = await createImageBuildHarness({ env: s3.env({ FLEETFLASH_BUILD_MAX_ATTEMPTS: '2' }) });
  otherNode = await createTestApp(s3.env(), { sameDatabaseAs: h.t });
  presigning = await createTestApp(s3.env({ FLEETFLASH_S3_PRESIGNED_DOWNLOADS: 'true' }), { sameDatabaseAs: h.t });
});
afterAll(async () => {
  await presigning?.close();
  await otherNode?.close();
  await h?.close();
  await s3?.close();
});

const request = { target: 'ath79/generic', version: '23.05.3', profile: 'tplink,archer-c7-v2', packages: [] };

function localFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name);
}

describe.skipIf(skip)('image builds in the object store', () => {
  it('store their files in the object store, and another node serves them', async () => {
    const first = await h.build(request);
    const hash = first.json.request_hash as string;
    const done = await h.waitForBuild(hash);
    expect(done.status, JSON.stringify(done.json)).toBe(200);
    const images = done.json.images as { name: string; sha256: string }[];
    expect(images.length).toBeGreaterThan(0);
    const keys = await s3.keys();
    for (const image of images) {
      const download = await otherNode.app.inject({ method: 'GET', url: `/store/${hash}/${image.name}` });
      expect(download.statusCode).toBe(200);
      expect(createHash('sha256').update(download.rawPayload).digest('hex')).toBe(image.sha256);
      expect(keys).toContain(`sha256/${image.sha256.slice(0, 2)}/${image.sha256}`);
    }
    expect(keys.filter((key) => key.startsWith('incoming/'))).toEqual([]);
    expect(localFiles(h.t.storageDir)).toEqual([]);

    // With presigned downloads on, /store still streams: LuCI downloads in the browser, where a redirect to
    // the bucket's origin would fail without CORS.
    for (const image of images) {
      const download = await presigning.app.inject({ method: 'GET', url: `/store/${hash}/${image.name}` });
      expect(download.statusCode).toBe(200);
      expect(download.headers.location).toBeUndefined();
      expect(createHash('sha256').update(download.rawPayload).digest('hex')).toBe(image.sha256);
    }
  });

  it('fail with STORAGE_UNAVAILABLE while the store is down, record no file, and build once it is back', async () => {
    const other = { ...request, packages: ['vim'] };
    await s3.stop();
    let hash: string;
    try {
      hash = (await h.build(other)).json.request_hash as string;
      const failed = await h.waitForBuild(hash);
      expect(failed.status).toBe(500);
      expect(failed.json).toMatchObject({ error_code: 'STORAGE_UNAVAILABLE', error_kind: 'infrastructure' });
      expect(String(failed.json.detail)).toMatch(/file store is unavailable/);
      const attempts = await h.t.db
        .selectFrom('asuBuildResults')
        .select('errorCode')
        .where('requestHash', '=', hash)
        .execute();
      expect(attempts).toEqual([{ errorCode: 'STORAGE_UNAVAILABLE' }, { errorCode: 'STORAGE_UNAVAILABLE' }]);
      expect(await h.t.db.selectFrom('asuBuildFiles').select('name').where('requestHash', '=', hash).execute()).toEqual(
        [],
      );
    } finally {
      await s3.start();
    }
    // Not cached: the same request builds now.
    const again = await h.build(other);
    expect(again.json.request_hash).toBe(hash);
    expect((await h.waitForBuild(hash)).status).toBe(200);
  });
});
