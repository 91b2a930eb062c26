import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/platform/paths.js';
import { freePort } from './free-port.js';
import { boardJson, lineCount, OPENWRT_FIRST_OS, writeOpenwrtRoot } from './openwrt-root.js';
import { generateKeyPair } from './ssh-keys.js';
import type { Harness } from './upgrade-harness.js';

/**
 * A router served by the real dropbear (Debian's, installed by .ci/run) on a loopback port, logging in
 * a system user of its own by public key. Commands run in the real /bin/sh inside a fake OpenWrt root
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

/** The login users' names: one user per router, so that test files may run routers at once. */
const USER_PREFIX = 'ffrouter-';
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

/** Runs a command of the shadow tools, again while another process holds /etc/passwd's lock. */
function userCommand(command: string, args: string[]): void {
  for (let attempt = 1; ; attempt += 1) {
    try {
      execFileSync(command, args, { stdio: 'pipe' });
      return;
    } catch (error) {
      if (attempt >= 20) throw error;
      execFileSync('sleep', ['0.1']);
    }
  }
}

function prepareHome(publicKey: string, user: string): { home: string; root: string } {
  const home = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-dropbear-'));
  userCommand('useradd', ['--system', '--shell', '/bin/sh', '--home-dir', home, '--no-create-home', user]);
  const root = path.join(home, 'root');
  mkdirSync(path.join(home, '.ssh'));
  writeFileSync(path.join(home, '.ssh', 'authorized_keys'), `${publicKey}\n`);
  writeOpenwrtRoot(root);
  copyFileSync(path.join(FIXTURES, 'router-shell.sh'), path.join(home, 'router-shell.sh'));
  chmodSync(path.join(home, 'router-shell.sh'), 0o755);
  execFileSync('chown', ['-R', `${user}:`, home]);
  chmodSync(path.join(home, '.ssh'), 0o700);
  chmodSync(path.join(home, '.ssh', 'authorized_keys'), 0o600);
  execFileSync('dropbearkey', ['-t', 'ed25519', '-f', path.join(home, 'host_key')], { stdio: 'ignore' });
  return { home, root };
}

/** Starts dropbear on a fresh fake router (see DropbearRouter). */
export async function startDropbearRouter(): Promise<DropbearRouter> {
  const keys = generateKeyPair();
  const user = `${USER_PREFIX}${randomBytes(4).toString('hex')}`;
  const { home, root } = prepareHome(keys.public, user);
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
    execFileSync('chown', [`${user}:`, file]);
  }
  return {
    user,
    port,
    home,
    root,
    privateKey: keys.private,
    setNextRelease: (targetOs) => writeRootFile('etc/next-board.json', boardJson(targetOs)),
    writeRootFile,
    async stop() {
      clearInterval(watcher);
      dropbear.kill('SIGTERM');
      await new Promise((resolve) => (dropbear.exitCode === null ? dropbear.once('exit', resolve) : resolve(null)));
      // --force: a connection process the kill has not reaped yet does not keep the user.
      userCommand('userdel', ['--force', user]);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * Registers the router as a device of the harness's organization, logging in by its key (credentials of
 * its own); answers the device's id.
 */
export async function addDropbearDevice(h: Harness, router: DropbearRouter, macAddress: string): Promise<string> {
  const credentials = await h.api.post('/api/v1/credentials/', {
    organization: h.organizationId,
    name: `dropbear key ${macAddress}`,
    username: router.user,
    private_key: router.privateKey,
  });
  if (credentials.statusCode !== 201) throw new Error(`credentials: ${credentials.body}`);
  const device = await h.api.post('/api/v1/devices/', {
    organization: h.organizationId,
    name: `dropbear-router-${macAddress.slice(-2)}`,
    mac_address: macAddress,
    model: 'TP-Link Archer C7 v2',
    board_name: 'tplink,archer-c7-v2',
    os: DROPBEAR_FIRST_OS,
    management_ip: '127.0.0.1',
    ssh_port: router.port,
    credentials: credentials.json().id,
  });
  if (device.statusCode !== 201) throw new Error(`device: ${device.body}`);
  return device.json().id as string;
}
