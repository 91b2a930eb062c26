import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { once } from 'node:events';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { startTestS3, type TestS3 } from '../../test/helpers/s3.js';
import { parseConfig } from './config.js';
import { S3Storage } from './s3-storage.js';
import { FileTooLargeError, LocalStorage, type ManagedStorage, readStoredBytes, type Storage } from './storage.js';
import { createStorage } from './storage-backend.js';

/**
 * The contract every storage backend keeps, run against each of them: the local folder and an
 * S3-compatible object store (s3rver on 127.0.0.1, standing in for MinIO, Ceph RGW or AWS S3).
 */

const MiB = 1024 * 1024;
const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A source that yields `content` in 64 KiB chunks, as a request body arrives. */
function chunked(content: Buffer): Readable {
  const pieces: Buffer[] = [];
  for (let offset = 0; offset < content.length; offset += 64 * 1024)
    pieces.push(content.subarray(offset, offset + 64 * 1024));
  return Readable.from(pieces);
}

interface Backend {
  name: string;
  create(): Promise<ManagedStorage>;
  /** Everything the backend holds: stored files and partial uploads. */
  leftovers(): Promise<string[]>;
  cleanUp(): Promise<void>;
}

let s3: TestS3;
let localRoot: string;
let prefixes = 0;
let currentPrefix = '';

beforeAll(async () => {
  s3 = await startTestS3('contract');
  localRoot = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-contract-'));
});
afterAll(async () => {
  await s3.close();
  rmSync(localRoot, { recursive: true, force: true });
});

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  );
}

const backends: Backend[] = [
  {
    name: 'local folder',
    async create() {
      prefixes += 1;
      currentPrefix = path.join(localRoot, String(prefixes));
      const storage = new LocalStorage(currentPrefix);
      await storage.init();
      return storage;
    },
    leftovers: async () => filesUnder(currentPrefix),
    cleanUp: async () => rmSync(currentPrefix, { recursive: true, force: true }),
  },
  {
    name: 'S3 object store',
    async create() {
      // Each test under a key prefix of its own: the prefix setting keeps them apart in one bucket.
      prefixes += 1;
      currentPrefix = `test-${prefixes}/`;
      const config = parseConfig(s3.env({ FLEETFLASH_S3_KEY_PREFIX: currentPrefix, FLEETFLASH_DATA_DIR: localRoot }));
      const storage = await createStorage(config);
      expect(storage).toBeInstanceOf(S3Storage);
      await storage.init();
      return storage;
    },
    leftovers: async () => (await s3.keys()).filter((key) => key.startsWith(currentPrefix)),
    cleanUp: async () => {},
  },
];

