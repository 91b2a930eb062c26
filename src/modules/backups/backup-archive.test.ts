import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { writeConfigArchive } from '../../../simulator/config-archive.js';
import { checkBackupArchive, InvalidBackupArchive, MAX_BACKUP_BYTES } from './backup-archive.js';

const simulated = () =>
  writeConfigArchive(
    new Map([
      ['etc/config/network', "config interface 'lan'\n"],
      ['etc/config/system', "config system\n\toption hostname 'r1'\n"],
    ]),
  );

describe('checkBackupArchive', () => {
  it('reads an archive written by GNU tar, as sysupgrade -b writes one (tar czf)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-backup-'));
    try {
      mkdirSync(path.join(dir, 'etc', 'config'), { recursive: true });
      writeFileSync(path.join(dir, 'etc', 'config', 'network'), 'x'.repeat(1500));
      writeFileSync(path.join(dir, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/ash\n');
      execFileSync('tar', ['-czf', path.join(dir, 'backup.tar.gz'), '-C', dir, 'etc']);
      const summary = await checkBackupArchive(readFileSync(path.join(dir, 'backup.tar.gz')));
      expect(summary.files.sort()).toEqual(['etc/config/network', 'etc/passwd']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads the simulator's archive", async () => {
    expect((await checkBackupArchive(simulated())).files).toEqual(['etc/config/network', 'etc/config/system']);
  });

  it('refuses what is not gzip, a gzip that is not a tar, a cut archive and a damaged header', async () => {
    await expect(checkBackupArchive(Buffer.from('simulated configuration backup\n'))).rejects.toThrow(/not gzip/);
    await expect(checkBackupArchive(gzipSync(Buffer.from('hello world, not a tar')))).rejects.toThrow(
      InvalidBackupArchive,
    );
    const good = simulated();
    await expect(checkBackupArchive(good.subarray(0, good.length - 20))).rejects.toThrow(/cannot be decompressed/);
    const tar = Buffer.from(execFileSync('gzip', ['-dc'], { input: good }));
    await expect(checkBackupArchive(gzipSync(tar.subarray(0, 520)))).rejects.toThrow(/cut short/);
    await expect(checkBackupArchive(gzipSync(tar.subarray(0, 1200)))).rejects.toThrow(/ends in the middle/);
    tar[10] = 0x41; // a byte of the first name: the checksum no longer matches
    await expect(checkBackupArchive(gzipSync(tar))).rejects.toThrow(/wrong checksum/);
  });

  it('refuses an archive without a file', async () => {
    await expect(checkBackupArchive(writeConfigArchive(new Map()))).rejects.toThrow(/holds no file/);
  });

  it('refuses a gzip bomb quickly, without unpacking it all', async () => {
    // 1 GiB of zeros behind a valid tar entry: 1,024 gzip members of 1 MiB each, about 1 MiB in all.
    const tar = Buffer.from(execFileSync('gzip', ['-dc'], { input: simulated() }));
    const zeros = gzipSync(Buffer.alloc(1024 * 1024), { level: 9 });
    const bomb = Buffer.concat([gzipSync(tar.subarray(0, 1024)), ...Array.from({ length: 1024 }, () => zeros)]);
    expect(bomb.length).toBeLessThan(MAX_BACKUP_BYTES);
    const started = Date.now();
    await expect(checkBackupArchive(bomb)).rejects.toThrow(/unpacks to more than 32 MiB/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reads an archive whose content is larger than a read chunk, in pieces', async () => {
    const big = new Map([
      ['etc/config/firewall', 'y'.repeat(200_000)],
      ['etc/config/network', 'z'.repeat(513)],
    ]);
    expect((await checkBackupArchive(writeConfigArchive(big))).files).toEqual([
      'etc/config/firewall',
      'etc/config/network',
    ]);
  });
});
