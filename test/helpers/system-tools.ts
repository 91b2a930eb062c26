import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/**
 * Tests that drive a system program (dropbear, make, zstd) need it installed. `npm test` on a
 * machine with only Node.js skips them with one line naming the Debian package; under `CI=true`
 * (where .ci/run installs every package) a missing program fails the file instead, so CI can never
 * pass by skipping.
 */

export interface SystemTool {
  /** A command looked up on PATH, or an absolute path. */
  command: string;
  /** The Debian package that provides it. */
  aptPackage: string;
  /** What the test uses it for, shown in the skip line. */
  purpose?: string;
}

/** zstd: the fixture upstream packs its ImageBuilder archives as .tar.zst, as OpenWrt does. */
export const ZSTD: SystemTool = { command: 'zstd', aptPackage: 'zstd' };
/** xz: 23.05 ImageBuilder archives (the fixture's too) are .tar.xz. */
export const XZ: SystemTool = { command: 'xz', aptPackage: 'xz-utils' };
/** make: every ImageBuilder (the synthetic one too) is driven through its Makefile. */
export const MAKE: SystemTool = { command: 'make', aptPackage: 'make' };
/** dropbear: the SSH server OpenWrt routers run. */
export const DROPBEAR: SystemTool = { command: '/usr/sbin/dropbear', aptPackage: 'dropbear-bin' };

/** busybox (static: it runs alone in a chroot): the shell and tools of OpenWrt, for the pull agent's script. */
export const BUSYBOX: SystemTool = { command: '/bin/busybox', aptPackage: 'busybox-static' };

/** systemd-analyze: checks the systemd units in deploy/systemd. */
export const SYSTEMD_ANALYZE: SystemTool = { command: 'systemd-analyze', aptPackage: 'systemd' };

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Whether `command` can be run: an executable absolute path, or found on PATH. */
export function commandExists(command: string, searchPath = process.env.PATH ?? ''): boolean {
  if (command.includes('/')) return isExecutable(command);
  return searchPath
    .split(path.delimiter)
    .filter(Boolean)
    .some((dir) => isExecutable(path.join(dir, command)));
}

/** The reason the file cannot run (one line), or null when every tool is there. */
export function missingToolsReason(tools: readonly SystemTool[], searchPath?: string): string | null {
  const missing = tools.filter((tool) => !commandExists(tool.command, searchPath));
  if (missing.length === 0) return null;
  const names = missing.map((tool) => path.basename(tool.command)).join(', ');
  const packages = [...new Set(missing.map((tool) => tool.aptPackage))].join(' ');
  return `${names} not found — apt-get install ${packages}`;
}

/**
 * Call at the top of a test file and pass the result to `describe.skipIf` on each of its top-level
 * blocks (a file whose tests are all skipped runs none of its hooks either). Returns true when the
 * file must be skipped, after printing why; throws under CI=true, where nothing may be skipped.
 * `file` names what is skipped (import.meta.url: the file). `extraReason` is another precondition
 * already found unmet (e.g. not running as root).
 */
export function skipWithout(file: string, tools: readonly SystemTool[], extraReason: string | null = null): boolean {
  const reason = missingToolsReason(tools) ?? extraReason;
  if (reason === null) return false;
  const name = path.basename(file.startsWith('file:') ? new URL(file).pathname : file);
  if (process.env.CI === 'true')
    throw new Error(`${name} cannot run: ${reason} (CI=true never skips; .ci/run installs the packages)`);
  console.warn(`skipped ${name}: ${reason}`);
  return true;
}

/**
 * Which of `paths` the user `uid` (group `gid`) cannot use, checked as that user with test(1):
 * `read` files must be readable, `enter` folders (and programs) executable. A clone under a folder
 * only its owner may enter (/root, mode 700) is out of reach of an unprivileged user. Returns one
 * line naming the first such path, or null when all are reachable. Only root can switch users.
 */
export function unreachableFor(uid: number, gid: number, paths: { read?: string[]; enter?: string[] }): string | null {
  const checks = [
    ...(paths.enter ?? []).map((file) => ['-x', file]),
    ...(paths.read ?? []).map((file) => ['-r', file]),
  ];
  for (const [flag, file] of checks) {
    const result = spawnSync('test', [flag!, file!], { uid, gid, stdio: 'ignore' });
    if (result.error) return `cannot run test(1) as uid ${uid} (${result.error.message})`;
    if (result.status !== 0) return `uid ${uid} cannot ${flag === '-x' ? 'enter' : 'read'} ${file}`;
  }
  return null;
}
