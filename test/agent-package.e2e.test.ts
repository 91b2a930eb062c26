import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/platform/paths.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { BUSYBOX, commandExists } from './helpers/system-tools.js';

/**
 * GET /agent/fleetflash-agent.ipk from the real server over HTTP, unpacked with the system's tar (and
 * busybox tar, the one OpenWrt has): members, modes, control fields, maintainer scripts, and the packaged
 * files against what the server serves and the installer writes. Its install on a busybox router is
 * test/agent-package-install.e2e.test.ts.
 */

let t: TestApp;
let url: string;
let agentDir: string;
let work: string;

beforeAll(async () => {
  // A copy of agent/, so a test can change the files the server builds from.
  agentDir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-agent-files-'));
  cpSync(path.join(PROJECT_ROOT, 'agent'), agentDir, { recursive: true });
  work = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-ipk-'));
  t = await createTestApp({}, { agentScriptsDir: agentDir });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(t.app.server.address() as net.AddressInfo).port}`;
});

afterAll(async () => {
  await t?.close();
  rmSync(agentDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  expect(result.status, `${command} ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout;
}

/** `tar -tv` lines as "mode path" (e.g. "-rwxr-xr-x ./usr/sbin/fleetflash-agent"). */
function listing(tar: string[], archive: string, cwd: string): string[] {
  return run(tar[0]!, [...tar.slice(1), '-tvzf', archive], cwd)
    .trim()
    .split('\n')
    .map((line) => {
      const fields = line.trim().split(/\s+/);
      return `${fields[0]} ${fields.at(-1)}`;
    });
}

/** The package unpacked into a fresh folder with `tar` (a command line: ['tar'] or ['busybox', 'tar']). */
function unpack(bytes: Buffer, tar: string[]) {
  const dir = mkdtempSync(path.join(work, 'unpacked-'));
  writeFileSync(path.join(dir, 'package.ipk'), bytes);
  const outer = listing(tar, 'package.ipk', dir);
  run(tar[0]!, [...tar.slice(1), '-xzf', 'package.ipk'], dir);
  for (const part of ['data', 'control']) {
    mkdirSync(path.join(dir, part));
    run(tar[0]!, [...tar.slice(1), '-xzf', `../${part}.tar.gz`], path.join(dir, part));
  }
  return {
    dir,
    outer,
    data: listing(tar, 'data.tar.gz', dir),
    control: listing(tar, 'control.tar.gz', dir),
    file: (relative: string) => readFileSync(path.join(dir, relative)),
    mode: (relative: string) => statSync(path.join(dir, relative)).mode & 0o777,
  };
}

/** What install.sh writes to `file` with its `cat > file <<'TAG'` here-document, cut out by line. */
function installerWrites(file: string): string {
  const lines = readFileSync(path.join(agentDir, 'install.sh'), 'utf8').split('\n');
  const start = lines.findIndex((line) => line.startsWith(`cat > ${file} <<'`));
  expect(start, `install.sh writes ${file}`).toBeGreaterThanOrEqual(0);
  const tag = /<<'(\w+)'/.exec(lines[start]!)![1]!;
  const end = lines.indexOf(tag, start + 1);
  return `${lines.slice(start + 1, end).join('\n')}\n`;
}

const DATA_LISTING = [
  'drwxr-xr-x ./',
  'drwxr-xr-x ./etc/',
  'drwxr-xr-x ./etc/init.d/',
  'drwxr-xr-x ./lib/',
  'drwxr-xr-x ./lib/upgrade/',
  'drwxr-xr-x ./lib/upgrade/keep.d/',
  'drwxr-xr-x ./usr/',
  'drwxr-xr-x ./usr/sbin/',
  '-rwxr-xr-x ./usr/sbin/fleetflash-agent',
  '-rwxr-xr-x ./etc/init.d/fleetflash',
  '-rw-r--r-- ./lib/upgrade/keep.d/fleetflash',
];

