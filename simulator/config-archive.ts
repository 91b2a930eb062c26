import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * The archive the simulated `sysupgrade -b` writes: a gzip-compressed ustar archive of the given
 * files, as a router's backup of /etc holds. Written here (no tar library) because the simulator
 * needs the small writing half only, and `readConfigArchive` the small reading half for `-r`.
 */

const BLOCK = 512;

function header(path: string, size: number, mtime: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  const name = path.replace(/^\/+/, '');
  if (Buffer.byteLength(name) > 100) throw new Error(`path too long for the simulated archive: ${name}`);
  block.write(name, 0, 100, 'utf8');
  block.write('0000644\0', 100, 8, 'ascii');
  block.write('0000000\0', 108, 8, 'ascii');
  block.write('0000000\0', 116, 8, 'ascii');
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 12, 'ascii');
  block.write(`${mtime.toString(8).padStart(11, '0')}\0`, 136, 12, 'ascii');
  block.write('        ', 148, 8, 'ascii');
  block.write('0', 156, 1, 'ascii');
  block.write('ustar\0', 257, 6, 'ascii');
  block.write('00', 263, 2, 'ascii');
  block.write('root', 265, 32, 'ascii');
  block.write('root', 297, 32, 'ascii');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return block;
}

/** A .tar.gz of `files` (path → text content). */
export function writeConfigArchive(files: ReadonlyMap<string, string>, mtime = Math.floor(Date.now() / 1000)): Buffer {
  const parts: Buffer[] = [];
  for (const [path, content] of files) {
    const data = Buffer.from(content, 'utf8');
    parts.push(header(path, data.length, mtime), data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return gzipSync(Buffer.concat(parts));
}

/** The regular files of a .tar.gz (path → text); null when it is not a readable archive. */
export function readConfigArchive(archive: Buffer): Map<string, string> | null {
  let tar: Buffer;
  try {
    tar = gunzipSync(archive);
  } catch {
    return null;
  }
  const files = new Map<string, string>();
  for (let offset = 0; offset + BLOCK <= tar.length; ) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    const field = (start: number, length: number) => {
      const raw = header.subarray(start, start + length);
      const end = raw.indexOf(0);
      return raw.subarray(0, end < 0 ? length : end).toString('utf8');
    };
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    if (Number.isNaN(size) || offset + BLOCK + size > tar.length) return null;
    const type = field(156, 1);
    const prefix = field(345, 155);
    const name = field(0, 100);
    if (type === '0' || type === '')
      files.set(
        prefix ? `${prefix}/${name}` : name,
        tar.subarray(offset + BLOCK, offset + BLOCK + size).toString('utf8'),
      );
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return files;
}
