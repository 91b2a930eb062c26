import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, readFileSync, readlinkSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from './errors.js';

/**
 * Content-addressed file storage: a file is stored once under its SHA-256, whatever its name or
 * how many images point at it. Files stream in and out; nothing is held whole in memory, and no
 * caller sees where the bytes live (a local folder here; an object store can implement the same).
 *
 * Receiving is two-phase so the database and the storage agree: `receive` streams into a private
 * temporary place (hashing and counting as it goes, stopping at the size limit), then the caller
 * either `commit`s it under its hash (inside the transaction that records it: see
 * blob-references.ts, which also counts the rows that refer to a stored file) or `discard`s it.
 */
export interface ReceivedFile {
  sha256: string;
  size: number;
  /** Where the bytes wait until commit or discard: the backend's own, no caller reads it. */
  tempPath: string;
}

/** A stored file (by its hash), or a received one not committed yet. */
export type StoredFile = string | ReceivedFile;

/** A byte range, both ends included (as in HTTP Range). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Every method of a backend that stores elsewhere (an object store) fails with `StorageUnavailableError`
 * when the store cannot be reached or refuses: a 503 for HTTP callers. `open` reports it through the
 * stream, before any byte, so an HTTP answer has not started yet.
 */
export interface Storage {
  receive(source: Readable, maxBytes: number | null): Promise<ReceivedFile>;
  /** Keeps the received file under its hash (a file stored already under it stays: same hash, same bytes). */
  commit(file: ReceivedFile): Promise<void>;
  /** Drops the received file; does nothing after `commit` or a second `discard`. */
  discard(file: ReceivedFile): Promise<void>;
  /** Streams a file, optionally a byte range. */
  open(file: StoredFile, range?: ByteRange): Readable;
  /** The file's size in bytes. */
  size(file: StoredFile): Promise<number>;
  exists(sha256: string): Promise<boolean>;
  remove(sha256: string): Promise<void>;
  /** Every stored file (not the uploads being received), with when it was stored. */
  listStored(): AsyncIterable<{ sha256: string; storedAt: Date }>;
  /**
   * A short-lived URL where a client may fetch the stored file itself (a presigned object-store URL),
   * or null when downloads stream through fleetflash (the local backend; the setting off).
   */
  downloadUrl(sha256: string, fileName: string): Promise<string | null>;
}

/** A backend as a process holds it: prepared at start, with a periodic clean-up of abandoned uploads. */
export interface ManagedStorage extends Storage {
  /** Prepares the backend; an object store also claims its key prefix for `installationId` (s3-storage.ts). */
  init(options?: { installationId?: string }): Promise<void>;
  startHousekeeping(log: (removed: number) => void, intervalMs?: number): Promise<void>;
  stopHousekeeping(): void;
  /** Stops housekeeping and lets go of connections (the process is closing). */
  close(): void;
}

/** The file store (an object store) cannot be reached or refused the request: 503, retry later. */
export class StorageUnavailableError extends AppError {
  constructor(action: string, cause: unknown) {
    super(
      'StorageUnavailable',
      `The file store is unavailable (${action} failed: ${describeStoreError(cause)}); retry in a moment.`,
      undefined,
      { cause, headers: { 'retry-after': '5' } },
    );
  }
}

