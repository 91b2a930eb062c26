import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/platform/paths.js';
import { freePort } from './free-port.js';
import { boardJson, lineCount, OPENWRT_FIRST_OS, writeOpenwrtRoot } from './openwrt-root.js';
import { generateKeyPair } from './ssh-keys.js';

/**
 * A router served by the real dropbear (Debian's, installed by .ci/run) on a loopback port, logging in
 * a dedicated system user by public key. Commands run in the real /bin/sh inside a fake OpenWrt root
 * (test/helpers/openwrt-root.ts: only `ubus`, `sysupgrade` and `reboot` are scripted). Needs root: it
 * creates the user dropbear logs in as (a dropbear not run by root only logs in its own user, and
 * 2022.83 reads authorized_keys only from that user's real home, which a test must not touch).
 */
export interface DropbearRouter {
  readonly user: string;
  readonly port: number;
  /** The login user's home: the events files (flash.log, reboot.log) and the restore's records live here. */
  readonly home: string;
  /** The fake OpenWrt root: /etc, /tmp and /proc/sys of the commands point into it. */
  readonly root: string;
  readonly privateKey: string;
  /** The release the next flash "boots" into (as "OpenWrt <version> <revision>"). */
  setNextRelease(targetOs: string): void;
  /** Writes a file of the fake root (path relative to it), owned by the login user. */
  writeRootFile(relative: string, content: string): void;
  stop(): Promise<void>;
}

export const DROPBEAR_USER = 'fleetflash-router';
export const DROPBEAR_FIRST_OS = OPENWRT_FIRST_OS;
const FIXTURES = path.join(PROJECT_ROOT, 'test', 'fixtures', 'dropbear-router');

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

function prepareHome(publicKey: string): { home: string; root: string } {
  try {
    execFileSync('id', [DROPBEAR_USER], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--system', '--shell', '/bin/sh', '--no-create-home', DROPBEAR_USER]);
  }
  const home = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-dropbear-'));
  execFileSync('usermod', ['--home', home, DROPBEAR_USER]);
  const root = path.join(home, 'root');
  mkdirSync(path.join(home, '.ssh'));
  writeFileSync(path.join(home, '.ssh', 'authorized_keys'), `${publicKey}\n`);
  writeOpenwrtRoot(root);
  copyFileSync(path.join(FIXTURES, 'router-shell.sh'), path.join(home, 'router-shell.sh'));
  chmodSync(path.join(home, 'router-shell.sh'), 0o755);
  execFileSync('chown', ['-R', `${DROPBEAR_USER}:`, home]);
  chmodSync(path.join(home, '.ssh'), 0o700);
  chmodSync(path.join(home, '.ssh', 'authorized_keys'), 0o600);
  execFileSync('dropbearkey', ['-t', 'ed25519', '-f', path.join(home, 'host_key')], { stdio: 'ignore' });
  return { home, root };
}

/** Starts dropbear on a fresh fake router (see DropbearRouter). */
export async function startDropbearRouter(): Promise<DropbearRouter> {
  const keys = generateKeyPair();
  const { home, root } = prepareHome(keys.public);
  const port = await freePort();
  const hostKey = path.join(home, 'host_key');
  const pidFile = path.join(home, 'dropbear.pid');
  const command = `${path.join(home, 'router-shell.sh')} ${root}`;
  const dropbear: ChildProcess = spawn(
    '/usr/sbin/dropbear',
    ['-F', '-E', '-s', '-p', `127.0.0.1:${port}`, '-r', hostKey, '-P', pidFile, '-c', command],
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
  // The "reboot": when the scripted sysupgrade has flashed or the scripted reboot ran (a line more in
  // flash.log or reboot.log), kill every dropbear connection process (children of the listening one),
  // which drops the sessions as a real reboot does.
  let rebootsDone = 0;
  const watcher = setInterval(() => {
    if (lineCount(path.join(home, 'flash.log')) + lineCount(path.join(home, 'reboot.log')) <= rebootsDone) return;
    rebootsDone += 1;
    try {
      execFileSync('pkill', ['-9', '-P', String(dropbear.pid)]);
    } catch {
      // no connection left
    }
  }, 20);

  function writeRootFile(relative: string, content: string): void {
    const file = path.join(root, relative);
    writeFileSync(file, content);
    execFileSync('chown', [`${DROPBEAR_USER}:`, file]);
  }
  return {
    user: DROPBEAR_USER,
    port,
    home,
    root,
    privateKey: keys.private,
    setNextRelease: (targetOs) => writeRootFile('etc/next-board.json', boardJson(targetOs)),
    writeRootFile,
    async stop() {
      clearInterval(watcher);
      dropbear.kill('SIGTERM');
      rmSync(home, { recursive: true, force: true });
    },
  };
}
