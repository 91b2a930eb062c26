import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeBuild, makeCategory, makeToken, makeUser } from './helpers/factories.js';
import { makeBareImage, makeSysupgradeImage } from './helpers/firmware-file.js';
import { client, type ApiClient } from './helpers/http.js';

const C7_TYPE = 'ath79-generic-tplink_archer-c7-v2-squashfs-sysupgrade.bin';
const C7_FILE = `openwrt-23.05.3-${C7_TYPE}`;

let t: TestApp;
let api: ApiClient;
let authorization: string;
beforeAll(async () => {
  t = await createTestApp({
    FLEETFLASH_MAX_FILE_SIZE: String(256 * 1024),
    FLEETFLASH_CUSTOM_OPENWRT_IMAGES: JSON.stringify([
      { type: 'customimage-squashfs-sysupgrade.bin', label: 'Custom WAP-1200', boards: ['CWAP1200'] },
    ]),
  });
  authorization = await makeToken(t.db, await makeUser(t.db, { isSuperuser: true }));
  api = client(t.app, authorization);
});
afterAll(async () => {
  await t.close();
});

function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Every file under the storage folder (stored blobs and in-flight uploads). */
function storedFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name));
      else found.push(path.join(dir, entry.name));
    }
  };
  walk(t.storageDir);
  return found;
}

async function upload(buildId: string, fileName: string, content: Buffer, type?: string) {
  return api.upload(`/api/v1/firmware/build/${buildId}/image/`, [
    ...(type ? [{ name: 'type', value: type }] : []),
    { name: 'file', fileName, content },
  ]);
}

