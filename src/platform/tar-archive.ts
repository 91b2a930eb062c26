/**
 * A small ustar writer: regular files and directories, owned by root (uid and gid 0), each with its
 * mode. Enough for the archives fleetflash writes itself (the agent's .ipk package, the simulator's
 * `sysupgrade -b` backups), so no tar library is needed for them. Paths up to 100 bytes: none of
 * these archives holds longer ones, and a longer path fails loudly rather than being cut.
 */

const BLOCK = 512;

export interface TarEntry {
  /** The member's name as stored, e.g. `./usr/sbin/fleetflash-agent` or `etc/config/network`. */
  path: string;
  /** A directory's name ends with `/` in the archive, as GNU tar writes it. */
  type: 'file' | 'directory';
  /** Permission bits, e.g. 0o755. */
  mode: number;
  /** A file's bytes (none for a directory). */
  content?: Buffer;
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(entry: TarEntry, size: number, mtime: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  const name = entry.type === 'directory' && !entry.path.endsWith('/') ? `${entry.path}/` : entry.path;
  if (Buffer.byteLength(name) > 100) throw new Error(`path too long for a ustar header (100 bytes): ${name}`);
  block.write(name, 0, 100, 'utf8');
  block.write(octal(entry.mode & 0o7777, 8), 100, 8, 'ascii');
  block.write(octal(0, 8), 108, 8, 'ascii');
  block.write(octal(0, 8), 116, 8, 'ascii');
  block.write(octal(size, 12), 124, 12, 'ascii');
  block.write(octal(mtime, 12), 136, 12, 'ascii');
  // The checksum is computed with its own field as spaces.
  block.write('        ', 148, 8, 'ascii');
  block.write(entry.type === 'directory' ? '5' : '0', 156, 1, 'ascii');
  block.write('ustar\0', 257, 6, 'ascii');
  block.write('00', 263, 2, 'ascii');
  block.write('root', 265, 32, 'ascii');
  block.write('root', 297, 32, 'ascii');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return block;
}

/**
 * The uncompressed tar of `entries`, in the given order, every member stamped with `mtime` (seconds):
 * the same entries and time give the same bytes.
 */
export function writeTar(entries: readonly TarEntry[], mtime: number): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const data = entry.type === 'file' ? (entry.content ?? Buffer.alloc(0)) : Buffer.alloc(0);
    parts.push(header(entry, data.length, mtime), data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK));
  }
  // The end of the archive: two zero blocks.
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}
