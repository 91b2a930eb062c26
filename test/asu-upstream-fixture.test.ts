import { execFile } from 'node:child_process';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFwtoolMetadata } from '../src/modules/firmware/fwtool.js';
import {
  FIXTURE,
  imagebuilderArchiveName,
  startUpstreamFixture,
  type UpstreamFixture,
} from './helpers/asu-upstream.js';
import { MAKE, XZ, ZSTD, skipWithout } from './helpers/system-tools.js';

const skip = skipWithout(import.meta.url, [MAKE, ZSTD, XZ]);

const V = '23.05.3';
const TARGET_DIR = `/releases/${V}/targets/ath79/generic`;
const ARCHIVE = imagebuilderArchiveName(V, 'ath79/generic');

let upstream: UpstreamFixture;
let workDir: string;
let ibDir: string;

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** usign: base64 line → "Ed", 8-byte key number, then the key or the signature. */
function usignPayload(file: string): Buffer {
  return Buffer.from(file.trim().split('\n').at(-1)!, 'base64').subarray(10);
}

function usignVerifies(message: Buffer, signatureFile: string, publicKeyFile: string): boolean {
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: usignPayload(publicKeyFile).toString('base64url') },
    format: 'jwk',
  });
  return verify(null, message, key, usignPayload(signatureFile));
}

async function download(
  urlPath: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Buffer; headers: Headers }> {
  const response = await fetch(`${upstream.url}${urlPath}`, { headers });
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()), headers: response.headers };
}

// Real ImageBuilders run unprivileged: when the tests run as root, so does nobody here.
const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

function make(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('make', args, { cwd: ibDir, env: { PATH: process.env.PATH }, ...asNobody }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  upstream = await startUpstreamFixture();
  workDir = await mkdtemp(path.join(os.tmpdir(), 'asu-upstream-test-'));
  await chmod(workDir, 0o755);
  ibDir = path.join(workDir, 'ib');
  await mkdir(ibDir);
});