describe('image upload', () => {
  it(
    'stores the file by its sha256, derives the type from the name and returns size, hash, boards and a download ' +
      'URL',
    async () => {
      const build = await makeBuild(t.db);
      const content = makeBareImage(100_000);
      const response = await upload(build.id, C7_FILE, content);
      expect(response.statusCode).toBe(201);
      const image = response.json();
      expect(image).toMatchObject({
        build: build.id,
        type: C7_TYPE,
        label: 'TP-Link Archer C7 v2',
        file_name: C7_FILE,
        size: content.length,
        sha256: sha256(content),
        metadata: null,
      });
      expect(image.boards).toContain('tplink,archer-c7-v2');
      expect(image.file).toBe(`http://localhost:80/api/v1/firmware/build/${build.id}/image/${image.id}/download/`);
      expect(storedFiles().map((file) => path.basename(file))).toContain(sha256(content));
      expect((await api.get(`/api/v1/firmware/build/${build.id}/image/${image.id}/`)).json()).toEqual(image);
    },
  );

  it('accepts the type field after the file part, and a type given explicitly', async () => {
    const build = await makeBuild(t.db);
    const response = await api.upload(`/api/v1/firmware/build/${build.id}/image/`, [
      { name: 'file', fileName: 'firmware.bin', content: makeBareImage() },
      { name: 'type', value: 'customimage-squashfs-sysupgrade.bin' },
    ]);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      type: 'customimage-squashfs-sysupgrade.bin',
      label: 'Custom WAP-1200',
      boards: ['CWAP1200'],
    });
  });

  it('parses OpenWrt metadata, shows it, and accepts an image unknown to the table on the strength of it', async () => {
    const build = await makeBuild(t.db);
    const content = makeSysupgradeImage({
      supportedDevices: ['acme,router-x1'],
      target: 'ramips/mt7621',
      board: 'acme_router-x1',
      signed: true,
    });
    const response = await upload(
      build.id,
      'openwrt-23.05.3-ramips-mt7621-acme_router-x1-squashfs-sysupgrade.bin',
      content,
    );
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      type: 'ramips-mt7621-acme_router-x1-squashfs-sysupgrade.bin',
      label: 'acme_router-x1 (ramips/mt7621)',
      boards: ['acme,router-x1'],
      metadata: {
        supported_devices: ['acme,router-x1'],
        version: { version: '23.05.3', target: 'ramips/mt7621', board: 'acme_router-x1' },
        compat_version: '1.0',
      },
    });
  });

  it("adds the metadata's boards to a known type's boards", async () => {
    const build = await makeBuild(t.db);
    const content = makeSysupgradeImage({ supportedDevices: ['tplink,archer-c7-v2', 'archer-c7-v2'] });
    const response = await upload(build.id, C7_FILE, content);
    expect(response.statusCode).toBe(201);
    expect(response.json().boards).toEqual(
      expect.arrayContaining(['tplink,archer-c7-v2', 'TP-Link Archer C7 v2', 'archer-c7-v2']),
    );
  });

  it('refuses an image whose metadata contradicts its type, keeping nothing', async () => {
    const build = await makeBuild(t.db);
    const before = storedFiles().length;
    const wrongTarget = await upload(
      build.id,
      C7_FILE,
      makeSysupgradeImage({ target: 'ramips/mt7621', supportedDevices: ['tplink,archer-c7-v2'] }),
    );
    expect(wrongTarget.statusCode).toBe(400);
    expect(wrongTarget.json().code).toBe('ImageMetadataMismatch');
    const wrongBoard = await upload(build.id, C7_FILE, makeSysupgradeImage({ supportedDevices: ['glinet,gl-mt3000'] }));
    expect(wrongBoard.statusCode).toBe(400);
    expect(wrongBoard.json().detail).toContain('glinet,gl-mt3000');
    expect(storedFiles().length).toBe(before);
  });

  it('refuses an unknown type without metadata, saying how to fix it', async () => {
    const build = await makeBuild(t.db);
    const response = await upload(build.id, 'openwrt-23.05.3-mystery-board-sysupgrade.bin', randomBytes(500));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'UnknownImageType', fields: { type: expect.any(String) } });
    expect(response.json().detail).toContain('custom_openwrt_images');
  });

  it(
    'refuses a file without metadata that cannot be an image of its type (NotAnImage), keeping nothing, unless ' +
      'forced',
    async () => {
      const build = await makeBuild(t.db);
      const before = storedFiles().length;
      const text = Buffer.from('this is not a firmware!!\n');
      const refused = await upload(build.id, 'notes.txt', text, C7_TYPE);
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toMatchObject({ code: 'NotAnImage', fields: { file: expect.any(String) } });
      expect(refused.json().detail).toContain('no OpenWrt metadata');
      expect(refused.json().detail).toContain('uImage, TRX, FIT, squashfs, tar');
      expect(refused.json().detail).toContain('force=true');
      // The right format but far too small for a kernel and a root file system.
      const tiny = await upload(build.id, C7_FILE, makeBareImage(4096));
      expect(tiny.statusCode).toBe(400);
      expect(tiny.json()).toMatchObject({ code: 'NotAnImage' });
      expect(tiny.json().detail).toContain('only 4096 bytes');
      expect(storedFiles().length).toBe(before);
      expect((await api.get(`/api/v1/firmware/build/${build.id}/image/`)).json().count).toBe(0);

      const badForce = await api.upload(`/api/v1/firmware/build/${build.id}/image/`, [
        { name: 'force', value: 'yes' },
        { name: 'type', value: C7_TYPE },
        { name: 'file', fileName: 'notes.txt', content: text },
      ]);
      expect(badForce.statusCode).toBe(400);
      expect(badForce.json().fields).toHaveProperty('force');

      const forced = await api.upload(`/api/v1/firmware/build/${build.id}/image/`, [
        { name: 'type', value: C7_TYPE },
        { name: 'file', fileName: 'notes.txt', content: text },
        { name: 'force', value: 'true' },
      ]);
      expect(forced.statusCode).toBe(201);
      expect(forced.json()).toMatchObject({ type: C7_TYPE, size: text.length, metadata: null });
    },
  );

  it(
    "accepts images with metadata whatever their size, and images without metadata in their type's " + 'format',
    async () => {
      const build = await makeBuild(t.db);
      expect((await upload(build.id, C7_FILE, makeSysupgradeImage({ payloadSize: 100 }))).statusCode).toBe(201);
      const gzip = makeBareImage(70_000);
      gzip[0] = 0x1f;
      gzip[1] = 0x8b;
      expect(
        (await upload(build.id, 'openwrt-23.05.3-x86-64-generic-squashfs-combined-efi.img.gz', gzip)).statusCode,
      ).toBe(201);
    },
  );

  it('allows one image per hardware type per build (409), and leaves no stray file', async () => {
    const build = await makeBuild(t.db);
    expect((await upload(build.id, C7_FILE, makeBareImage())).statusCode).toBe(201);
    const before = storedFiles().length;
    const second = await upload(build.id, C7_FILE, makeBareImage());
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('DuplicateImageType');
    expect(storedFiles().length).toBe(before);
    // Another build may have the same type.
    expect((await upload((await makeBuild(t.db)).id, C7_FILE, makeBareImage())).statusCode).toBe(201);
  });

  it('refuses a file over max_file_size with 413 and keeps nothing on disk', async () => {
    const build = await makeBuild(t.db);
    const before = storedFiles().length;
    const response = await upload(build.id, C7_FILE, randomBytes(256 * 1024 + 1));
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'FileTooLarge', detail: expect.stringContaining('256 KiB') });
    expect(storedFiles().length).toBe(before);
    expect((await api.get(`/api/v1/firmware/build/${build.id}/image/`)).json().count).toBe(0);
    // Exactly at the limit is fine.
    expect((await upload(build.id, C7_FILE, makeBareImage(256 * 1024))).statusCode).toBe(201);
  });

  it('answers malformed uploads with a 4xx that says what to send', async () => {
    const build = await makeBuild(t.db);
    const url = `/api/v1/firmware/build/${build.id}/image/`;
    const noFile = await api.upload(url, [{ name: 'type', value: C7_TYPE }]);
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json()).toMatchObject({ code: 'InvalidMultipart', fields: { file: 'required' } });
    const wrongField = await api.upload(url, [{ name: 'image', fileName: C7_FILE, content: randomBytes(10) }]);
    expect(wrongField.statusCode).toBe(400);
    expect(wrongField.json().detail).toContain('"file"');
    const twoFiles = await api.upload(url, [
      { name: 'file', fileName: C7_FILE, content: randomBytes(10) },
      { name: 'file', fileName: C7_FILE, content: randomBytes(10) },
    ]);
    expect(twoFiles.statusCode).toBe(400);
    const badType = await api.upload(url, [
      { name: 'type', value: '../../etc/passwd' },
      { name: 'file', fileName: C7_FILE, content: randomBytes(10) },
    ]);
    expect(badType.statusCode).toBe(400);
    expect(badType.json().fields).toHaveProperty('type');
    const json = await api.post(url, { file: 'abc' });
    expect(json.statusCode).toBe(415);
    const truncated = await t.app.inject({
      method: 'POST',
      url,
      payload: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n\r\npartial',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz', authorization },
    });
    expect(truncated.statusCode).toBeGreaterThanOrEqual(400);
    expect(truncated.statusCode).toBeLessThan(500);
    expect(storedFiles().filter((file) => file.includes('incoming'))).toEqual([]);
  });

  it('answers 404 for an upload to a missing build, before reading the file', async () => {
    const response = await upload('00000000-0000-4000-8000-000000000000', C7_FILE, randomBytes(10));
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('BuildNotFound');
    expect(response.headers.connection).toBe('close');
  });
});

