import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/platform/paths.js';
import { boardJson, lineCount, OPENWRT_FIRST_OS, writeOpenwrtRoot } from './openwrt-root.js';
import { BUSYBOX, skipWithout } from './system-tools.js';

/**
 * A router for the pull agent: a chroot of a fake OpenWrt root (test/helpers/openwrt-root.ts) whose
 * every tool is the real busybox (Debian's static build: sh is ash, wget, sha256sum, df, tar…), plus the
 * scripted `ubus` and `sysupgrade`. The agent script runs in it as on a router and reaches the server
 * through 127.0.0.1 (the chroot shares the network). No procd: the test starts `fleetflash-agent run` as
 * the service would, and after a flash (flash.log grows) or a reboot (reboot.log) kills it as sysupgrade
 * does and starts it again on the next "boot", unless told the router never comes back; init scripts run
 * through a scripted /etc/rc.common that records in service.log what procd would be told. Needs root (chroot, mknod).
 */

/**
 * Whether a test file cannot use the busybox router here (no busybox, or not root for chroot and mknod): it
 * then skips, with the reason; under CI=true it throws instead (skipWithout).
 */
export function skipWithoutBusyboxRouter(file: string): boolean {
  const notRoot = process.getuid?.() === 0 ? null : 'needs root (chroot and mknod of the busybox router)';
  return skipWithout(file, [BUSYBOX], notRoot);
}

export const AGENT_SCRIPT = path.join(PROJECT_ROOT, 'agent', 'fleetflash-agent.sh');
export const AGENT_INSTALLER = path.join(PROJECT_ROOT, 'agent', 'install.sh');
export const ROUTER_MAC = '02:bb:00:00:00:01';

export interface AgentRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface BusyboxRouter {
  /** The chroot's directory on the test machine. */
  readonly root: string;
  /** Runs `fleetflash-agent <args>` once in the chroot (enroll, status). */
  agent(args: string[]): Promise<AgentRun>;
  /** Runs any command line of the chroot's busybox sh (e.g. the installer). */
  shell(script: string): Promise<AgentRun>;
  /** Starts the service (`fleetflash-agent run`), restarted after each flash that "reboots". */
  startService(): void;
  /** Stops the service as procd would (SIGTERM to its process group); no restart. */
  stopService(): Promise<void>;
  /** What the service printed so far (every run of it). */
  serviceLog(): string;
  /** The release the next flash boots into ("OpenWrt <version> <revision>"); the old one for a failed flash. */
  setNextRelease(targetOs: string): void;
  /** false: after the next flash the router never comes back (the service is not started again). */
  setComesBack(comesBack: boolean): void;
  /** `sysupgrade -T` refuses every image with this output (null: accepts them again). */
  refuseImages(output: string | null): void;
  /** The flash itself (`sysupgrade <flags> <image>`) fails with this output (null: it flashes again). */
  refuseFlash(output: string | null): void;
  /** MemAvailable of the fake /proc/meminfo, in KiB. */
  setMemAvailable(kib: number): void;
  /** Arguments of every flash (`flashed <flags> <image>`), one per line of flash.log. */
  flashes(): string[];
  /** The agent's state file (/etc/fleetflash/state) as key → value. */
  state(): Record<string, string>;
  bootId(): string;
  readRootFile(relative: string): string | null;
  writeRootFile(relative: string, content: string): void;
  stop(): Promise<void>;
}

/** Environment of the agent in the chroot: only what a procd service has, and short waits. */
const AGENT_ENV = {
  PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
  HOME: '/',
  FLEETFLASH_AGENT_BACKOFF: '1',
  FLEETFLASH_AGENT_STALL: '3',
  FLEETFLASH_AGENT_PROGRESS: '1',
};

function meminfo(availableKib: number): string {
  return `MemTotal:         125000 kB\nMemFree:          ${availableKib} kB\nMemAvailable:     ${availableKib} kB\n`;
}

function prepareRoot(mac: string): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-busybox-'));
  writeOpenwrtRoot(root);
  for (const dir of ['sbin', 'usr/bin', 'usr/sbin', 'dev', 'lib/upgrade/keep.d', 'sys/class/net/eth0'])
    mkdirSync(path.join(root, dir), { recursive: true });
  copyFileSync(BUSYBOX.command, path.join(root, 'bin', 'busybox'));
  // Every applet as a link to busybox, except the scripted ubus and sysupgrade already in bin/.
  execFileSync('/usr/sbin/chroot', [root, '/bin/busybox', '--install', '-s', '/bin']);
  execFileSync('mknod', ['-m', '666', path.join(root, 'dev', 'null'), 'c', '1', '3']);
  writeFileSync(path.join(root, 'etc', 'next-board.json'), boardJson(OPENWRT_FIRST_OS));
  writeFileSync(path.join(root, 'proc', 'meminfo'), meminfo(90_000));
  // busybox df finds the filesystem of /tmp through /proc/mounts.
  writeFileSync(path.join(root, 'proc', 'mounts'), 'rootfs / rootfs rw 0 0\ntmpfs /tmp tmpfs rw 0 0\n');
  // The boot id the next "boot" gets (the scripted sysupgrade copies it to boot_id).
  writeFileSync(path.join(root, 'proc', 'sys', 'kernel', 'random', 'uuid'), `${randomUUID()}\n`);
  writeFileSync(path.join(root, 'sys', 'class', 'net', 'eth0', 'address'), `${mac}\n`);
  // No procd: init scripts run through a scripted rc.common that records what procd would be told.
  copyFileSync(
    path.join(PROJECT_ROOT, 'test', 'fixtures', 'openwrt-root', 'rc.common'),
    path.join(root, 'etc', 'rc.common'),
  );
  execFileSync('chmod', ['755', path.join(root, 'etc', 'rc.common')]);
  copyFileSync(AGENT_SCRIPT, path.join(root, 'usr', 'sbin', 'fleetflash-agent'));
  execFileSync('chmod', ['755', path.join(root, 'usr', 'sbin', 'fleetflash-agent')]);
  return root;
}

