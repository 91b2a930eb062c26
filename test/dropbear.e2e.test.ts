import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/platform/paths.js';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';
import { generateKeyPair } from './helpers/ssh-keys.js';
import { DROPBEAR, skipWithout } from './helpers/system-tools.js';

/**
 * The upgrader against the SSH server real OpenWrt routers run: Debian's dropbear (installed by
 * .ci/run), on a loopback port, logging in a dedicated system user by public key. The commands run
 * in the real /bin/sh inside a fake OpenWrt root; only `ubus` and `sysupgrade` are scripted.
 */

// Root, because the test creates the user dropbear logs in as: a dropbear not run by root only
// logs in its own user, and (2022.83, Debian 12) reads authorized_keys only from that user's real
// home, which a test must not touch.
const skip = skipWithout(
  import.meta.url,
  [DROPBEAR, { command: 'pkill', aptPackage: 'procps' }],
  process.getuid?.() === 0 ? null : 'needs root (it creates the system user dropbear logs in as)',
);

const USER = 'fleetflash-router';
const FIXTURES = path.join(PROJECT_ROOT, 'test', 'fixtures', 'dropbear-router');

let h: Harness;
let dropbear: ChildProcess | undefined;
let home: string;
let port: number;
let watcher: NodeJS.Timeout | undefined;
let rebootsDone = 0;
const keys = generateKeyPair();

function boardJson(version: string, revision: string): string {
  return JSON.stringify({
    kernel: '5.15.150',
    hostname: 'OpenWrt',
    model: 'TP-Link Archer C7 v2',
    board_name: 'tplink,archer-c7-v2',
    rootfs_type: 'squashfs',
    release: {
      distribution: 'OpenWrt',
      version,
      revision,
      target: 'ath79/generic',
      description: `OpenWrt ${version} ${revision}`,
    },
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port: chosen } = server.address() as net.AddressInfo;
      server.close(() => resolve(chosen));
    });
  });
}

async function waitForPort(target: number): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(target, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('dropbear did not start listening');
}

