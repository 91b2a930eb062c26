import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOB_REFERENCES } from '../src/database.js';
import { buildHardwareTable } from '../src/modules/firmware/hardware-table.js';
import { sweepUnreferencedBlobs } from '../src/platform/blob-references.js';
import { readInstallationId } from '../src/platform/installation.js';
import type { Storage } from '../src/platform/storage.js';
import { uploadImage } from '../src/use-cases/upload-image.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { actorFor, makeBuild, makeToken, makeUser } from './helpers/factories.js';
import { makeBareImage } from './helpers/firmware-file.js';
import { type ApiClient, client } from './helpers/http.js';
import { startTestS3, type TestS3 } from './helpers/s3.js';

/**
 * The S3 backend through the API: two app instances with data folders of their own (two machines,
 * no shared disk) on one database and one object store (s3rver on 127.0.0.1, standing in for MinIO,
 * Ceph RGW or AWS S3). What one uploads, the other serves; with presigned downloads on, a third
 * redirects downloads to the store; with the store stopped, uploads and downloads answer 503 and
 * nothing is recorded.
 */

const C7_TYPE = 'ath79-generic-tplink_archer-c7-v2-squashfs-sysupgrade.bin';
const C7_FILE = `openwrt-23.05.3-${C7_TYPE}`;
const MiB = 1024 * 1024;

let s3: TestS3;
let nodeA: TestApp;
let nodeB: TestApp;
let presigning: TestApp;
let apiA: ApiClient;
let authorization: string;
let baseB: string;
let basePresigning: string;

const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');
const storedKey = (hash: string) => `sha256/${hash.slice(0, 2)}/${hash}`;

beforeAll(async () => {
  s3 = await startTestS3();
  nodeA = await createTestApp(s3.env());
  nodeB = await createTestApp(s3.env(), { sameDatabaseAs: nodeA });
  presigning = await createTestApp(
    s3.env({ FLEETFLASH_S3_PRESIGNED_DOWNLOADS: 'true', FLEETFLASH_S3_PRESIGNED_URL_EXPIRY: '60' }),
    { sameDatabaseAs: nodeA },
  );
  for (const node of [nodeB, presigning]) await node.app.listen({ host: '127.0.0.1', port: 0 });
  baseB = `http://127.0.0.1:${(nodeB.app.server.address() as AddressInfo).port}`;
  basePresigning = `http://127.0.0.1:${(presigning.app.server.address() as AddressInfo).port}`;
  authorization = await makeToken(nodeA.db, await makeUser(nodeA.db, { isSuperuser: true }));
  apiA = client(nodeA.app, authorization);
});
afterAll(async () => {
  await presigning?.close();
  await nodeB?.close();
  await nodeA?.close();
  await s3?.close();
});

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  );
}

async function upload(buildId: string, content: Buffer) {
  return apiA.upload(`/api/v1/firmware/build/${buildId}/image/`, [{ name: 'file', fileName: C7_FILE, content }]);
}

const downloadPath = (image: { build: string; id: string }) =>
  `/api/v1/firmware/build/${image.build}/image/${image.id}/download/`;

