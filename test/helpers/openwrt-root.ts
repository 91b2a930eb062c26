import { randomUUID } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/platform/paths.js';

/**
 * A fake OpenWrt root on the test machine's disk, shared by the real-dropbear router (commands run by
 * the real /bin/sh with paths pointed into it) and the busybox router (a chroot of it). Only `ubus`,
 * `sysupgrade` and `reboot` are scripted (test/fixtures/openwrt-root); they find the root in
 * $ROUTER_ROOT, empty inside a chroot. Flashes and reboots are recorded in flash.log and reboot.log
 * beside the root (in it, for a chroot).
 */

export const OPENWRT_FIRST_OS = 'OpenWrt 23.05.2 r23630-842932a63d';
const SCRIPTED_TOOLS = path.join(PROJECT_ROOT, 'test', 'fixtures', 'openwrt-root');

/** `ubus call system board` of a TP-Link Archer C7 v2 running `targetOs` ("OpenWrt <version> <revision>"). */
export function boardJson(targetOs: string): string {
  const [, version, revision] = targetOs.split(' ');
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

/** Lines in a file (0 when it does not exist): how many flashes or reboots the scripted tools recorded. */
export function lineCount(file: string): number {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 1 : 0;
}

/** Writes the fake root: board, release, hostname, boot id, and the scripted tools in its bin/. */
export function writeOpenwrtRoot(root: string): void {
  for (const dir of ['tmp', 'etc/init.d', 'etc/config', 'bin', 'proc/sys/kernel/random', 'proc/sys/vm'])
    mkdirSync(path.join(root, dir), { recursive: true });
  writeFileSync(path.join(root, 'etc', 'board.json'), boardJson(OPENWRT_FIRST_OS));
  writeFileSync(path.join(root, 'etc', 'openwrt_release'), "DISTRIB_ID='OpenWrt'\nDISTRIB_RELEASE='23.05.2'\n");
  writeFileSync(path.join(root, 'etc', 'config', 'system'), "config system\n\toption hostname 'dropbear-router'\n");
  writeFileSync(path.join(root, 'proc', 'sys', 'kernel', 'random', 'boot_id'), `${randomUUID()}\n`);
  writeFileSync(path.join(root, 'proc', 'sys', 'vm', 'drop_caches'), '0\n');
  for (const script of ['ubus', 'sysupgrade', 'reboot']) {
    copyFileSync(path.join(SCRIPTED_TOOLS, script), path.join(root, 'bin', script));
    chmodSync(path.join(root, 'bin', script), 0o755);
  }
}