describe.each(backends)('storage contract: $name', (backend) => {
  let storage: ManagedStorage;
  beforeEach(async () => {
    storage = await backend.create();
    return async () => {
      storage.close();
      await backend.cleanUp();
    };
  });

  it('hashes and counts while receiving, shows nothing under the hash before commit, then serves it', async () => {
    const content = randomBytes(300_000);
    const file = await storage.receive(chunked(content), null);
    expect(file).toMatchObject({ sha256: sha256(content), size: content.length });
    expect(await storage.exists(file.sha256)).toBe(false);
    // A received file can be read before it is kept (image checks read its head and trailer).
    expect(await readStoredBytes(storage, file, 0, 16)).toEqual(content.subarray(0, 16));
    expect(await storage.size(file)).toBe(content.length);

    await storage.commit(file);
    await storage.discard(file);
    expect(await storage.exists(file.sha256)).toBe(true);
    expect(await storage.size(file.sha256)).toBe(content.length);
    expect(await readAll(storage.open(file.sha256))).toEqual(content);
    expect(await readAll(storage.open(file.sha256, { start: 1000, end: 1999 }))).toEqual(content.subarray(1000, 2000));
    expect(await readStoredBytes(storage, file.sha256, content.length - 10, 50)).toEqual(content.subarray(-10));
    // Only the stored file remains: no partial upload.
    const left = await backend.leftovers();
    expect(left).toHaveLength(1);
    expect(left[0]?.endsWith(file.sha256)).toBe(true);
  });

  it('streams a file of several upload parts whole, and ranges across a part boundary', async () => {
    const content = randomBytes(20 * MiB);
    const file = await storage.receive(chunked(content), 20 * MiB);
    expect(file.sha256).toBe(sha256(content));
    await storage.commit(file);
    expect(sha256(await readAll(storage.open(file.sha256)))).toBe(file.sha256);
    const boundary = 8 * MiB;
    const range = { start: boundary - 100, end: boundary + 99 };
    expect(await readAll(storage.open(file.sha256, range))).toEqual(content.subarray(range.start, range.end + 1));
  });

  it('keeps an empty file', async () => {
    const file = await storage.receive(Readable.from([]), null);
    expect(file).toMatchObject({ sha256: sha256(Buffer.alloc(0)), size: 0 });
    await storage.commit(file);
    expect(await storage.size(file.sha256)).toBe(0);
  });

  it('keeps one copy of the same content received twice, and removes it', async () => {
    const content = randomBytes(50_000);
    const first = await storage.receive(chunked(content), null);
    const second = await storage.receive(chunked(content), null);
    await storage.commit(first);
    await storage.commit(second);
    await storage.discard(first);
    await storage.discard(second);
    expect(await backend.leftovers()).toHaveLength(1);
    expect(await readAll(storage.open(first.sha256))).toEqual(content);
    await storage.remove(first.sha256);
    expect(await storage.exists(first.sha256)).toBe(false);
    expect(await backend.leftovers()).toEqual([]);
    // Removing what is gone already is no error.
    await storage.remove(first.sha256);
  });

  it('leaves nothing behind when a received file is discarded (twice)', async () => {
    const file = await storage.receive(chunked(randomBytes(10_000)), null);
    await storage.discard(file);
    await storage.discard(file);
    expect(await storage.exists(file.sha256)).toBe(false);
    expect(await backend.leftovers()).toEqual([]);
  });

  it('refuses a file over the limit while it streams and keeps nothing', async () => {
    const source = chunked(randomBytes(3 * MiB));
    await expect(storage.receive(source, 2 * MiB)).rejects.toBeInstanceOf(FileTooLargeError);
    await expect(storage.receive(chunked(randomBytes(3 * MiB)), 2 * MiB)).rejects.toThrow(
      /larger than the 2 MiB limit/,
    );
    expect(await backend.leftovers()).toEqual([]);
  });

  it("refuses a source that reports truncation (busboy's 'limit') and keeps nothing", async () => {
    const source = new PassThrough();
    const receiving = storage.receive(source, 1000);
    source.write(Buffer.alloc(500));
    // As busboy does: once the bytes before the limit have been read.
    await new Promise((resolve) => setTimeout(resolve, 20));
    source.emit('limit');
    source.end();
    await expect(receiving).rejects.toBeInstanceOf(FileTooLargeError);
    expect(await backend.leftovers()).toEqual([]);
  });

  it("fails with the source's error when the source breaks, and keeps nothing", async () => {
    const source = new PassThrough();
    const receiving = storage.receive(source, null);
    source.write(randomBytes(100_000));
    setTimeout(() => source.destroy(new Error('client went away')), 20);
    await expect(receiving).rejects.toThrow('client went away');
    expect(await backend.leftovers()).toEqual([]);
  });

  it('reports a missing file as ENOENT, on open and size', async () => {
    const missing = sha256(Buffer.from('never stored'));
    await expect(readAll(storage.open(missing))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(storage.size(missing)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(() => storage.open('../../etc/passwd')).toThrow(/not a sha256/);
  });

  it('lists the stored files, not the uploads being received', async () => {
    const stored = await storage.receive(chunked(randomBytes(1000)), null);
    await storage.commit(stored);
    const pending = await storage.receive(chunked(randomBytes(1000)), null);
    const listed: { sha256: string; storedAt: Date }[] = [];
    for await (const file of storage.listStored()) listed.push(file);
    expect(listed.map((file) => file.sha256)).toEqual([stored.sha256]);
    expect(Math.abs(Date.now() - listed[0]!.storedAt.getTime())).toBeLessThan(60_000);
    await storage.discard(pending);
  });

  it('streams downloads through fleetflash unless presigned downloads are on', async () => {
    const file = await storage.receive(chunked(randomBytes(100)), null);
    await storage.commit(file);
    expect(await storage.downloadUrl(file.sha256, 'image.bin')).toBeNull();
  });
});

describe('S3 object store', () => {
  async function s3Storage(extra: Record<string, string> = {}): Promise<S3Storage> {
    const config = parseConfig(s3.env({ FLEETFLASH_DATA_DIR: localRoot, ...extra }));
    const storage = (await createStorage(config)) as S3Storage;
    // Closed whatever the test's outcome: a failed assertion must not leave the client's sockets open.
    onTestFinished(() => storage.close());
    return storage;
  }

  it('claims its key prefix for one installation and refuses a prefix another one claimed', async () => {
    const storage = await s3Storage({ FLEETFLASH_S3_KEY_PREFIX: 'owned/' });
    await storage.init({ installationId: 'installation-a' });
    expect(await s3.text('owned/fleetflash-installation')).toBe('installation-a\n');
    // The same installation starts again (another process, a restart): fine.
    await storage.init({ installationId: 'installation-a' });
    await expect(storage.init({ installationId: 'installation-b' })).rejects.toThrow(
      /key prefix "owned\/".*belongs to another fleetflash installation \(installation-a; this one is installation-b\)/,
    );
    // Another prefix of the same bucket is another installation's to claim.
    const other = await s3Storage({ FLEETFLASH_S3_KEY_PREFIX: 'owned-too/' });
    await other.init({ installationId: 'installation-b' });
    expect(await s3.text('owned-too/fleetflash-installation')).toBe('installation-b\n');
  });

  it('keeps a committed upload when only deleting its temporary object fails', async () => {
    const storage = await s3Storage({ FLEETFLASH_S3_KEY_PREFIX: 'no-delete/' });
    const file = await storage.receive(chunked(randomBytes(1000)), null);
    const send = storage.client.send.bind(storage.client);
    // A store that refuses DeleteObject (a policy without s3:DeleteObject, a passing fault) and nothing else.
    storage.client.send = ((command: unknown, ...rest: unknown[]) =>
      command instanceof DeleteObjectCommand
        ? Promise.reject(
            Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }),
          )
        : (send as (...args: unknown[]) => unknown)(command, ...rest)) as typeof storage.client.send;
    await storage.commit(file);
    expect(await storage.exists(file.sha256)).toBe(true);
    // The temporary object stays for housekeeping.
    expect(await s3.keys()).toContain(file.tempPath);
  });

  it('refuses files larger than one CopyObject can copy as FileTooLarge while receiving them', async () => {
    const storage = await s3Storage({ FLEETFLASH_S3_KEY_PREFIX: 'too-large/' });
    expect(storage.maxFileSize).toBe(5 * 1024 ** 3);
    // Lowered so the test need not send 5 GiB: the same check.
    storage.maxFileSize = MiB;
    const receiving = storage.receive(chunked(randomBytes(2 * MiB)), null);
    await expect(receiving).rejects.toBeInstanceOf(FileTooLargeError);
    await expect(receiving).rejects.toThrow(/larger than the 1 MiB limit \(the object store's limit for one file\)/);
    // A smaller max_file_size is still the one named.
    await expect(storage.receive(chunked(randomBytes(2 * MiB)), 1000)).rejects.toThrow(/setting max_file_size/);
    expect((await s3.keys()).filter((key) => key.startsWith('too-large/'))).toEqual([]);
  });

  it('keeps files under the key prefix, by their sha256', async () => {
    const storage = await s3Storage({ FLEETFLASH_S3_KEY_PREFIX: 'fleet/one' });
    const content = randomBytes(1000);
    const file = await storage.receive(chunked(content), null);
    expect(file.tempPath).toMatch(/^fleet\/one\/incoming\/[0-9a-f-]{36}\.part$/);
    await storage.commit(file);
    const hash = sha256(content);
    expect((await s3.keys()).filter((key) => key.startsWith('fleet/'))).toEqual([
      `fleet/one/sha256/${hash.slice(0, 2)}/${hash}`,
    ]);
  });

  it('hands out a presigned URL that serves the file, its ranges and its name', async () => {
    const storage = await s3Storage({
      FLEETFLASH_S3_KEY_PREFIX: 'presigned',
      FLEETFLASH_S3_PRESIGNED_DOWNLOADS: 'true',
      FLEETFLASH_S3_PRESIGNED_URL_EXPIRY: '120',
    });
    const content = randomBytes(70_000);
    const file = await storage.receive(chunked(content), null);
    await storage.commit(file);
    const url = await storage.downloadUrl(file.sha256, 'openwrt "x".bin');
    expect(url).toMatch(new RegExp(`^${s3.endpoint}/${s3.bucket}/presigned/sha256/`));
    expect(url).toContain('X-Amz-Expires=120');
    const whole = await fetch(url!);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-disposition')).toContain('filename="openwrt _x_.bin"');
    expect(Buffer.from(await whole.arrayBuffer())).toEqual(content);
    const part = await fetch(url!, { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(content.subarray(100, 200));
  });

  it('refuses to start on a missing bucket, and reports it as unavailable, not as a missing file', async () => {
    const storage = await s3Storage({ FLEETFLASH_S3_BUCKET: 'no-such-bucket' });
    await expect(storage.init()).rejects.toThrow(/bucket "no-such-bucket".*NoSuchBucket.*storage\.s3/);
    const missing = sha256(Buffer.from('x'));
    await expect(readAll(storage.open(missing))).rejects.toMatchObject({ code: 'StorageUnavailable' });
    await expect(storage.receive(chunked(randomBytes(10)), null)).rejects.toMatchObject({ code: 'StorageUnavailable' });
  });

  it('removes abandoned partial uploads by age only', async () => {
    const storage = await s3Storage({ FLEETFLASH_S3_KEY_PREFIX: 'housekeeping' });
    const abandoned = await storage.receive(chunked(randomBytes(100)), null);
    expect(await storage.removeStaleIncoming()).toBe(0);
    expect(await s3.keys()).toContain(abandoned.tempPath);
    expect(await storage.removeStaleIncoming({ now: Date.now() + 2 * 3_600_000 })).toBe(1);
    expect((await s3.keys()).filter((key) => key.startsWith('housekeeping/'))).toEqual([]);
  });

  it('answers StorageUnavailable for every operation while the store is down, and works again after', async () => {
    const storage = await s3Storage({ FLEETFLASH_S3_KEY_PREFIX: 'outage' });
    const kept = await storage.receive(chunked(randomBytes(1000)), null);
    await storage.commit(kept);
    const pending = await storage.receive(chunked(randomBytes(1000)), null);
    await s3.stop();
    try {
      const unavailable = { code: 'StorageUnavailable', status: 503 };
      // Many parts, made as they are read: the store fails while the source still has most of its bytes to give.
      const piece = randomBytes(64 * 1024);
      const source = Readable.from(
        (function* () {
          for (let sent = 0; sent < 64 * MiB; sent += piece.length) yield piece;
        })(),
      );
      await expect(storage.receive(source, null)).rejects.toMatchObject(unavailable);
      // The source is drained to its end, so an HTTP request can still be answered.
      const deadline = new Promise((_, reject) => setTimeout(() => reject(new Error('source not drained')), 10_000));
      if (!source.readableEnded) await Promise.race([once(source, 'end'), deadline]);
      expect(source.readableEnded).toBe(true);
      await expect(storage.commit(pending)).rejects.toMatchObject(unavailable);
      await expect(storage.exists(kept.sha256)).rejects.toMatchObject(unavailable);
      await expect(storage.size(kept.sha256)).rejects.toMatchObject(unavailable);
      await expect(readAll(storage.open(kept.sha256))).rejects.toMatchObject(unavailable);
      await expect(storage.remove(kept.sha256)).rejects.toMatchObject(unavailable);
      await expect(storage.receive(chunked(randomBytes(10)), null)).rejects.toThrow(
        /^The file store is unavailable \(storing an upload failed: ECONNREFUSED\); retry in a moment\.$/,
      );
      await expect(storage.init()).rejects.toThrow(/bucket "contract".*storage\.s3/);
    } finally {
      await s3.start();
    }
    await storage.commit(pending);
    expect(await storage.exists(pending.sha256)).toBe(true);
    expect(await storage.size(kept.sha256)).toBe(1000);
  });
});

describe('storage settings', () => {
  it('choose the local folder by default and the object store with storage.backend=s3', async () => {
    const local = await createStorage(parseConfig({ FLEETFLASH_DATA_DIR: localRoot }));
    expect(local).toBeInstanceOf(LocalStorage);
    const storage: Storage = await createStorage(parseConfig(s3.env({ FLEETFLASH_DATA_DIR: localRoot })));
    expect(storage).toBeInstanceOf(S3Storage);
  });

  it('refuse an object store without a bucket, half a key pair, or credentials in the endpoint', () => {
    expect(() => parseConfig({ FLEETFLASH_STORAGE_BACKEND: 's3' })).toThrow(/storage.s3.bucket/);
    expect(() => parseConfig({ FLEETFLASH_STORAGE_BACKEND: 'nfs' })).toThrow(/must be one of local, s3/);
    expect(() =>
      parseConfig({ FLEETFLASH_STORAGE_BACKEND: 's3', FLEETFLASH_S3_BUCKET: 'b', FLEETFLASH_S3_ACCESS_KEY_ID: 'id' }),
    ).toThrow(/go together/);
    expect(() => parseConfig({ FLEETFLASH_S3_ENDPOINT: 'http://id:secret@127.0.0.1:9000' })).toThrow(
      /must not carry credentials/,
    );
    expect(() => parseConfig({ FLEETFLASH_S3_KEY_PREFIX: '../x' })).toThrow(
      /storage.s3.key_prefix|FLEETFLASH_S3_KEY_PREFIX/,
    );
  });

  it('never print the secret access key in a configuration error', () => {
    const config = JSON.stringify({ storage: { s3: { secret_access_key: 12345678901234 } } });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-config-'));
    const file = path.join(dir, 'config.json');
    writeFileSync(file, config);
    try {
      expect(() => parseConfig({ FLEETFLASH_CONFIG: file })).toThrow(/storage.s3.secret_access_key/);
      expect(() => parseConfig({ FLEETFLASH_CONFIG: file })).not.toThrow(/12345678901234/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
