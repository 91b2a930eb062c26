import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';

/**
 * Files shaped like OpenWrt sysupgrade images, for demos and tests: a payload followed by fwtool
 * blocks (an 8-byte header, the data, a 16-byte trailer: magic "FWx0", crc32, type, size). The
 * simulator flashes them like real images: it checks `supported_devices` and boots into `version`.
 */

const MAGIC = 0x46577830;

function fwtoolBlock(type: 0 | 1, data: Buffer): Buffer {
  const header = Buffer.alloc(8);
  const trailer = Buffer.alloc(16);
  trailer.writeUInt32BE(MAGIC, 0);
  trailer.writeUInt32BE(zlib.crc32(Buffer.concat([header, data])), 4);
  trailer.writeUInt8(type, 8);
  trailer.writeUInt32BE(header.length + data.length + trailer.length, 12);
  return Buffer.concat([header, data, trailer]);
}

export interface SampleImageOptions {
  payloadSize?: number;
  supportedDevices?: string[];
  target?: string;
  board?: string;
  version?: string;
  revision?: string;
  /** Append a (fake) usign signature block after the metadata, as signed builds have. */
  signed?: boolean;
  /** Raw metadata JSON text, to test malformed metadata. */
  rawMetadata?: string;
}

export function makeSampleImage(options: SampleImageOptions = {}): Buffer {
  const payload = randomBytes(options.payloadSize ?? 4096);
  const metadata =
    options.rawMetadata ??
    JSON.stringify({
      metadata_version: '1.1',
      compat_version: '1.0',
      supported_devices: options.supportedDevices ?? ['tplink,archer-c7-v2', 'archer-c7-v2'],
      version: {
        dist: 'OpenWrt',
        version: options.version ?? '23.05.3',
        revision: options.revision ?? 'r23809-234f1a2efa',
        target: options.target ?? 'ath79/generic',
        board: options.board ?? 'tplink_archer-c7-v2',
      },
    });
  const blocks = [fwtoolBlock(1, Buffer.from(metadata))];
  if (options.signed)
    blocks.push(
      fwtoolBlock(
        0,
        Buffer.from(`untrusted comment: signed by key 0123456789abcdef\n${randomBytes(64).toString('base64')}\n`),
      ),
    );
  return Buffer.concat([payload, ...blocks]);
}