/** What went wrong, without anything from the request (no key, no credential): the error's name and code. */
function describeStoreError(error: unknown): string {
  const { name, code, $metadata } = (error ?? {}) as {
    name?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const status = $metadata?.httpStatusCode;
  return [code ?? name ?? 'error', status ? `HTTP ${status}` : null].filter(Boolean).join(', ');
}

/** `length` bytes of a file from `position` (fewer at its end): for readers of headers and trailers. */
export async function readStoredBytes(
  storage: Storage,
  file: StoredFile,
  position: number,
  length: number,
): Promise<Buffer> {
  if (length <= 0) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  const range = { start: position, end: position + length - 1 };
  for await (const chunk of storage.open(file, range)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export class FileTooLargeError extends AppError {
  /** `source`: where the limit comes from, when not the max_file_size setting. */
  constructor(limit: number, source = 'setting max_file_size') {
    super('FileTooLarge', `The file is larger than the ${formatBytes(limit)} limit (${source}); nothing was stored.`);
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(bytes % 1024 === 0 ? 0 : 1)} KiB`;
  return `${bytes} bytes`;
}

const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/**
 * Who wrote a partial upload: the host name, the kernel's boot id (new at every boot), the pid
 * namespace and the pid. Pids are only comparable within one pid namespace of one boot of one
 * machine; a folder may be shared by several machines, and by containers that share the host name
 * and boot id yet each have their own pid 1 (the namespace tells them apart).
 */
function currentWriter(): { host: string; boot: string; pidNamespace: string | null } {
  const host =
    os
      .hostname()
      .toLowerCase()
      .replace(/[^0-9a-z-]/g, '-')
      .slice(0, 63) || 'host';
  let boot = 'unknown';
  try {
    boot =
      readFileSync('/proc/sys/kernel/random/boot_id', 'utf8')
        .trim()
        .replace(/[^0-9a-f]/gi, '')
        .toLowerCase() || boot;
  } catch {
    // Not Linux: pids alone tell the writer, and the age rule covers reboots.
  }
  let pidNamespace: string | null = null;
  try {
    // 'pid:[4026531836]': the inode number names the namespace.
    pidNamespace = /^pid:\[(\d+)\]$/.exec(readlinkSync('/proc/self/ns/pid'))?.[1] ?? null;
  } catch {
    // No /proc: the namespace is unknown, and files naming one are judged by age only.
  }
  return { host, boot, pidNamespace };
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Partial uploads are named `<host>.<boot id>.ns<pid namespace>.<pid>.<uuid>.part`, so a later pass
 * can tell whose they are. Names without the `ns…` part (written before it existed, or where the
 * namespace is unknown) are still understood.
 */
const PARTIAL_NAME = /^([0-9a-z-]+)\.([0-9a-z]+)\.(?:ns(\d+)\.)?(\d+)\.[0-9a-f-]{36}\.part$/;

/** A partial upload nobody wrote to for this long is dead, whoever started it. */
export const ABANDONED_UPLOAD_AGE_MS = 3_600_000;
/** How often a running process looks for dead partial uploads. */
export const HOUSEKEEPING_INTERVAL_MS = 600_000;

export class LocalStorage implements ManagedStorage {
  private readonly blobDir: string;
  private readonly tempDir: string;
  private readonly writer = currentWriter();
  private housekeeping: NodeJS.Timeout | null = null;

  constructor(root: string) {
    this.blobDir = path.join(root, 'sha256');
    this.tempDir = path.join(root, 'incoming');
  }

  async init(): Promise<void> {
    await fs.mkdir(this.blobDir, { recursive: true });
    await fs.mkdir(this.tempDir, { recursive: true });
  }

  /** The file name a process of this machine, boot and pid namespace with this pid gives a partial upload. */
  partialUploadName(pid: number): string {
    const namespace = this.writer.pidNamespace === null ? '' : `ns${this.writer.pidNamespace}.`;
    return `${this.writer.host}.${this.writer.boot}.${namespace}${pid}.${randomUUID()}.part`;
  }

  /** Where a file's bytes are on disk (this backend's business only). */
  private pathOf(file: StoredFile): string {
    if (typeof file !== 'string') return file.tempPath;
    // Only ever a validated hash reaches the file system: no path tricks are possible.
    if (!SHA256_PATTERN.test(file)) throw new Error(`not a sha256: ${file}`);
    return path.join(this.blobDir, file.slice(0, 2), file);
  }

  async receive(source: Readable, maxBytes: number | null): Promise<ReceivedFile> {
    const tempPath = path.join(this.tempDir, this.partialUploadName(process.pid));
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (maxBytes !== null && size > maxBytes) {
          callback(new FileTooLargeError(maxBytes));
          return;
        }
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    // A source that signals truncation (busboy's 'limit') must fail the upload, not store a stump.
    source.once('limit', () => meter.destroy(new FileTooLargeError(maxBytes ?? 0)));
    // Open before streaming: a write stream opened lazily could create the file after a failed
    // upload's clean-up ran, leaving a stray file behind.
    const handle = await fs.open(tempPath, 'wx', 0o600);
    try {
      await pipeline(source, meter, handle.createWriteStream());
    } catch (error) {
      await handle.close().catch(() => {});
      await fs.rm(tempPath, { force: true });
      // Drain what the client still sends so the connection can answer; the bytes go nowhere.
      source.resume();
      throw error;
    }
    return { sha256: hash.digest('hex'), size, tempPath };
  }

  async commit(file: ReceivedFile): Promise<void> {
    const target = this.pathOf(file.sha256);
    await fs.mkdir(path.dirname(target), { recursive: true });
    // Same hash, same bytes: if the file is already stored, replacing it changes nothing.
    await fs.rename(file.tempPath, target);
  }

  async discard(file: ReceivedFile): Promise<void> {
    await fs.rm(file.tempPath, { force: true });
  }

  open(file: StoredFile, range?: ByteRange): Readable {
    // 1 MiB reads, not 64 KiB: images are served to many routers at once (README, "Image pulls").
    return createReadStream(this.pathOf(file), {
      ...(range ? { start: range.start, end: range.end } : {}),
      highWaterMark: 1 << 20,
    });
  }

  async size(file: StoredFile): Promise<number> {
    return (await fs.stat(this.pathOf(file))).size;
  }

  async exists(sha256: string): Promise<boolean> {
    try {
      await fs.access(this.pathOf(sha256));
      return true;
    } catch {
      return false;
    }
  }

  async remove(sha256: string): Promise<void> {
    await fs.rm(this.pathOf(sha256), { force: true });
  }

  async *listStored(): AsyncIterable<{ sha256: string; storedAt: Date }> {
    for (const folder of await fs.readdir(this.blobDir).catch(() => [] as string[])) {
      const dir = path.join(this.blobDir, folder);
      for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
        if (!SHA256_PATTERN.test(name)) continue;
        const stat = await fs.stat(path.join(dir, name)).catch(() => null);
        if (stat?.isFile()) yield { sha256: name, storedAt: stat.mtime };
      }
    }
  }

  /** Downloads always stream through fleetflash. */
  async downloadUrl(): Promise<string | null> {
    return null;
  }

  /**
   * Removes partial uploads whose writer is gone. Another process (on this machine or another one
   * sharing the folder) may be receiving an upload right now, so a file goes only when it cannot
   * be in progress: written on this machine during an earlier boot, or during this boot by a
   * process that no longer runs (at start, also by this very pid: an earlier process had it); or,
   * whoever wrote it, untouched for `olderThanMs`, far longer than a live upload goes without data.
   */
  async removeStaleIncoming(options: { atStart?: boolean; olderThanMs?: number; now?: number } = {}): Promise<number> {
    const { atStart = false, olderThanMs = ABANDONED_UPLOAD_AGE_MS, now = Date.now() } = options;
    let removed = 0;
    for (const name of await fs.readdir(this.tempDir)) {
      const file = path.join(this.tempDir, name);
      const stat = await fs.stat(file).catch(() => null);
      if (!stat?.isFile()) continue;
      if (this.writerIsGone(name, atStart) || now - stat.mtimeMs > olderThanMs) {
        await fs.rm(file, { force: true });
        removed += 1;
      }
    }
    return removed;
  }

  private writerIsGone(name: string, atStart: boolean): boolean {
    const owner = PARTIAL_NAME.exec(name);
    if (!owner || owner[1] !== this.writer.host) return false;
    if (owner[2] !== this.writer.boot) return true;
    // Another container (or one we cannot compare with): its pids mean nothing here; only age tells.
    // A name without a namespace predates it and is judged as before.
    if (owner[3] !== undefined && owner[3] !== this.writer.pidNamespace) return false;
    const pid = Number(owner[4]);
    return pid === process.pid ? atStart : !processIsAlive(pid);
  }

  /**
   * Removes dead partial uploads now (`atStart`) and then every `HOUSEKEEPING_INTERVAL_MS` until `stopHousekeeping`.
   */
  async startHousekeeping(log: (removed: number) => void, intervalMs = HOUSEKEEPING_INTERVAL_MS): Promise<void> {
    const removedAtStart = await this.removeStaleIncoming({ atStart: true });
    if (removedAtStart > 0) log(removedAtStart);
    this.housekeeping = setInterval(() => {
      this.removeStaleIncoming().then(
        (removed) => {
          if (removed > 0) log(removed);
        },
        () => {},
      );
    }, intervalMs);
    this.housekeeping.unref();
  }

  stopHousekeeping(): void {
    if (this.housekeeping) clearInterval(this.housekeeping);
    this.housekeeping = null;
  }

  close(): void {
    this.stopHousekeeping();
  }
}
