import fs from 'node:fs/promises';
import { readStoredBytes, type Storage, type StoredFile } from '../../platform/storage.js';

/**
 * Reads the fwtool metadata OpenWrt appends to sysupgrade images. Blocks are read backwards from
 * the end: each ends with a 16-byte trailer (magic "FWx0", crc32, type, padding, big-endian total
 * size including an 8-byte header). A signature block (type 0) may come last; the metadata block
 * (type 1) holds JSON. Only a few kilobytes at the end of the file are read.
 */

export interface FwtoolMetadata {
  metadata_version?: string;
  compat_version?: string;
  supported_devices: string[];
  version?: {
    dist?: string;
    version?: string;
    revision?: string;
    target?: string;
    board?: string;
  };
}

const MAGIC = 0x46577830; // "FWx0"
const TRAILER_SIZE = 16;
const HEADER_SIZE = 8;
const TYPE_SIGNATURE = 0;
const TYPE_METADATA = 1;
/** Real metadata is well under a kilobyte; anything this large is not fwtool metadata. */
const MAX_BLOCK_SIZE = 256 * 1024;
const MAX_BLOCKS = 4;

function asStringArray(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? (value as string[]) : null;
}

/** Keeps only the fields we know, with the right types; returns null when the JSON is not metadata. */
function normalise(json: unknown): FwtoolMetadata | null {
  if (typeof json !== 'object' || json === null) return null;
  const raw = json as Record<string, unknown>;
  const supported = asStringArray(raw.supported_devices);
  if (!supported) return null;
  const metadata: FwtoolMetadata = { supported_devices: supported };
  if (typeof raw.metadata_version === 'string') metadata.metadata_version = raw.metadata_version;
  if (typeof raw.compat_version === 'string') metadata.compat_version = raw.compat_version;
  if (typeof raw.version === 'object' && raw.version !== null) {
    const version: NonNullable<FwtoolMetadata['version']> = {};
    for (const key of ['dist', 'version', 'revision', 'target', 'board'] as const) {
      const value = (raw.version as Record<string, unknown>)[key];
      if (typeof value === 'string') version[key] = value;
    }
    metadata.version = version;
  }
  return metadata;
}

/** Reads `length` bytes at `position` (fewer at the end of the data). */
export type ByteReader = (position: number, length: number) => Promise<Buffer> | Buffer;

/** Walks the fwtool blocks backwards from the end of data of `size` bytes. */
export async function parseFwtoolMetadata(size: number, readAt: ByteReader): Promise<FwtoolMetadata | null> {
  let end = size;
  for (let block = 0; block < MAX_BLOCKS && end >= TRAILER_SIZE + HEADER_SIZE; block += 1) {
    const trailer = await readAt(end - TRAILER_SIZE, TRAILER_SIZE);
    if (trailer.length < TRAILER_SIZE || trailer.readUInt32BE(0) !== MAGIC) return null;
    const type = trailer.readUInt8(8);
    const blockSize = trailer.readUInt32BE(12);
    if (blockSize < TRAILER_SIZE + HEADER_SIZE || blockSize > MAX_BLOCK_SIZE || blockSize > end) return null;
    if (type === TYPE_METADATA) {
      const data = await readAt(end - blockSize + HEADER_SIZE, blockSize - HEADER_SIZE - TRAILER_SIZE);
      try {
        return normalise(JSON.parse(data.toString('utf8').replace(/\0+$/, '')));
      } catch {
        return null;
      }
    }
    if (type !== TYPE_SIGNATURE) return null;
    end -= blockSize;
  }
  return null;
}

/** The metadata of a file on disk; only a few kilobytes at its end are read. */
export async function readFwtoolMetadata(filePath: string): Promise<FwtoolMetadata | null> {
  const handle = await fs.open(filePath, 'r');
  try {
    const { size } = await handle.stat();
    return await parseFwtoolMetadata(size, async (position, length) => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      return buffer.subarray(0, bytesRead);
    });
  } finally {
    await handle.close();
  }
}

/** The metadata of a stored (or received) file; only a few kilobytes at its end are read. */
export async function readStoredFwtoolMetadata(storage: Storage, file: StoredFile): Promise<FwtoolMetadata | null> {
  const size = await storage.size(file);
  return parseFwtoolMetadata(size, (position, length) => readStoredBytes(storage, file, position, length));
}

/** Bytes kept from the end of a stream to read its metadata without storing it whole. */
export const FWTOOL_TAIL_BYTES = 2 * MAX_BLOCK_SIZE;

/** The metadata of an image of which only the last `tail` bytes (of `size`) are at hand. */
export function parseFwtoolMetadataFromTail(size: number, tail: Buffer): Promise<FwtoolMetadata | null> {
  const offset = size - tail.length;
  return parseFwtoolMetadata(size, (position, length) => {
    const start = Math.max(0, position - offset);
    return tail.subarray(start, start + length);
  });
}
