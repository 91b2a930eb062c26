import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { writeConfigArchive } from '../../../simulator/config-archive.js';
import { checkBackupArchive, InvalidBackupArchive } from './backup-archive.js';

const simulated = () =>
  writeConfigArchive(
    new Map([
      ['etc/config/network', "config interface 'lan'\n"],
      ['etc/config/system', "config system\n\toption hostname 'r1'\n"],
    ]),
  );

describe('checkBackupArchive', () => {
  it('reads an archive written by GNU tar, as sysupgrade -b writes one (tar czf)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-backup-'));
    try {
      mkdirSync(path.join(dir, 'etc', 'config'), { recursive: true });
      writeFileSync(path.join(dir, 'etc', 'config', 'network'), 'x'.repeat(1500));
      writeFileSync(path.join(dir, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/ash\n');
      execFileSync('tar', ['-czf', path.join(dir, 'backup.tar.gz'), '-C', dir, 'etc']);
      const summary = checkBackupArchive(readFileSync(path.join(dir, 'backup.tar.gz')));
      expect(summary.files.sort()).toEqual(['etc/config/network', 'etc/passwd']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads the simulator's archive", () => {
    expect(checkBackupArchive(simulated()).files).toEqual(['etc/config/network', 'etc/config/system']);
  });

  it('refuses what is not gzip, a gzip that is not a tar, a cut archive and a damaged header', () => {
    expect(() => checkBackupArchive(Buffer.from('simulated configuration backup\n'))).toThrow(/not gzip/);
    expect(() => checkBackupArchive(gzipSync(Buffer.from('hello world, not a tar')))).toThrow(InvalidBackupArchive);
    const good = simulated();
    expect(() => checkBackupArchive(good.subarray(0, good.length - 20))).toThrow(/cannot be decompressed/);
    const tar = Buffer.from(execFileSync('gzip', ['-dc'], { input: good }));
    expect(() => checkBackupArchive(gzipSync(tar.subarray(0, 520)))).toThrow(/cut short/);
    expect(() => checkBackupArchive(gzipSync(tar.subarray(0, 1200)))).toThrow(/ends in the middle/);
    tar[10] = 0x41; // a byte of the first name: the checksum no longer matches
    expect(() => checkBackupArchive(gzipSync(tar))).toThrow(/wrong checksum/);
  });

  it('refuses an archive without a file', () => {
    expect(() => checkBackupArchive(writeConfigArchive(new Map()))).toThrow(/holds no file/);
  });
});