describe('images in the object store', () => {
  it('are uploaded through one node in parts and downloaded whole and by range through another', async () => {
    const build = await makeBuild(nodeA.db);
    const content = makeBareImage(12 * MiB);
    const response = await upload(build.id, content);
    expect(response.statusCode).toBe(201);
    const image = response.json();
    expect(image).toMatchObject({ size: content.length, sha256: sha256(content) });
    // In the store under its hash; no partial upload left, nothing on either machine's disk.
    expect(await s3.keys()).toContain(storedKey(image.sha256));
    expect((await s3.keys()).filter((key) => key.startsWith('incoming/'))).toEqual([]);
    expect(filesUnder(nodeA.storageDir)).toEqual([]);

    const whole = await fetch(`${baseB}${downloadPath(image)}`, { headers: { authorization } });
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-length')).toBe(String(content.length));
    expect(whole.headers.get('etag')).toBe(`"${image.sha256}"`);
    expect(sha256(Buffer.from(await whole.arrayBuffer()))).toBe(image.sha256);

    const range = await fetch(`${baseB}${downloadPath(image)}`, {
      headers: { authorization, range: `bytes=${8 * MiB - 10}-${8 * MiB + 9}` },
    });
    expect(range.status).toBe(206);
    expect(range.headers.get('content-range')).toBe(`bytes ${8 * MiB - 10}-${8 * MiB + 9}/${content.length}`);
    expect(Buffer.from(await range.arrayBuffer())).toEqual(content.subarray(8 * MiB - 10, 8 * MiB + 10));
    expect(filesUnder(nodeB.storageDir)).toEqual([]);
  });

  it('redirect downloads to a short-lived presigned URL when the setting is on', async () => {
    const build = await makeBuild(nodeA.db);
    const content = makeBareImage(200_000);
    const image = (await upload(build.id, content)).json();
    const url = `${basePresigning}${downloadPath(image)}`;

    const redirect = await fetch(url, { headers: { authorization }, redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('cache-control')).toBe('private, no-store');
    const location = redirect.headers.get('location') ?? '';
    expect(location.startsWith(`${s3.endpoint}/${s3.bucket}/${storedKey(image.sha256)}?`)).toBe(true);
    expect(location).toContain('X-Amz-Expires=60');

    // Followed, with the range sent again, as clients do.
    const followed = await fetch(url, { headers: { authorization } });
    expect(followed.status).toBe(200);
    expect(followed.headers.get('content-disposition')).toContain(`filename="${C7_FILE}"`);
    expect(Buffer.from(await followed.arrayBuffer())).toEqual(content);
    const ranged = await fetch(url, { headers: { authorization, range: 'bytes=1000-1099' } });
    expect(ranged.status).toBe(206);
    expect(Buffer.from(await ranged.arrayBuffer())).toEqual(content.subarray(1000, 1100));

    // Still checked here first: the caller, If-None-Match; HEAD is answered here.
    expect((await fetch(url, { redirect: 'manual' })).status).toBe(401);
    const notModified = await fetch(url, {
      headers: { authorization, 'if-none-match': `"${image.sha256}"` },
      redirect: 'manual',
    });
    expect(notModified.status).toBe(304);
    const head = await fetch(url, { method: 'HEAD', headers: { authorization }, redirect: 'manual' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(content.length));
  });

  it('are stored once for two images of the same content and removed with the last of them', async () => {
    const content = makeBareImage(100_000);
    const first = (await upload((await makeBuild(nodeA.db)).id, content)).json();
    const second = (await upload((await makeBuild(nodeA.db)).id, content)).json();
    expect(first.sha256).toBe(second.sha256);
    const key = storedKey(first.sha256);
    expect((await s3.keys()).filter((stored) => stored === key)).toHaveLength(1);

    expect((await apiA.delete(`/api/v1/firmware/build/${first.build}/image/${first.id}/`)).statusCode).toBe(204);
    expect(await s3.keys()).toContain(key);
    const stillServed = await fetch(`${baseB}${downloadPath(second)}`, { headers: { authorization } });
    expect(Buffer.from(await stillServed.arrayBuffer())).toEqual(content);

    expect((await apiA.delete(`/api/v1/firmware/build/${second.build}/image/${second.id}/`)).statusCode).toBe(204);
    expect(await s3.keys()).not.toContain(key);
  });
});

describe('the key prefix', () => {
  it("belongs to one installation: another installation's database on it refuses to start", async () => {
    expect((await s3.text('fleetflash-installation')).trim()).toBe(await readInstallationId(nodeA.db));
    await expect(createTestApp(s3.env())).rejects.toThrow(
      /key prefix "" \(bucket "fleetflash" at http:\/\/127\.0\.0\.1:\d+\) belongs to another fleetflash installation/,
    );
    // Under a prefix of its own it starts.
    const other = await createTestApp(s3.env({ FLEETFLASH_S3_KEY_PREFIX: 'other-installation/' }));
    await other.close();
    expect(await s3.keys()).toContain('other-installation/fleetflash-installation');
  });
});

describe('a store that cannot be reached', () => {
  it('answers uploads and downloads with 503 StorageUnavailable and records nothing', async () => {
    const build = await makeBuild(nodeA.db);
    const kept = (await upload(build.id, makeBareImage(100_000))).json();
    const other = await makeBuild(nodeA.db);
    const keysBefore = await s3.keys();
    await s3.stop();
    try {
      const refused = await upload(other.id, makeBareImage(100_000));
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['content-type']).toMatch(/^application\/json/);
      expect(refused.headers['retry-after']).toBe('5');
      expect(refused.json()).toMatchObject({ code: 'StorageUnavailable' });
      expect(refused.json().detail).toMatch(
        /^The file store is unavailable \(storing an upload failed: ECONNREFUSED\)/,
      );
      expect((await apiA.get(`/api/v1/firmware/build/${other.id}/image/`)).json().count).toBe(0);

      const download = await fetch(`${baseB}${downloadPath(kept)}`, { headers: { authorization } });
      expect(download.status).toBe(503);
      expect(download.headers.get('content-type')).toMatch(/^application\/json/);
      // The file's own headers do not describe the error's body.
      for (const name of ['content-disposition', 'etag', 'accept-ranges', 'content-range'])
        expect(download.headers.get(name), name).toBeNull();
      expect(await download.json()).toMatchObject({ code: 'StorageUnavailable' });
    } finally {
      await s3.start();
    }
    // Nothing was left in the store either, and the store serves again.
    expect(await s3.keys()).toEqual(keysBefore);
    expect((await upload(other.id, makeBareImage(100_000))).statusCode).toBe(201);
  });

  it('deletes an image while the store is down; the hourly sweep removes its file once the store is back', async () => {
    const content = makeBareImage(100_000);
    const image = (await upload((await makeBuild(nodeA.db)).id, content)).json();
    const kept = (await upload((await makeBuild(nodeA.db)).id, makeBareImage(100_000))).json();
    await s3.stop();
    try {
      const deleted = await apiA.delete(`/api/v1/firmware/build/${image.build}/image/${image.id}/`);
      expect(deleted.statusCode).toBe(204);
    } finally {
      await s3.start();
    }
    expect((await apiA.get(`/api/v1/firmware/build/${image.build}/image/${image.id}/`)).statusCode).toBe(404);
    // The file outlived its row: nothing refers to it, so the sweep removes it; a referenced file stays.
    expect(await s3.keys()).toContain(storedKey(image.sha256));
    const later = Date.now() + 2 * 3_600_000;
    expect(await sweepUnreferencedBlobs(nodeA.db, nodeA.storage, BLOB_REFERENCES, { now: later })).toBe(1);
    expect(await s3.keys()).not.toContain(storedKey(image.sha256));
    expect(await s3.keys()).toContain(storedKey(kept.sha256));
  });

  it('sweeps an unreferenced file only once it is older than an hour', async () => {
    // Stored, never recorded (as a crash between the two leaves it): nothing refers to it.
    const orphan = await nodeA.storage.receive(Readable.from([randomBytes(50_000)]), null);
    await nodeA.storage.commit(orphan);
    // Younger than an hour: left alone, an upload may be recording it right now.
    await sweepUnreferencedBlobs(nodeA.db, nodeA.storage, BLOB_REFERENCES);
    expect(await s3.keys()).toContain(storedKey(orphan.sha256));
    const later = Date.now() + 2 * 3_600_000;
    expect(await sweepUnreferencedBlobs(nodeA.db, nodeA.storage, BLOB_REFERENCES, { now: later })).toBe(1);
    expect(await s3.keys()).not.toContain(storedKey(orphan.sha256));
  });

  it('answers a large upload with 503 JSON when the store fails during it, without hanging', async () => {
    const build = await makeBuild(nodeA.db);
    await s3.stop();
    try {
      // Many 8 MiB parts, over real HTTP: the client is still sending when the store fails.
      const form = new FormData();
      form.append('file', new Blob([makeBareImage(64 * MiB)]), C7_FILE);
      const response = await fetch(`${baseB}/api/v1/firmware/build/${build.id}/image/`, {
        method: 'POST',
        headers: { authorization },
        body: form,
        signal: AbortSignal.timeout(30_000),
      });
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toMatchObject({ code: 'StorageUnavailable' });
    } finally {
      await s3.start();
    }
    expect((await apiA.get(`/api/v1/firmware/build/${build.id}/image/`)).json().count).toBe(0);
  });

  it('rolls the image row back when the file cannot be kept at the end of the transaction', async () => {
    const build = await makeBuild(nodeA.db);
    const user = await makeUser(nodeA.db, { isSuperuser: true });
    const storage = nodeA.storage;
    const file = await storage.receive(Readable.from([makeBareImage(100_000)]), null);
    // The store goes away exactly when the received file is to be kept: after the row was written.
    const failingAtCommit: Storage = Object.assign(Object.create(storage) as Storage, {
      commit: async (received: typeof file) => {
        await s3.stop();
        return storage.commit(received);
      },
    });
    try {
      await expect(
        uploadImage(nodeA.db, failingAtCommit, buildHardwareTable([]), actorFor(user), build.id, {
          file,
          fileName: C7_FILE,
        }),
      ).rejects.toMatchObject({ code: 'StorageUnavailable' });
    } finally {
      await s3.start();
    }
    expect(await nodeA.db.selectFrom('firmwareImages').select('id').where('buildId', '=', build.id).execute()).toEqual(
      [],
    );
    expect(await s3.keys()).not.toContain(storedKey(file.sha256));
  });
});