async function fetchPackage(init?: RequestInit): Promise<{ response: Response; bytes: Buffer }> {
  const response = await fetch(`${url}/agent/fleetflash-agent.ipk`, init);
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

describe('GET /agent/fleetflash-agent.ipk', () => {
  it('is an ipkg-build style package of the served script, the service and the keep.d list', async () => {
    const { response, bytes } = await fetchPackage();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    const version = /^VERSION=(.+)$/m.exec(readFileSync(path.join(agentDir, 'fleetflash-agent.sh'), 'utf8'))![1]!;
    expect(response.headers.get('content-disposition')).toContain(`filename="fleetflash-agent_${version}_all.ipk"`);

    const ipk = unpack(bytes, ['tar']);
    expect(ipk.outer).toEqual([
      '-rw-r--r-- ./debian-binary',
      '-rw-r--r-- ./data.tar.gz',
      '-rw-r--r-- ./control.tar.gz',
    ]);
    expect(ipk.file('debian-binary').toString()).toBe('2.0\n');
    expect(ipk.data).toEqual(DATA_LISTING);
    const served = Buffer.from(await (await fetch(`${url}/agent/fleetflash-agent.sh`)).arrayBuffer());
    expect(ipk.file('data/usr/sbin/fleetflash-agent').equals(served)).toBe(true);
    expect(ipk.mode('data/usr/sbin/fleetflash-agent')).toBe(0o755);
    expect(ipk.file('data/etc/init.d/fleetflash').toString()).toBe(installerWrites('/etc/init.d/fleetflash'));
    expect(ipk.file('data/etc/init.d/fleetflash').toString()).toContain(
      'procd_set_param command /usr/sbin/fleetflash-agent run',
    );
    expect(ipk.mode('data/etc/init.d/fleetflash')).toBe(0o755);
    const keep = ipk.file('data/lib/upgrade/keep.d/fleetflash').toString();
    expect(keep).toBe(installerWrites('/lib/upgrade/keep.d/fleetflash'));
    expect(keep.split('\n')).toEqual(expect.arrayContaining(['/usr/sbin/fleetflash-agent', '/etc/config/fleetflash']));
    expect(ipk.mode('data/lib/upgrade/keep.d/fleetflash')).toBe(0o644);

    expect(ipk.control).toEqual([
      'drwxr-xr-x ./',
      '-rw-r--r-- ./control',
      '-rwxr-xr-x ./postinst',
      '-rwxr-xr-x ./prerm',
    ]);
    const control = ipk.file('control/control').toString();
    const fields = Object.fromEntries(
      control
        .split('\n')
        .filter((line) => /^[A-Z][\w-]*: /.test(line))
        .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
    );
    const installedSize = ['usr/sbin/fleetflash-agent', 'etc/init.d/fleetflash', 'lib/upgrade/keep.d/fleetflash']
      .map((file) => statSync(path.join(ipk.dir, 'data', file)).size)
      .reduce((a, b) => a + b, 0);
    expect(fields).toEqual({
      Package: 'fleetflash-agent',
      Version: version,
      Depends: 'base-files, busybox, procd, ubus',
      Section: 'admin',
      Architecture: 'all',
      'Installed-Size': String(installedSize),
      Maintainer: 'fleetflash',
      Description: expect.stringContaining('fleetflash pull agent'),
    });
    // A continuation line of the description starts with a space, as the control format requires.
    expect(control).toMatch(/\n from behind NAT\. Enroll with: fleetflash-agent enroll /);
    expect(control.endsWith('\n')).toBe(true);
  });

  it('has maintainer scripts: postinst enables and starts, prerm stops and disables, not in image builds', async () => {
    const ipk = unpack((await fetchPackage()).bytes, ['tar']);
    // The scripts call /etc/init.d/fleetflash; a recorder stands in for it here (the busybox router test runs
    // them against the real init script).
    const recorder = path.join(ipk.dir, 'init-recorder');
    writeFileSync(recorder, `#!/bin/sh\necho "$1" >> "${ipk.dir}/calls"\n`, { mode: 0o755 });
    const runScript = (name: string, instroot: string) => {
      const script = ipk.file(`control/${name}`).toString().replaceAll('/etc/init.d/fleetflash', recorder);
      rmSync(path.join(ipk.dir, 'calls'), { force: true });
      const result = spawnSync('sh', ['-c', script], {
        encoding: 'utf8',
        env: { PATH: '/usr/bin:/bin', IPKG_INSTROOT: instroot },
      });
      expect(result.status, result.stderr).toBe(0);
      const calls = path.join(ipk.dir, 'calls');
      return existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n') : [];
    };
    expect(ipk.file('control/postinst').toString()).toMatch(/^#!\/bin\/sh\n/);
    expect(runScript('postinst', '')).toEqual(['enable', 'restart']);
    expect(runScript('prerm', '')).toEqual(['stop', 'disable']);
    expect(runScript('postinst', '/build/root')).toEqual([]);
    expect(runScript('prerm', '/build/root')).toEqual([]);
  });

  it.skipIf(!commandExists(BUSYBOX.command))('unpacks the same with busybox tar, the tar of OpenWrt', async () => {
    const { bytes } = await fetchPackage();
    const gnu = unpack(bytes, ['tar']);
    const busybox = unpack(bytes, [BUSYBOX.command, 'tar']);
    expect(busybox.outer.map((line) => line.split(' ')[1])).toEqual([
      './debian-binary',
      './data.tar.gz',
      './control.tar.gz',
    ]);
    expect(busybox.data).toEqual(DATA_LISTING);
    for (const file of ['usr/sbin/fleetflash-agent', 'etc/init.d/fleetflash', 'lib/upgrade/keep.d/fleetflash']) {
      expect(busybox.file(`data/${file}`).equals(gnu.file(`data/${file}`)), file).toBe(true);
      expect(busybox.mode(`data/${file}`), file).toBe(gnu.mode(`data/${file}`));
    }
    expect(busybox.file('control/control').equals(gnu.file('control/control'))).toBe(true);
  });

  it('answers HEAD and If-None-Match from its ETag, and is rebuilt when the agent files change', async () => {
    const first = await fetchPackage();
    const etag = first.response.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    const head = await fetch(`${url}/agent/fleetflash-agent.ipk`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(etag);
    expect(head.headers.get('content-length')).toBe(String(first.bytes.length));
    const again = await fetchPackage();
    expect(again.bytes.equals(first.bytes)).toBe(true);
    const unchanged = await fetchPackage({ headers: { 'if-none-match': etag } });
    expect(unchanged.response.status).toBe(304);
    expect(unchanged.bytes.length).toBe(0);

    const scriptFile = path.join(agentDir, 'fleetflash-agent.sh');
    const original = readFileSync(scriptFile, 'utf8');
    try {
      writeFileSync(scriptFile, original.replace(/^VERSION=.*$/m, 'VERSION=9.8.7'));
      const changed = await fetchPackage({ headers: { 'if-none-match': etag } });
      expect(changed.response.status).toBe(200);
      expect(changed.response.headers.get('etag')).not.toBe(etag);
      expect(changed.response.headers.get('content-disposition')).toContain('fleetflash-agent_9.8.7_all.ipk');
      const ipk = unpack(changed.bytes, ['tar']);
      expect(ipk.file('data/usr/sbin/fleetflash-agent').toString()).toContain('\nVERSION=9.8.7\n');
      expect(ipk.file('control/control').toString()).toContain('\nVersion: 9.8.7\n');
    } finally {
      writeFileSync(scriptFile, original);
    }
    expect((await fetchPackage()).response.headers.get('etag')).toBe(etag);
  });

  it('is a clear 404 when the server has no installer to take the service from', async () => {
    const installer = path.join(agentDir, 'install.sh');
    const saved = readFileSync(installer);
    rmSync(installer);
    try {
      const { response, bytes } = await fetchPackage();
      expect(response.status).toBe(404);
      // The agent's endpoints answer in key=value lines, errors too.
      expect(bytes.toString()).toMatch(/^code=RouteNotFound$/m);
      expect(bytes.toString()).toContain('install.sh is not installed on this server');
    } finally {
      writeFileSync(installer, saved);
    }
  });
});
