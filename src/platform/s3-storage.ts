import { createHash, randomUUID } from 'node:crypto';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type ListObjectsV2CommandOutput,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { S3StorageConfig } from './config.js';
import { attachmentDisposition } from './content-disposition.js';
import { AppError } from './errors.js';
import {
  ABANDONED_UPLOAD_AGE_MS,
  type ByteRange,
  FileTooLargeError,
  HOUSEKEEPING_INTERVAL_MS,
  type ManagedStorage,
  type ReceivedFile,
  StorageUnavailableError,
  type StoredFile,
} from './storage.js';

/**
 * Content-addressed storage in an S3-compatible object store (AWS S3, MinIO, Ceph RGW, Garage…), so
 * that every machine of an installation serves and installs the same files without a shared disk.
 *
 * Keys: `<prefix>sha256/<first two hex digits>/<sha256>` for stored files, `<prefix>incoming/<uuid>.part`
 * for uploads being received. `receive` streams the source into a temporary object with a multipart
 * upload (a few parts in memory at a time, never the whole file), hashing and counting as it goes
 * and stopping at the size limit; `commit` copies it to its content key inside the object store
 * (unless that key exists: same hash, same bytes) and deletes the temporary object; `discard`
 * deletes it. Reads are GetObject with a Range. Any failure to reach the store, or a refusal by it,
 * is a `StorageUnavailableError` (503).
 */

/** Part size of multipart uploads (S3 minimum 5 MiB): an upload holds about (QUEUE_SIZE + 1) parts in memory. */
const PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 2;
/** The largest object one CopyObject may copy (S3's limit): `commit` copies, so no larger file is received. */
const MAX_COPY_SIZE = 5 * 1024 ** 3;
const OBJECT_LIMIT = "the object store's limit for one file";
/** The object naming the installation that owns the key prefix (`init`). */
const OWNER_MARKER = 'fleetflash-installation';
const SHA256_PATTERN = /^[0-9a-f]{64}$/;
const INCOMING_NAME = /^[0-9a-f-]{36}\.part$/;

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

function isMissing(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  // A missing bucket is a broken store, not a missing file (HEAD cannot tell them apart: init checks the bucket).
  return name !== 'NoSuchBucket' && (name === 'NotFound' || name === 'NoSuchKey' || statusOf(error) === 404);
}

/** The error a local read of a missing file gives, so callers treat both backends alike. */
function missingFile(key: string, cause: unknown): Error {
  return Object.assign(new Error(`stored file not found: ${key}`, { cause }), { code: 'ENOENT' });
}

/** Another installation owns the key prefix: a configuration error at start. */
export class StorageOwnedElsewhereError extends Error {}

export class S3Storage implements ManagedStorage {
  readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private housekeeping: NodeJS.Timeout | null = null;

  /** The largest file this backend accepts (`receive` refuses larger ones: FileTooLarge). Tests lower it. */
  maxFileSize = MAX_COPY_SIZE;

  /** `log` is told of failures that are not the caller's (housekeeping will repair them). */
  constructor(
    private readonly settings: S3StorageConfig,
    private readonly log: (error: unknown, message: string) => void = () => {},
  ) {
    this.bucket = settings.bucket;
    this.prefix = settings.keyPrefix;
    this.client = new S3Client({
      region: settings.region,
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      forcePathStyle: settings.forcePathStyle,
      // A copy: the SDK marks the object it is given, and the settings are frozen.
      ...(settings.credentials ? { credentials: { ...settings.credentials } } : {}),
      // Checksums only where S3 requires them: several S3-compatible stores refuse the newer defaults.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
      // A store that does not answer must not hold a request for minutes: connecting is bounded, and
      // so is a socket that stays silent.
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
    });
  }

  private keyOf(file: StoredFile): string {
    if (typeof file !== 'string') return file.tempPath;
    // Only a validated hash becomes a key: no other object of the bucket can be named through it.
    if (!SHA256_PATTERN.test(file)) throw new Error(`not a sha256: ${file}`);
    return `${this.prefix}sha256/${file.slice(0, 2)}/${file}`;
  }

  private get incomingPrefix(): string {
    return `${this.prefix}incoming/`;
  }

  private get storeName(): string {
    return `bucket "${this.bucket}"${this.settings.endpoint ? ` at ${this.settings.endpoint}` : ''}`;
  }