describe('image list, immutability and deletion', () => {
  it("lists a build's images, filters by type and orders", async () => {
    const build = await makeBuild(t.db);
    await upload(build.id, C7_FILE, makeBareImage());
    await upload(build.id, 'firmware.bin', makeBareImage(), 'customimage-squashfs-sysupgrade.bin');
    const list = await api.get(`/api/v1/firmware/build/${build.id}/image/`);
    expect(list.json().count).toBe(2);
    expect(list.json().results.map((i: { type: string }) => i.type)).toEqual([
      C7_TYPE,
      'customimage-squashfs-sysupgrade.bin',
    ]);
    expect((await api.get(`/api/v1/firmware/build/${build.id}/image/?ordering=-type`)).json().results[0].type).toBe(
      'customimage-squashfs-sysupgrade.bin',
    );
    expect((await api.get(`/api/v1/firmware/build/${build.id}/image/?type=${C7_TYPE}`)).json().count).toBe(1);
    const slug = (
      await t.db
        .selectFrom('organizations')
        .select('slug')
        .where('id', '=', (await api.get(`/api/v1/firmware/build/${build.id}/`)).json().organization)
        .executeTakeFirstOrThrow()
    ).slug;
    expect((await api.get(`/api/v1/firmware/build/${build.id}/image/?organization=${slug}`)).json().count).toBe(2);
    expect((await api.get(`/api/v1/firmware/build/${build.id}/image/?organization=another-org`)).json().count).toBe(0);
    expect((await api.get('/api/v1/firmware/build/00000000-0000-4000-8000-000000000000/image/')).statusCode).toBe(404);
  });

  it('answers 405 to PUT and PATCH: images are immutable', async () => {
    const build = await makeBuild(t.db);
    const image = (await upload(build.id, C7_FILE, makeBareImage())).json();
    for (const method of ['put', 'patch'] as const) {
      const response = await api[method](`/api/v1/firmware/build/${build.id}/image/${image.id}/`, { type: 'x' });
      expect(response.statusCode).toBe(405);
      expect(response.json().code).toBe('MethodNotAllowed');
      expect(response.headers.allow).toBe('GET, HEAD, DELETE');
    }
  });

  it('stores identical content once, and deletes the file only with its last image', async () => {
    const content = makeBareImage();
    const first = (await upload((await makeBuild(t.db)).id, C7_FILE, content)).json();
    const second = (await upload((await makeBuild(t.db)).id, C7_FILE, content)).json();
    const blob = () => storedFiles().filter((file) => path.basename(file) === sha256(content));
    expect(blob()).toHaveLength(1);
    expect((await api.delete(`/api/v1/firmware/build/${first.build}/image/${first.id}/`)).statusCode).toBe(204);
    expect(blob()).toHaveLength(1);
    expect(
      (await api.get(`/api/v1/firmware/build/${second.build}/image/${second.id}/download/`)).rawPayload.equals(content),
    ).toBe(true);
    expect((await api.delete(`/api/v1/firmware/build/${second.build}/image/${second.id}/`)).statusCode).toBe(204);
    expect(blob()).toHaveLength(0);
    expect((await api.delete(`/api/v1/firmware/build/${second.build}/image/${second.id}/`)).statusCode).toBe(404);
  });

  it('removes the files of a deleted build and of a deleted category', async () => {
    const category = await makeCategory(t.db);
    const build = await makeBuild(t.db, { categoryId: category.id });
    const other = await makeBuild(t.db, { categoryId: category.id });
    const a = makeBareImage();
    const b = makeBareImage();
    await upload(build.id, C7_FILE, a);
    await upload(other.id, C7_FILE, b);
    expect((await api.delete(`/api/v1/firmware/build/${build.id}/`)).statusCode).toBe(204);
    const names = () => storedFiles().map((file) => path.basename(file));
    expect(names()).not.toContain(sha256(a));
    expect(names()).toContain(sha256(b));
    expect((await api.delete(`/api/v1/firmware/category/${category.id}/`)).statusCode).toBe(204);
    expect(names()).not.toContain(sha256(b));
  });
});

