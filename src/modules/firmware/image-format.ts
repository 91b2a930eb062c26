import { readStoredBytes, type Storage, type StoredFile } from '../../platform/storage.js';

/**
 * Whether a file without OpenWrt metadata can still be a sysupgrade image of its type. Images with
 * fwtool metadata prove themselves; older or vendor images have none, so the file's first bytes must
 * be a format the type's file name implies (as OpenWrt's image recipes produce them): a `.bin` sysupgrade
 * image starts with a uImage, TRX, FIT or squashfs header, a legacy vendor header (TP-Link v1/v2 of
 * ar71xx/ath79 and ramips, D-Link's Seama), UBI (NAND devices), or is a tar archive
 * (`sysupgrade-<board>/`, NAND devices); `.itb` is FIT; `.img.gz` is gzip; `.tar`
 * is tar; `.img` is a disk image (boot sector signature) or one of the `.bin` formats. A text file or
 * anything smaller than a kernel cannot be flashed, and is refused unless the upload says `force`.
 */

export const IMAGE_FORMATS = {
  uimage: 'uImage',
  trx: 'TRX',
  fit: 'FIT',
  squashfs: 'squashfs',
  tar: 'tar (sysupgrade-v2)',
  tplink: 'TP-Link firmware header (v1/v2)',
  ubi: 'UBI',
  seama: 'Seama',
  gzip: 'gzip',
  'disk-image': 'disk image (boot sector)',
} as const;
export type ImageFormat = keyof typeof IMAGE_FORMATS;

/** No kernel plus root file system comes anywhere near this small. */
export const MIN_IMAGE_BYTES = 64 * 1024;

/** Bytes read from the start of the file: enough for a tar header (magic at 257) and a boot sector. */
export const HEAD_BYTES = 512;

const BIN_FORMATS: readonly ImageFormat[] = ['uimage', 'trx', 'fit', 'squashfs', 'tar', 'tplink', 'ubi', 'seama'];

/** The formats a file of this type (its name's ending) may have; every known one for an unknown ending. */
export function formatsForType(type: string): readonly ImageFormat[] {
  const name = type.toLowerCase();
  if (name.endsWith('.img.gz') || name.endsWith('.gz')) return ['gzip'];
  if (name.endsWith('.itb')) return ['fit'];
  if (name.endsWith('.tar')) return ['tar'];
  if (name.endsWith('.bin')) return BIN_FORMATS;
  if (name.endsWith('.img')) return ['disk-image', ...BIN_FORMATS];
  return Object.keys(IMAGE_FORMATS) as ImageFormat[];
}

/** The format the first bytes of a file show, or null. */
export function detectImageFormat(head: Buffer): ImageFormat | null {
  if (head.length >= 4) {
    const magic = head.readUInt32BE(0);
    if (magic === 0x27051956) return 'uimage';
    if (magic === 0xd00dfeed) return 'fit';
    if (head.subarray(0, 4).toString('latin1') === 'HDR0') return 'trx';
    if (head.subarray(0, 4).toString('latin1') === 'hsqs') return 'squashfs';
    // UBI erase-counter header (NAND images), and Seama (D-Link), both big-endian magics.
    if (magic === 0x55424923) return 'ubi';
    if (magic === 0x5ea3a417) return 'seama';
    if (isTplinkHeader(head)) return 'tplink';
  }
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar') return 'tar';
  if (head.length >= 512 && head[510] === 0x55 && head[511] === 0xaa) return 'disk-image';
  return null;
}

/**
 * TP-Link's firmware header (OpenWrt's mktplinkfw tools): a big-endian header version 1 or 2 at
 * offset 0. Version 1 carries the vendor name "TP-LINK Technologies" at offset 4; version 2 has no
 * vendor there but a NUL-terminated version string ("ver. 2.0"). The version word alone is too weak
 * a sign, hence the string after it.
 */
function isTplinkHeader(head: Buffer): boolean {
  const version = head.readUInt32BE(0);
  if (version === 0x01000000) return head.subarray(4, 24).toString('latin1') === 'TP-LINK Technologies';
  if (version !== 0x02000000 || head.length < 52) return false;
  const field = head.subarray(4, 52);
  const end = field.indexOf(0);
  if (end < 1) return false;
  return [...field.subarray(0, end)].every((byte) => byte >= 32 && byte < 127);
}

/** Why a file without metadata cannot be an image of this type, or null when it may be one. */
export function whyNotAnImage(input: { type: string; size: number; head: Buffer }): string | null {
  const allowed = formatsForType(input.type);
  const found = detectImageFormat(input.head);
  if (found === null || !allowed.includes(found)) {
    const expected = allowed.map((format) => IMAGE_FORMATS[format]).join(', ');
    const seen = found === null ? describeUnknownHead(input.head) : `a ${IMAGE_FORMATS[found]} file`;
    return (
      `it has no OpenWrt metadata, and an image of type "${input.type}" ` +
      `is ${allowed.length > 1 ? 'one of ' : ''}${expected}, but this is ${seen}`
    );
  }
  if (input.size < MIN_IMAGE_BYTES) {
    return (
      `it has no OpenWrt metadata and is only ${input.size} bytes, while a sysupgrade image (kernel and root ` +
      `file system) is at least ${MIN_IMAGE_BYTES / 1024} KiB`
    );
  }
  return null;
}

function describeUnknownHead(head: Buffer): string {
  if (head.length === 0) return 'an empty file';
  const printable = [...head].every((byte) => byte === 9 || byte === 10 || byte === 13 || (byte >= 32 && byte < 127));
  if (printable)
    return (
      `text ` +
      `("${head.subarray(0, 40).toString('latin1').replace(/\s+/g, ' ').trim()}${head.length > 40 ? '…' : ''}")`
    );
  return `a file starting with bytes ${head.subarray(0, 8).toString('hex')} (no known image header)`;
}

/** The first HEAD_BYTES of a stored (or received) file. */
export async function readStoredHead(storage: Storage, file: StoredFile): Promise<Buffer> {
  return readStoredBytes(storage, file, 0, HEAD_BYTES);
}
