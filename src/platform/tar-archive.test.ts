import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeTar } from './tar-archive.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-tar-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function extract(archive: Buffer): { list: string } {
  writeFileSync(path.join(dir, 'a.tar'), archive);
  const out = path.join(dir, 'out');
  mkdirSync(out);
  // The listing shows times in the local zone: UTC makes the expected date hold everywhere.
  const listed = spawnSync('tar', ['-tvf', path.join(dir, 'a.tar')], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
  });
  expect(listed.status, listed.stderr).toBe(0);
  const extracted = spawnSync('tar', ['-xf', path.join(dir, 'a.tar'), '-C', out], { encoding: 'utf8' });
  expect(extracted.status, extracted.stderr).toBe(0);
  return { list: listed.stdout };
}

describe('writeTar', () => {
  it('writes directories and files with their modes, root owner and time, readable by GNU tar', () => {
    const script = Buffer.from('#!/bin/sh\necho hi\n'.repeat(40));
    const archive = writeTar(
      [
        { path: './', type: 'directory', mode: 0o755 },
        { path: './bin', type: 'directory', mode: 0o755 },
        { path: './bin/hello', type: 'file', mode: 0o755, content: script },
        { path: './notes', type: 'file', mode: 0o644, content: Buffer.from('') },
      ],
      1_700_000_000,
    );
    expect(archive.length % 512).toBe(0);
    const { list } = extract(archive);
    const lines = list.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^drwxr-xr-x root\/root\s+0 2023-11-14 \d\d:\d\d \.\/bin\/$/);
    expect(lines[2]).toMatch(new RegExp(`^-rwxr-xr-x root/root\\s+${script.length} 2023-11-14 .* \\./bin/hello$`));
    expect(lines[3]).toMatch(/^-rw-r--r-- root\/root\s+0 .* \.\/notes$/);
    const hello = path.join(dir, 'out', 'bin', 'hello');
    expect(readFileSync(hello)).toEqual(script);
    expect(statSync(hello).mode & 0o777).toBe(0o755);
    expect(statSync(hello).mtimeMs).toBe(1_700_000_000_000);
  });

  it('gives the same bytes for the same entries and time', () => {
    const entries = [{ path: 'a', type: 'file' as const, mode: 0o600, content: Buffer.from('x') }];
    expect(writeTar(entries, 5).equals(writeTar(entries, 5))).toBe(true);
    expect(writeTar(entries, 5).equals(writeTar(entries, 6))).toBe(false);
  });

  it('refuses a path longer than a ustar name holds rather than cutting it', () => {
    expect(() => writeTar([{ path: `${'d/'.repeat(60)}f`, type: 'file', mode: 0o644 }], 0)).toThrow(/too long/);
  });
});
