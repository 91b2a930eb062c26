import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

/**
 * Checks that a configuration backup is what `sysupgrade -b` writes: a gzip-compressed tar archive
 * that can be read to its end. Node's zlib unpacks it as a stream, counted (so a small archive cannot
 * expand into gigabytes); the tar layer is read here as it comes, header by header, with the checks a
 * restore relies on: every header's checksum, every entry's size within the archive, and at least one
 * file. Written
 * for this purpose rather than taking a tar library: reading headers is all a check needs, and no
 * byte of the archive is ever written to disk by the server.
 */

/** The largest configuration backup fleetflash fetches from a router (real ones are a few KiB to a few MiB). */
export const MAX_BACKUP_BYTES = 16 * 1024 * 1024;
/** The most an archive may unpack to: a backup is text files; more is not a configuration backup. */
export const MAX_UNPACKED_BYTES = 32 * 1024 * 1024;

const BLOCK = 512;

export class InvalidBackupArchive extends Error {}

export interface BackupArchiveSummary {
  /** Paths of the regular files in the archive, in order. */
  files: string[];
}

function text(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? length : end).toString('utf8');
}

/** A numeric header field: octal digits (space or NUL ended), or GNU base-256 when its first bit is set. */
function number(block: Buffer, start: number, length: number): number {
  const field = block.subarray(start, start + length);
  if ((field[0]! & 0x80) !== 0) {
    let value = field[0]! & 0x7f;
    for (const byte of field.subarray(1)) value = value * 256 + byte;
    return value;
  }
  const digits = text(block, start, length).trim();
  if (!/^[0-7]*$/.test(digits)) throw new InvalidBackupArchive(`a tar header holds a bad number ("${digits}")`);
  return digits === '' ? 0 : Number.parseInt(digits, 8);
}

/** The header checksum: the sum of its bytes with the checksum field itself read as spaces. */
function checksumOf(block: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i += 1) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
  return sum;
}

function isZero(block: Buffer): boolean {
  return block.every((byte) => byte === 0);
}

/**
 * The tar layer, read as the bytes arrive: only the header being assembled is kept, entry data is
 * counted and skipped. The checks are those a restore relies on: every header's checksum, every
 * entry complete, at least one file.
 */
class TarReader {
  readonly files: string[] = [];
  private header = Buffer.alloc(0);
  /** Bytes of the current entry's data (with its padding) still to skip. */
  private skip = 0;
  private offset = 0;
  private entry = '';
  /** A zero block ended the archive: what follows (more zero blocks, record padding) is not read. */
  private ended = false;

  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length && !this.ended) {
      if (this.skip > 0) {
        const skipped = Math.min(this.skip, chunk.length - at);
        this.skip -= skipped;
        at += skipped;
        this.offset += skipped;
        continue;
      }
      const taken = chunk.subarray(at, at + BLOCK - this.header.length);
      this.header = this.header.length === 0 ? Buffer.from(taken) : Buffer.concat([this.header, taken]);
      at += taken.length;
      this.offset += taken.length;
      if (this.header.length === BLOCK) {
        this.readHeader(this.header, this.offset - BLOCK);
        this.header = Buffer.alloc(0);
      }
    }
  }

  private readHeader(header: Buffer, at: number): void {
    // Two zero blocks end an archive; some writers leave only one, or none and pad to a record.
    if (isZero(header)) {
      this.ended = true;
      return;
    }
    if (number(header, 148, 8) !== checksumOf(header))
      throw new InvalidBackupArchive(`the tar header at byte ${at} has a wrong checksum`);
    const size = number(header, 124, 12);
    const type = String.fromCharCode(header[156]!);
    const prefix = text(header, 345, 155);
    this.entry = text(header, 0, 100);
    this.skip = Math.ceil(size / BLOCK) * BLOCK;
    if (type === '0' || type === '\0') this.files.push(prefix ? `${prefix}/${this.entry}` : this.entry);
  }

  /** The end of the tar: throws when it stopped inside a header or an entry. */
  finish(): BackupArchiveSummary {
    if (this.skip > 0) throw new InvalidBackupArchive(`the entry "${this.entry}" is cut short`);
    if (this.header.length > 0 || this.offset === 0)
      throw new InvalidBackupArchive('the tar archive ends in the middle');
    if (this.files.length === 0) throw new InvalidBackupArchive('the tar archive holds no file');
    return { files: this.files };
  }
}

/**
 * Reads the archive through, unpacking it as a stream: it stops as soon as more than
 * MAX_UNPACKED_BYTES came out (a gzip bomb costs a moment, not memory) and never holds the tar.
 * Throws `InvalidBackupArchive` saying what is wrong.
 */
export async function checkBackupArchive(archive: Buffer): Promise<BackupArchiveSummary> {
  if (archive.length < 2 || archive[0] !== 0x1f || archive[1] !== 0x8b)
    throw new InvalidBackupArchive('it is not gzip-compressed');
  const tar = new TarReader();
  let unpacked = 0;
  // What the reading side refused: the pipeline may report it as its own abort of the other stages.
  let refused: InvalidBackupArchive | undefined;
  try {
    await pipeline(Readable.from([archive]), createGunzip(), async (source: AsyncIterable<Buffer>) => {
      try {
        for await (const chunk of source) {
          unpacked += chunk.length;
          if (unpacked > MAX_UNPACKED_BYTES)
            throw new InvalidBackupArchive(
              `it unpacks to more than ${MAX_UNPACKED_BYTES / 1048576} MiB, more than a configuration backup holds`,
            );
          tar.push(chunk);
        }
      } catch (error) {
        if (error instanceof InvalidBackupArchive) refused = error;
        throw error;
      }
    });
  } catch (error) {
    if (refused) throw refused;
    throw new InvalidBackupArchive(`it cannot be decompressed (${(error as Error).message})`);
  }
  return tar.finish();
}