  /**
   * Checks that the bucket can be reached with the credentials, so a wrong setting shows at start. Given
   * the installation's id (from its database), claims the key prefix for it: the sweep deletes every stored
   * object under the prefix that this database does not reference, so two installations sharing one prefix
   * would delete each other's files. The first start writes `<prefix>fleetflash-installation` with the id;
   * a start that finds another id there refuses to go on.
   */
  async init(options: { installationId?: string } = {}): Promise<void> {
    try {
      await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.incomingPrefix, MaxKeys: 1 }),
      );
      if (options.installationId === undefined) return;
      const key = `${this.prefix}${OWNER_MARKER}`;
      let owner = await this.readOwner(key);
      if (owner === null) {
        await this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: key,
            Body: `${options.installationId}\n`,
            ContentType: 'text/plain',
          }),
        );
        // Read back: of two installations starting at the same moment, one sees the other's id here.
        owner = await this.readOwner(key);
      }
      if (owner !== options.installationId) {
        throw new StorageOwnedElsewhereError(
          `The object store's key prefix "${this.prefix}" (${this.storeName}) belongs to another fleetflash ` +
            `installation (${owner}; this one is ${options.installationId}). Each installation needs a bucket or ` +
            'storage.s3.key_prefix of its own: the hourly sweep deletes the files under its prefix that its own ' +
            `database does not know. If that installation is gone for good, delete the object "${key}".`,
        );
      }
    } catch (error) {
      if (error instanceof StorageOwnedElsewhereError) throw error;
      throw new Error(
        `The object store (${this.storeName}) cannot be used: ${(error as Error).name}: ${(error as Error).message}. ` +
          'Check the storage.s3.* settings.',
        { cause: error },
      );
    }
  }

  /** The installation id in the owner marker, or null when there is none. */
  private async readOwner(key: string): Promise<string | null> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return ((await object.Body?.transformToString()) ?? '').trim();
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async receive(source: Readable, maxBytes: number | null): Promise<ReceivedFile> {
    const key = `${this.incomingPrefix}${randomUUID()}.part`;
    const hash = createHash('sha256');
    let size = 0;
    // A file larger than one CopyObject can copy could never be committed: refused while it arrives.
    const limit = Math.min(maxBytes ?? Number.POSITIVE_INFINITY, this.maxFileSize);
    // Why the stream stopped, when it was the source's fault (size limit, a client gone), not the store's.
    let sourceFailure: unknown = null;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (size > limit) {
          sourceFailure =
            limit === maxBytes ? new FileTooLargeError(limit) : new FileTooLargeError(limit, OBJECT_LIMIT);
          callback(sourceFailure as Error);
          return;
        }
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    // A source that signals truncation (busboy's 'limit') must fail the upload, not store a stump.
    source.once('limit', () => {
      sourceFailure ??= new FileTooLargeError(maxBytes ?? 0);
      meter.destroy(sourceFailure as Error);
    });
    // Registered before the upload reads: an error of the meter (the source's, or the limit) is known here
    // before the upload's own rejection arrives, so a store failure is told from a source failure.
    meter.on('error', (error) => {
      sourceFailure ??= error;
    });
    // pipe, not pipeline: a failure must not destroy the source, whose remaining bytes are drained below so
    // that the HTTP request ends and its client reads the error answer (a destroyed multipart part stalls the
    // parser, and the client would wait for its upload to be read forever).
    source.once('error', (error) => {
      sourceFailure ??= error;
      meter.destroy(error);
    });
    source.pipe(meter);
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: meter, ContentType: 'application/octet-stream' },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
      if (sourceFailure) throw sourceFailure;
    } catch (error) {
      const failure =
        sourceFailure ?? (error instanceof AppError ? error : new StorageUnavailableError('storing an upload', error));
      source.unpipe(meter);
      meter.destroy();
      // Drain what the client still sends so the connection can answer; the bytes go nowhere.
      if (!source.destroyed) source.resume();
      await this.deleteKey(key).catch(() => {});
      throw failure;
    }
    return { sha256: hash.digest('hex'), size, tempPath: key };
  }

  async commit(file: ReceivedFile): Promise<void> {
    const target = this.keyOf(file.sha256);
    if (!(await this.exists(file.sha256))) {
      try {
        await this.client.send(
          new CopyObjectCommand({
            Bucket: this.bucket,
            Key: target,
            CopySource: `${this.bucket}/${encodeURIComponent(file.tempPath).replace(/%2F/g, '/')}`,
            ContentType: 'application/octet-stream',
            MetadataDirective: 'REPLACE',
          }),
        );
      } catch (error) {
        throw new StorageUnavailableError('storing a file', error);
      }
    }
    // The content is stored: a temporary object that cannot be deleted now must not fail the upload (the
    // caller would roll back its row). Housekeeping removes incoming/ objects left behind.
    await this.discard(file).catch((error: unknown) => {
      this.log(error, 'could not delete the temporary object of a stored upload; housekeeping will');
    });
  }

  async discard(file: ReceivedFile): Promise<void> {
    await this.deleteKey(file.tempPath);
  }

  open(file: StoredFile, range?: ByteRange): Readable {
    const key = this.keyOf(file);
    const output = new PassThrough();
    const abort = new AbortController();
    // The reader stopped early (a client that went away): stop fetching.
    output.once('close', () => abort.abort());
    this.client
      .send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
        }),
        { abortSignal: abort.signal },
      )
      .then(
        (response) =>
          pipeline(response.Body as Readable, output).catch((error: unknown) => {
            if (!output.destroyed) output.destroy(new StorageUnavailableError('reading a file', error));
          }),
        (error: unknown) => {
          if (output.destroyed) return;
          output.destroy(
            isMissing(error) ? missingFile(key, error) : new StorageUnavailableError('reading a file', error),
          );
        },
      );
    return output;
  }

  async size(file: StoredFile): Promise<number> {
    const key = this.keyOf(file);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return head.ContentLength ?? 0;
    } catch (error) {
      if (isMissing(error)) throw missingFile(key, error);
      throw new StorageUnavailableError('reading a file size', error);
    }
  }

  async exists(sha256: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.keyOf(sha256) }));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw new StorageUnavailableError('looking up a file', error);
    }
  }

  async remove(sha256: string): Promise<void> {
    await this.deleteKey(this.keyOf(sha256));
  }

  async *listStored(): AsyncIterable<{ sha256: string; storedAt: Date }> {
    const prefix = `${this.prefix}sha256/`;
    let token: string | undefined;
    do {
      let page: ListObjectsV2CommandOutput;
      try {
        page = await this.client.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
        );
      } catch (error) {
        throw new StorageUnavailableError('listing files', error);
      }
      for (const object of page.Contents ?? []) {
        const sha256 = object.Key?.slice(object.Key.lastIndexOf('/') + 1) ?? '';
        if (SHA256_PATTERN.test(sha256) && object.Key === this.keyOf(sha256))
          yield { sha256, storedAt: object.LastModified ?? new Date(0) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async downloadUrl(sha256: string, fileName: string): Promise<string | null> {
    if (!this.settings.presignedDownloads) return null;
    // Signed here, without a request: the store sees it only when the client follows the redirect.
    return getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: this.keyOf(sha256),
        ResponseContentDisposition: attachmentDisposition(fileName),
        ResponseContentType: 'application/octet-stream',
      }),
      { expiresIn: this.settings.presignedUrlExpiry },
    );
  }

  private async deleteKey(key: string): Promise<void> {
    try {
      // Deleting a key that does not exist succeeds: discard after commit does nothing.
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      throw new StorageUnavailableError('deleting a file', error);
    }
  }

  /**
   * Deletes temporary objects of uploads nobody finished: older than `olderThanMs` (a live upload
   * writes its object only when it completes, so any age past the longest upload is safe). Uploads
   * cut off by a crash may also leave incomplete multipart uploads, which S3 does not list as
   * objects: a bucket lifecycle rule (AbortIncompleteMultipartUpload) removes those (docs/operations.md).
   */
  async removeStaleIncoming(options: { olderThanMs?: number; now?: number } = {}): Promise<number> {
    const { olderThanMs = ABANDONED_UPLOAD_AGE_MS, now = Date.now() } = options;
    let removed = 0;
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.incomingPrefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        const name = object.Key?.slice(this.incomingPrefix.length) ?? '';
        if (!object.Key || !INCOMING_NAME.test(name)) continue;
        if (object.LastModified && now - object.LastModified.getTime() > olderThanMs) {
          await this.deleteKey(object.Key);
          removed += 1;
        }
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return removed;
  }

  async startHousekeeping(log: (removed: number) => void, intervalMs = HOUSEKEEPING_INTERVAL_MS): Promise<void> {
    const pass = () =>
      this.removeStaleIncoming().then(
        (removed) => {
          if (removed > 0) log(removed);
        },
        // The store may be down for a while: the next pass tries again.
        () => {},
      );
    await pass();
    this.housekeeping = setInterval(pass, intervalMs);
    this.housekeeping.unref();
  }

  stopHousekeeping(): void {
    if (this.housekeeping) clearInterval(this.housekeeping);
    this.housekeeping = null;
  }

  /** Stops housekeeping and closes the client's connections. */
  close(): void {
    this.stopHousekeeping();
    this.client.destroy();
  }
}
