import { gunzipSync } from 'node:zlib';

/**
 * Checks that a configuration backup is what `sysupgrade -b` writes: a gzip-compressed tar archive
 * that can be read to its end. Node's zlib unpacks it (bounded, so a small archive cannot expand
 * into gigabytes); the tar layer is read here, header by header, with the checks a restore relies
 * on: every header's checksum, every entry's size within the archive, and at least one file. Written
 * for this purpose rather than taking a tar library: reading headers is all a check needs, and no
 * byte of the archive is ever written to disk by the server.
 */

/** The largest configuration backup fleetflash fetches from a router (real ones are a few KiB to a few MiB). */
export const MAX_BACKUP_BYTES = 16 * 1024 * 1024;
/** The most an archive may unpack to: a backup is text files; more is not a configuration backup. */
export const MAX_UNPACKED_BYTES = 256 * 1024 * 1024;

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

/** Reads the archive through; throws `InvalidBackupArchive` saying what is wrong. */
export function checkBackupArchive(archive: Buffer): BackupArchiveSummary {
  if (archive.length < 2 || archive[0] !== 0x1f || archive[1] !== 0x8b)
    throw new InvalidBackupArchive('it is not gzip-compressed');
  let tar: Buffer;
  try {
    tar = gunzipSync(archive, { maxOutputLength: MAX_UNPACKED_BYTES });
  } catch (error) {
    throw new InvalidBackupArchive(`it cannot be decompressed (${(error as Error).message})`);
  }
  const files: string[] = [];
  let offset = 0;
  for (;;) {
    if (offset + BLOCK > tar.length) throw new InvalidBackupArchive('the tar archive ends in the middle');
    const header = tar.subarray(offset, offset + BLOCK);
    // Two zero blocks end an archive; some writers leave only one, or none and pad to a record.
    if (isZero(header)) break;
    if (number(header, 148, 8) !== checksumOf(header))
      throw new InvalidBackupArchive(`the tar header at byte ${offset} has a wrong checksum`);
    const size = number(header, 124, 12);
    const type = String.fromCharCode(header[156]!);
    const prefix = text(header, 345, 155);
    const name = text(header, 0, 100);
    const dataBlocks = Math.ceil(size / BLOCK);
    offset += BLOCK + dataBlocks * BLOCK;
    if (offset > tar.length) throw new InvalidBackupArchive(`the entry "${name}" is cut short`);
    if (type === '0' || type === '\0') files.push(prefix ? `${prefix}/${name}` : name);
    if (offset === tar.length) break;
  }
  if (files.length === 0) throw new InvalidBackupArchive('the tar archive holds no file');
  return { files };
}
