import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { AppError } from '../../platform/errors.js';
import { type TarEntry, writeTar } from '../../platform/tar-archive.js';
import { type AgentFiles, agentFilesOf } from './agent-first-boot.js';

/**
 * The agent as an opkg package (`fleetflash-agent_<version>_all.ipk`) for the OpenWrt releases that use
 * opkg (up to 24.10), laid out as OpenWrt's ipkg-build lays it out: a gzip'd tar of `./debian-binary`,
 * `./data.tar.gz` and `./control.tar.gz`. Built from the files the server serves (agent/), so the package,
 * `GET /agent/fleetflash-agent.sh` and the installer can never disagree: the script as it is, and the procd
 * service and keep.d list exactly as install.sh writes them (taken from its here-documents, as a custom
 * image's first-boot script takes them: agent-first-boot.ts).
 */

export const PACKAGE_NAME = 'fleetflash-agent';
const SCRIPT = '/usr/sbin/fleetflash-agent';
const SERVICE = '/etc/init.d/fleetflash';
const KEEP_LIST = '/lib/upgrade/keep.d/fleetflash';

// Every member is stamped with one fixed time: the same agent files give the same bytes on every server,
// so the package's hash (its ETag) follows its content only.
const MTIME = 0;

// Maintainer scripts do nothing inside an image build ($IPKG_INSTROOT set): nothing may start on the build
// machine, and the build enables every /etc/init.d script of the image itself when it prepares the rootfs.
// Starting the service before enrollment is harmless: the agent exits when it is not enrolled and procd
// starts it again 30 s later, so `fleetflash-agent enroll` is all that is left to do. On a package upgrade
// the restart puts the new script to work at once.
const POSTINST = `#!/bin/sh
[ -n "$IPKG_INSTROOT" ] && exit 0
${SERVICE} enable
${SERVICE} restart
exit 0
`;
// opkg runs prerm on removal only (not on upgrade): stop the agent and drop its rc.d links.
const PRERM = `#!/bin/sh
[ -n "$IPKG_INSTROOT" ] && exit 0
${SERVICE} stop
${SERVICE} disable
exit 0
`;

export interface AgentPackage {
  bytes: Buffer;
  version: string;
  /** `fleetflash-agent_<version>_all.ipk`, the name opkg feeds give such a package. */
  fileName: string;
  sha256: string;
}

/** The script's `VERSION=`, checked to be a version opkg compares (digits first). */
export function scriptVersion(script: string): string {
  const version = /^VERSION=([^\s'"]+)$/m.exec(script)?.[1];
  if (!version || !/^\d[\w.+~]*$/.test(version))
    throw new Error('agent/fleetflash-agent.sh has no VERSION=<version> line opkg could use as the package version');
  return version;
}

/** The .ipk of the agent script and the service and keep.d list the installer writes. */
export function buildAgentPackage(agent: AgentFiles): AgentPackage {
  const version = scriptVersion(agent.script);
  // The here-documents come without their last newline; `cat` writes it.
  const files = [
    { path: SCRIPT, mode: 0o755, content: Buffer.from(agent.script) },
    { path: SERVICE, mode: 0o755, content: Buffer.from(`${agent.service}\n`) },
    { path: KEEP_LIST, mode: 0o644, content: Buffer.from(`${agent.keepList}\n`) },
  ];
  const installedSize = files.reduce((sum, file) => sum + file.content.length, 0);
  const control = [
    `Package: ${PACKAGE_NAME}`,
    `Version: ${version}`,
    // Only what every OpenWrt image has: the agent is a busybox ash script run by procd.
    'Depends: base-files, busybox, procd, ubus',
    'Section: admin',
    'Architecture: all',
    `Installed-Size: ${installedSize}`,
    'Maintainer: fleetflash',
    'Description: fleetflash pull agent: upgrades this router in the rollouts of a fleetflash server, polling it',
    ' from behind NAT. Enroll with: fleetflash-agent enroll <server url> <organization> <registration secret>',
    '',
  ].join('\n');

  const data = gzipTar([
    { path: './', type: 'directory', mode: 0o755 },
    ...withDirectories(files.map((file) => file.path)).map(
      (dir): TarEntry => ({
        path: `.${dir}/`,
        type: 'directory',
        mode: 0o755,
      }),
    ),
    ...files.map((file): TarEntry => ({ path: `.${file.path}`, type: 'file', mode: file.mode, content: file.content })),
  ]);
  const controlArchive = gzipTar([
    { path: './', type: 'directory', mode: 0o755 },
    { path: './control', type: 'file', mode: 0o644, content: Buffer.from(control) },
    { path: './postinst', type: 'file', mode: 0o755, content: Buffer.from(POSTINST) },
    { path: './prerm', type: 'file', mode: 0o755, content: Buffer.from(PRERM) },
  ]);
  const bytes = gzipTar([
    { path: './debian-binary', type: 'file', mode: 0o644, content: Buffer.from('2.0\n') },
    { path: './data.tar.gz', type: 'file', mode: 0o644, content: data },
    { path: './control.tar.gz', type: 'file', mode: 0o644, content: controlArchive },
  ]);
  return {
    bytes,
    version,
    fileName: `${PACKAGE_NAME}_${version}_all.ipk`,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

function gzipTar(entries: TarEntry[]): Buffer {
  return gzipSync(writeTar(entries, MTIME), { level: 9 });
}

/** Every parent directory of the files, parents first, sorted (`/etc`, `/etc/init.d`, `/lib`, …). */
function withDirectories(files: string[]): string[] {
  const dirs = new Set<string>();
  for (const file of files) {
    for (let dir = path.posix.dirname(file); dir !== '/'; dir = path.posix.dirname(dir)) dirs.add(dir);
  }
  return [...dirs].sort();
}

/** One of the agent's files (agent/), or a clear 404 when this server's installation lacks it. */
export async function readAgentFile(dir: string, name: string): Promise<Buffer> {
  try {
    return await readFile(path.join(dir, name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new AppError('RouteNotFound', `${name} is not installed on this server (missing from its agent/ folder).`);
  }
}

/**
 * The package of the agent files as they are now: read at every request (two small files), built only
 * when their content changed since the last build (the last package is kept, keyed by their hash).
 */
export class AgentPackages {
  private last: { key: string; built: AgentPackage } | undefined;

  constructor(private readonly dir: string) {}

  async current(): Promise<AgentPackage> {
    const script = await readAgentFile(this.dir, 'fleetflash-agent.sh');
    const installer = await readAgentFile(this.dir, 'install.sh');
    const key = createHash('sha256').update(`${script.length}:`).update(script).update(installer).digest('hex');
    if (this.last?.key !== key)
      this.last = { key, built: buildAgentPackage(agentFilesOf(script.toString(), installer.toString())) };
    return this.last.built;
  }
}