beforeAll(async () => {
  try {
    execFileSync('id', [USER], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--system', '--shell', '/bin/sh', '--no-create-home', USER]);
  }
  home = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-dropbear-'));
  execFileSync('usermod', ['--home', home, USER]);
  const root = path.join(home, 'root');
  for (const dir of [
    '.ssh',
    'root/tmp',
    'root/etc/init.d',
    'root/bin',
    'root/proc/sys/kernel/random',
    'root/proc/sys/vm',
  ])
    mkdirSync(path.join(home, dir), { recursive: true });
  writeFileSync(path.join(home, '.ssh', 'authorized_keys'), `${keys.public}\n`);
  writeFileSync(path.join(root, 'etc', 'board.json'), boardJson('23.05.2', 'r23630-842932a63d'));
  writeFileSync(path.join(root, 'proc', 'sys', 'kernel', 'random', 'boot_id'), `${randomUUID()}\n`);
  writeFileSync(path.join(root, 'proc', 'sys', 'vm', 'drop_caches'), '0\n');
  copyFileSync(path.join(FIXTURES, 'router-shell.sh'), path.join(home, 'router-shell.sh'));
  for (const script of ['ubus', 'sysupgrade'])
    copyFileSync(path.join(FIXTURES, script), path.join(root, 'bin', script));
  for (const script of ['router-shell.sh', 'root/bin/ubus', 'root/bin/sysupgrade'])
    chmodSync(path.join(home, script), 0o755);
  execFileSync('chown', ['-R', `${USER}:`, home]);
  chmodSync(path.join(home, '.ssh'), 0o700);
  chmodSync(path.join(home, '.ssh', 'authorized_keys'), 0o600);
  execFileSync('dropbearkey', ['-t', 'ed25519', '-f', path.join(home, 'host_key')], { stdio: 'ignore' });

  port = await freePort();
  dropbear = spawn(
    '/usr/sbin/dropbear',
    [
      '-F',
      '-E',
      '-s',
      '-p',
      `127.0.0.1:${port}`,
      '-r',
      path.join(home, 'host_key'),
      '-P',
      path.join(home, 'dropbear.pid'),
      '-c',
      `${path.join(home, 'router-shell.sh')} ${root}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  dropbear.stderr?.on('data', (data: Buffer) => {
    log += data.toString();
  });
  dropbear.on('exit', (code) => {
    if (code) process.stderr.write(`dropbear exited with ${code}:\n${log}\n`);
  });
  await waitForPort(port);
  // The "reboot": when the scripted sysupgrade has flashed, kill every dropbear connection process
  // (children of the listening one), which drops the sessions as a real reboot does.
  const flashLog = path.join(home, 'flash.log');
  watcher = setInterval(() => {
    if (!existsSync(flashLog) || readFileSync(flashLog, 'utf8').split('\n').length - 1 <= rebootsDone) return;
    rebootsDone += 1;
    try {
      execFileSync('pkill', ['-9', '-P', String(dropbear!.pid)]);
    } catch {
      // no connection left
    }
  }, 20);
  h = await createHarness({
    FLEETFLASH_OPENWRT_RECONNECT_DELAY: '0.5',
    FLEETFLASH_OPENWRT_RECONNECT_RETRY_DELAY: '0.2',
  });
  await h.startWorker();
});

afterAll(async () => {
  clearInterval(watcher);
  dropbear?.kill('SIGTERM');
  await h?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe.skipIf(skip)('a router served by the real dropbear', () => {
  it(
    'is upgraded: image streamed, checksum confirmed by the real sha256sum, flash, session dropped, new release ' +
      'verified',
    async () => {
      const { imageId, os: targetOs } = await h.addImage();
      const [, version, revision] = targetOs.split(' ');
      writeFileSync(path.join(home, 'root', 'etc', 'next-board.json'), boardJson(version!, revision!));
      execFileSync('chown', [`${USER}:`, path.join(home, 'root', 'etc', 'next-board.json')]);

      const credentials = await h.api.post('/api/v1/credentials/', {
        organization: h.organizationId,
        name: 'dropbear key',
        username: USER,
        private_key: keys.private,
      });
      expect(credentials.statusCode).toBe(201);
      const device = await h.api.post('/api/v1/devices/', {
        organization: h.organizationId,
        name: 'dropbear-router',
        mac_address: '02:db:00:00:00:01',
        model: 'TP-Link Archer C7 v2',
        board_name: 'tplink,archer-c7-v2',
        os: 'OpenWrt 23.05.2 r23630-842932a63d',
        management_ip: '127.0.0.1',
        ssh_port: port,
        credentials: credentials.json().id,
      });
      expect(device.statusCode).toBe(201);
      const result = await h.waitForEnd(await h.upgrade(device.json().id, imageId), 60_000);
      expect(result.status, result.log).toBe('success');
      expect(result.log).toContain('The device confirmed the image checksum');
      expect(result.log).toContain('Commencing upgrade');
      expect(result.log).not.toContain('kept the session open');
      expect(result.log).toContain(`Verified: new boot, running ${targetOs}`);
      expect(readFileSync(path.join(home, 'flash.log'), 'utf8').trim().split('\n')).toHaveLength(1);
      expect(readFileSync(path.join(home, 'root', 'etc', 'fleetflash', 'firmware.sha256'), 'utf8').trim()).toMatch(
        /^[0-9a-f]{64}$/,
      );
      expect((await h.api.get(`/api/v1/devices/${device.json().id}/`)).json().ssh_host_key).toMatch(/^SHA256:/);
      // The configuration backup before the flash: the scripted `sysupgrade -b` ran tar, and the archive came
      // back through the real dropbear byte for byte (GNU tar reads it).
      expect(result.log).toContain('Configuration backup kept');
      const backups = (await h.api.get(`/api/v1/devices/${device.json().id}/backups/`)).json();
      expect(backups.count).toBe(1);
      expect(backups.results[0].release).toBe('OpenWrt 23.05.2 r23630-842932a63d');
      const archive = await h.api.get(`/api/v1/devices/${device.json().id}/backups/${backups.results[0].id}/download`);
      const listing = execFileSync('tar', ['-tzf', '-'], { input: archive.rawPayload }).toString();
      expect(listing).toContain('etc/board.json');
    },
  );
});