afterAll(async () => {
  await upstream?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe.skipIf(skip)('fake OpenWrt download server', () => {
  it('serves the version, target, profile and package documents', async () => {
    const versions = await download('/.versions.json');
    expect(versions.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(versions.body.toString())).toEqual({
      stable_version: V,
      oldstable_version: '',
      upcoming_version: '',
      versions_list: ['23.05.2', V],
    });
    expect(JSON.parse((await download(`/releases/${V}/.targets.json`)).body.toString())).toEqual(FIXTURE.targets);

    const profiles = JSON.parse((await download(`${TARGET_DIR}/profiles.json`)).body.toString());
    expect(profiles).toMatchObject({
      arch_packages: 'mips_24kc',
      version_code: 'r23809-234f1a2efa',
      metadata_version: 1,
      linux_kernel: { version: '5.15.150' },
    });
    expect(Object.keys(profiles.profiles).sort()).toEqual([
      '8dev_carambola2',
      'tplink_archer-a7-v5',
      'tplink_archer-c7-v2',
    ]);
    expect(profiles.profiles['8dev_carambola2'].supported_devices).toEqual(['8dev,carambola2', 'carambola2']);

    const targetIndex = JSON.parse((await download(`${TARGET_DIR}/packages/index.json`)).body.toString());
    expect(targetIndex.packages['base-files']).toBe('1528-r23809-234f1a2efa');
    const luci = JSON.parse((await download(`/releases/${V}/packages/mips_24kc/luci/index.json`)).body.toString());
    expect(luci).toMatchObject({
      version: 2,
      architecture: 'mips_24kc',
      packages: { 'luci-app-attendedsysupgrade': expect.any(String) },
    });
    expect((await download(`/releases/${V}/packages/mips_24kc/routing/index.json`)).status).toBe(404);
    expect((await download('/releases/19.07.0/.targets.json')).status).toBe(404);
  });

  it('answers 304 to conditional requests and counts them', async () => {
    const urlPath = `/releases/${V}/targets/x86/64/profiles.json`;
    const first = await download(urlPath);
    const etag = first.headers.get('etag')!;
    expect(first.headers.get('last-modified')).toBeTruthy();
    const second = await download(urlPath, { 'if-none-match': etag });
    expect(second.status).toBe(304);
    expect(second.body.length).toBe(0);
    expect((await download(urlPath, { 'if-modified-since': first.headers.get('last-modified')! })).status).toBe(304);
    expect(upstream.requestCount(urlPath)).toBe(3);
    expect(upstream.notModifiedCount(urlPath)).toBe(2);
  });

  it('signs sha256sums, lists the archive hash, and can tamper or go down', async () => {
    const sums = (await download(`${TARGET_DIR}/sha256sums`)).body;
    const signature = (await download(`${TARGET_DIR}/sha256sums.sig`)).body.toString();
    expect(usignVerifies(sums, signature, upstream.publicKey)).toBe(true);
    expect(usignVerifies(sums, signature, upstream.otherPublicKey)).toBe(false);

    const listed = sums
      .toString()
      .split('\n')
      .find((line) => line.endsWith(` *${ARCHIVE}`))!
      .split(' ')[0];
    const archive = await download(`${TARGET_DIR}/${ARCHIVE}`);
    expect(sha256(archive.body)).toBe(listed);
    expect(upstream.archiveSha256(V, 'ath79/generic')).toBe(listed);
    await writeFile(path.join(workDir, ARCHIVE), archive.body);

    upstream.tamper('archive');
    expect(sha256((await download(`${TARGET_DIR}/${ARCHIVE}`)).body)).not.toBe(listed);
    upstream.tamper('signature');
    expect(
      usignVerifies(sums, (await download(`${TARGET_DIR}/sha256sums.sig`)).body.toString(), upstream.publicKey),
    ).toBe(false);
    upstream.tamper(null);
    upstream.setDown(true);
    expect((await download('/.versions.json')).status).toBe(503);
    upstream.setDown(false);
  });
});

describe.skipIf(skip)('synthetic ImageBuilder', () => {
  beforeAll(async () => {
    await new Promise<void>((resolve, reject) => {
      execFile('tar', ['--xz', '-xf', path.join(workDir, ARCHIVE), '--strip-components=1', '-C', ibDir], (error) =>
        error ? reject(error) : resolve(),
      );
    });
    // make writes into the ImageBuilder's own tree (staging_dir, build_dir), as the real one does.
    if (process.getuid?.() === 0)
      await new Promise((resolve) => execFile('chown', ['-R', '65534:65534', ibDir], resolve));
  });

  it('make info prints target, revision, defaults and profiles', async () => {
    const { code, stdout } = await make('info');
    expect(code).toBe(0);
    expect(stdout).toContain(
      'Current Target: "ath79/generic"\nCurrent Architecture: "mips"\nCurrent Revision: "r23809-234f1a2efa"\n',
    );
    expect(stdout).toContain(`Default Packages: ${FIXTURE.defaultPackages.join(' ')}\n`);
    expect(stdout).toContain('tplink_archer-c7-v2:\n    TP-Link Archer C7 v2\n    Packages: kmod-usb2');
    expect(stdout).toContain('    SupportedDevices: tplink,archer-c7-v2 archer-c7-v2\n');
  });

  it('make manifest resolves the package set or fails like opkg', async () => {
    const ok = await make('manifest', 'PROFILE=tplink_archer-c7-v2', 'PACKAGES=luci-ssl -ppp', 'STRIP_ABI=1');
    expect(ok.code).toBe(0);
    const lines = ok.stdout.trim().split('\n');
    expect(lines).toContain('base-files - 1528-r23809-234f1a2efa');
    expect(lines).toContain(`luci - ${FIXTURE.packages.luci!.versions[V]}`);
    expect(lines.some((line) => line.startsWith('ppp '))).toBe(false);
    expect(lines).toEqual([...lines].sort());

    const unknown = await make('manifest', 'PROFILE=tplink_archer-c7-v2', 'PACKAGES=foo');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('Collected errors:\n * opkg_install_cmd: Cannot install package foo.\n');

    const clash = await make('manifest', 'PROFILE=tplink_archer-c7-v2', 'PACKAGES=dnsmasq-full');
    expect(clash.code).not.toBe(0);
    expect(clash.stderr).toContain(
      ' * check_data_file_clashes: Package dnsmasq-full wants to install file /usr/sbin/dnsmasq\n' +
        '\tBut that file is already provided by package  * dnsmasq\n * opkg_install_cmd: Cannot install package ' +
        'dnsmasq-full.\n',
    );

    // _check_profile: the message on stdout, make's own error lines on stderr, exit 2.
    const noProfile = await make('manifest', 'PROFILE=nope');
    expect(noProfile.code).toBe(2);
    expect(noProfile.stdout).toBe(
      'Profile "nope" does not exist!\nUse "make info" to get a list of available profile names.\n',
    );
    expect(noProfile.stderr).toMatch(
      /^make\[1\]: \*\*\* \[Makefile:\d+: _check_profile\] Error 1\nmake: \*\*\* \[Makefile:\d+: manifest\] Error 2\n$/,
    );
  });

  it('make image writes images with fwtool metadata, manifest, sha256sums and profiles.json', async () => {
    const binRoot = path.join(workDir, 'bin');
    await mkdir(path.join(workDir, 'files', 'etc', 'uci-defaults'), { recursive: true });
    await writeFile(
      path.join(workDir, 'files', 'etc', 'uci-defaults', '99-asu-defaults'),
      'uci set system.@system[0].hostname=fixture\n',
    );
    // BIN_DIR's parent must be writable by nobody (see asNobody).
    await mkdir(binRoot);
    await chmod(binRoot, 0o777);
    const binDir = path.join(binRoot, 'out');

    const built = await make(
      'image',
      'PROFILE=tplink_archer-c7-v2',
      'PACKAGES=luci vim',
      'EXTRA_IMAGE_NAME=0123456789ab',
      `BIN_DIR=${binDir}`,
      `FILES=${path.join(workDir, 'files')}`,
    );
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    const prefix = `openwrt-${V}-0123456789ab-ath79-generic-tplink_archer-c7-v2`;
    const profiles = JSON.parse(await readFile(path.join(binDir, 'profiles.json'), 'utf8'));
    const entry = profiles.profiles['tplink_archer-c7-v2'];
    expect(entry.image_prefix).toBe(prefix);
    expect(entry.images.map((image: { type: string }) => image.type)).toEqual(['sysupgrade', 'factory']);
    const sysupgrade = entry.images[0];
    expect(sysupgrade.name).toBe(`${prefix}-squashfs-sysupgrade.bin`);
    const imagePath = path.join(binDir, sysupgrade.name);
    const image = await readFile(imagePath);
    expect(sha256(image)).toBe(sysupgrade.sha256);
    expect(image.readUInt32BE(image.length - 16)).toBe(0x46577830);
    expect(image.includes('uci set system.@system[0].hostname=fixture')).toBe(true);
    expect(await readFwtoolMetadata(imagePath)).toMatchObject({
      supported_devices: ['tplink,archer-c7-v2', 'archer-c7-v2'],
      version: { version: V, revision: 'r23809-234f1a2efa', target: 'ath79/generic', board: 'tplink_archer-c7-v2' },
    });
    expect(await readFile(path.join(binDir, `${prefix}.manifest`), 'utf8')).toContain('vim - 9.0-3\n');
    expect(await readFile(path.join(binDir, 'sha256sums'), 'utf8')).toContain(
      `${sysupgrade.sha256} *${sysupgrade.name}\n`,
    );

    // The host prerequisite check runs once (its stamp is staging_dir/host/.prereq-build), then the build.
    expect(built.stdout).toMatch(
      /^Checking 'working-make'\.\.\. ok\.\n(?:Checking '[^']+'\.\.\. ok\.\n)+Building images/,
    );
    expect(built.stdout).toContain(
      '\nBuilding images for ath79 - TP-Link Archer C7 v2\nPackages: luci vim ath10k-firmware-qca988x-ct base-files ',
    );
    expect(built.stdout).toContain(
      '\nInstalling packages...\nInstalling ath10k-firmware-qca988x-ct (2020-11-08-1) to root...\n',
    );
    expect(built.stdout).toContain('\nBuilding images...\n');

    // Build/check-size: a warning on stderr, the image deleted, make goes on and exits 0.
    const bigDir = path.join(binRoot, 'big');
    const tooBig = await make('image', 'PROFILE=8dev_carambola2', 'PACKAGES=huge-package', `BIN_DIR=${bigDir}`);
    expect(tooBig.code).toBe(0);
    expect(tooBig.stderr).toMatch(
      new RegExp(
        String.raw`^WARNING: Image file \S+/tmp/openwrt-23\.05\.3-ath79-generic-8dev_carambola2-squashfs-` +
          String.raw`sysupgrade\.bin is too big: \d+ > 16252928$`,
        'm',
      ),
    );
    expect(tooBig.stdout).toContain('JSON info file script could not find any JSON files for target\n');
    await expect(readFile(path.join(bigDir, 'profiles.json'))).rejects.toThrow(/ENOENT/);

    // Declared conflicts (opkg's check_conflicts_for) and an unknown package together.
    const conflict = await make('manifest', 'PROFILE=8dev_carambola2', 'PACKAGES=tcpdump tcpdump-mini nosuch');
    expect(conflict.code).toBe(2);
    expect(conflict.stderr.replace(/Makefile:\d+/g, 'Makefile:N')).toBe(
      'Collected errors:\n' +
        ' * check_conflicts_for: The following packages conflict with tcpdump-mini:\n' +
        ' * check_conflicts_for: \ttcpdump * \n' +
        ' * opkg_install_cmd: Cannot install package tcpdump-mini.\n' +
        ' * opkg_install_cmd: Cannot install package nosuch.\n' +
        'make[2]: *** [Makefile:N: package_install] Error 255\n' +
        'make[1]: *** [Makefile:N: _call_manifest] Error 2\n' +
        'make: *** [Makefile:N: manifest] Error 2\n',
    );
  });
});
