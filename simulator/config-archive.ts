import { gunzipSync, gzipSync } from 'node:zlib';
import { writeTar } from '../src/platform/tar-archive.js';

/**
 * The archive the simulated `sysupgrade -b` writes: a gzip-compressed ustar archive of the given
 * files, as a router's backup of /etc holds (written by the server's small tar writer,
 * src/platform/tar-archive.ts), and `readConfigArchive`, the small reading half for `-r`.
 */

const BLOCK = 512;

/** A .tar.gz of `files` (path → text content), each file mode 644. */
export function writeConfigArchive(files: ReadonlyMap<string, string>, mtime = Math.floor(Date.now() / 1000)): Buffer {
  const entries = [...files].map(([path, content]) => ({
    path: path.replace(/^\/+/, ''),
    type: 'file' as const,
    mode: 0o644,
    content: Buffer.from(content, 'utf8'),
  }));
  return gzipSync(writeTar(entries, mtime));
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