describe('image download', () => {
  let content: Buffer;
  let url: string;
  beforeAll(async () => {
    content = makeBareImage(100_000);
    const image = (await upload((await makeBuild(t.db)).id, C7_FILE, content)).json();
    url = `/api/v1/firmware/build/${image.build}/image/${image.id}/download/`;
  });

  it('streams the whole file byte-identical with Content-Length, ETag and a file name', async () => {
    const response = await api.get(url);
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload.equals(content)).toBe(true);
    expect(response.headers['content-length']).toBe(String(content.length));
    expect(response.headers.etag).toBe(`"${sha256(content)}"`);
    expect(response.headers['accept-ranges']).toBe('bytes');
    expect(response.headers['content-type']).toBe('application/octet-stream');
    expect(response.headers['content-disposition']).toContain(`filename="${C7_FILE}"`);
  });

  it('serves byte ranges (206) so an interrupted download resumes', async () => {
    const headers = { authorization };
    const cases: [string, number, number][] = [
      ['bytes=0-99', 0, 99],
      ['bytes=99000-', 99000, 99999],
      ['bytes=-100', 99900, 99999],
      ['bytes=10-10', 10, 10],
    ];
    for (const [range, start, end] of cases) {
      const response = await t.app.inject({ method: 'GET', url, headers: { ...headers, range } });
      expect(response.statusCode, range).toBe(206);
      expect(response.headers['content-range']).toBe(`bytes ${start}-${end}/${content.length}`);
      expect(response.headers['content-length']).toBe(String(end - start + 1));
      expect(response.rawPayload.equals(content.subarray(start, end + 1))).toBe(true);
    }
    const unsatisfiable = await t.app.inject({ method: 'GET', url, headers: { ...headers, range: 'bytes=110000-' } });
    expect(unsatisfiable.statusCode).toBe(416);
    expect(unsatisfiable.headers['content-range']).toBe(`bytes */${content.length}`);
    expect(unsatisfiable.json().code).toBe('RangeNotSatisfiable');
    const stale = await t.app.inject({
      method: 'GET',
      url,
      headers: { ...headers, range: 'bytes=0-9', 'if-range': '"other"' },
    });
    expect(stale.statusCode).toBe(200);
    expect(stale.rawPayload.length).toBe(content.length);
    const malformed = await t.app.inject({ method: 'GET', url, headers: { ...headers, range: 'pages=1-2' } });
    expect(malformed.statusCode).toBe(200);
  });

  it('answers 304 to a matching If-None-Match and HEAD with headers only', async () => {
    const headers = { authorization };
    const notModified = await t.app.inject({
      method: 'GET',
      url,
      headers: { ...headers, 'if-none-match': `"${sha256(content)}"` },
    });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.rawPayload.length).toBe(0);
    const head = await t.app.inject({ method: 'HEAD', url, headers });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe(String(content.length));
    expect(head.rawPayload.length).toBe(0);
  });
});