function collect(child: ChildProcess): Promise<AgentRun> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (data: Buffer) => {
      stdout += data.toString();
    });
    child.stderr?.on('data', (data: Buffer) => {
      stderr += data.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Prepares the chroot (see BusyboxRouter); the service is not started. */
export function startBusyboxRouter(options: { mac?: string; env?: Record<string, string> } = {}): BusyboxRouter {
  const root = prepareRoot(options.mac ?? ROUTER_MAC);
  const file = (relative: string) => path.join(root, relative);
  let service: ChildProcess | null = null;
  let log = '';
  let comesBack = true;
  let flashesSeen = 0;
  let rebootsSeen = 0;

  function spawnInRoot(args: string[]): ChildProcess {
    return spawn('/usr/sbin/chroot', [root, ...args], { env: { ...AGENT_ENV, ...options.env }, detached: true });
  }

  function startService(): void {
    const child = spawnInRoot(['/bin/sh', '/usr/sbin/fleetflash-agent', 'run']);
    child.stdout?.on('data', (data: Buffer) => {
      log += data.toString();
    });
    child.stderr?.on('data', (data: Buffer) => {
      log += data.toString();
    });
    service = child;
  }

  function killService(signal: NodeJS.Signals): Promise<void> {
    const child = service;
    service = null;
    if (!child?.pid || child.exitCode !== null) return Promise.resolve();
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
    try {
      // The whole process group: the agent, its wget and the scripted sysupgrade's sleep.
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
    return exited;
  }

  // The "reboot": sysupgrade (or `reboot`, after a configuration restore) kills every process and the router
  // boots, whose procd starts the service again; the next boot after that gets a new boot id.
  const watcher = setInterval(() => {
    const flashed = lineCount(file('flash.log')) > flashesSeen;
    const rebooted = lineCount(file('reboot.log')) > rebootsSeen;
    if (!flashed && !rebooted) return;
    if (flashed) flashesSeen += 1;
    else rebootsSeen += 1;
    log += flashed ? `--- flash ${flashesSeen}: reboot` : `--- reboot ${rebootsSeen}`;
    log += `${comesBack ? '' : ' (never comes back)'}\n`;
    void killService('SIGKILL').then(() => {
      writeFileSync(file('proc/sys/kernel/random/uuid'), `${randomUUID()}\n`);
      if (comesBack) startService();
    });
  }, 20);

  return {
    root,
    agent: (args) => collect(spawnInRoot(['/bin/sh', '/usr/sbin/fleetflash-agent', ...args])),
    shell: (script) => collect(spawnInRoot(['/bin/sh', '-c', script])),
    startService,
    stopService: () => killService('SIGTERM'),
    serviceLog: () => log,
    setNextRelease: (targetOs) => writeFileSync(file('etc/next-board.json'), boardJson(targetOs)),
    setComesBack(value) {
      comesBack = value;
    },
    refuseImages(output) {
      if (output === null) rmSync(file('etc/sysupgrade-test-refuses'), { force: true });
      else writeFileSync(file('etc/sysupgrade-test-refuses'), `${output}\n`);
    },
    refuseFlash(output) {
      if (output === null) rmSync(file('etc/sysupgrade-flash-refuses'), { force: true });
      else writeFileSync(file('etc/sysupgrade-flash-refuses'), `${output}\n`);
    },
    setMemAvailable: (kib) => writeFileSync(file('proc/meminfo'), meminfo(kib)),
    flashes: () => (existsSync(file('flash.log')) ? readFileSync(file('flash.log'), 'utf8').trim().split('\n') : []),
    state() {
      const text = existsSync(file('etc/fleetflash/state')) ? readFileSync(file('etc/fleetflash/state'), 'utf8') : '';
      return Object.fromEntries(
        text
          .split('\n')
          .filter((line) => line.includes('='))
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      );
    },
    bootId: () => readFileSync(file('proc/sys/kernel/random/boot_id'), 'utf8').trim(),
    readRootFile: (relative) => (existsSync(file(relative)) ? readFileSync(file(relative), 'utf8') : null),
    writeRootFile: (relative, content) => writeFileSync(file(relative), content),
    async stop() {
      clearInterval(watcher);
      await killService('SIGKILL');
      rmSync(root, { recursive: true, force: true });
    },
  };
}
