import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APK_VERSION } from './helpers/asu-upstream.js';
import { createImageBuildHarness, type ImageBuildHarness } from './helpers/image-builds.js';
import { MAKE, XZ, ZSTD, skipWithout } from './helpers/system-tools.js';

/**
 * Builds through the server against fixture ImageBuilders that print what the real ones print
 * (opkg-era 23.05 and apk-era 25.12): the failures a real ImageBuilder reports in its own words
 * become the same error codes, lists and ASU texts. The ImageBuilder here lacks a package and a
 * profile its upstream documents list (as a half-updated mirror would), so the server's own checks
 * let the request through and the ImageBuilder is the one to refuse it.
 */

const skip = skipWithout(import.meta.url, [MAKE, ZSTD, XZ]);
const HOST_TOOL = 'fleetflash-no-such-tool';

let h: ImageBuildHarness;

beforeAll(async () => {
  if (skip) return;
  h = await createImageBuildHarness({
    env: { FLEETFLASH_BUILD_CLIENT_MAX_QUEUED: '1000', FLEETFLASH_BUILD_CLIENT_RATE_LIMIT: '1000' },
    upstream: {
      apk: true,
      lacksPackages: ['vim'],
      lacksProfiles: ['tplink_archer-a7-v5'],
      missingHostTool: { target: 'mediatek/filogic', tool: HOST_TOOL },
    },
  });
});

afterAll(async () => {
  await h?.close();
});

async function built(body: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }> {
  const answer = await h.build(body);
  expect(answer.status, JSON.stringify(answer.json)).toBeLessThan(300);
  return h.waitForBuild(answer.json.request_hash as string);
}

const opkg = { version: '23.05.3', target: 'ath79/generic', profile: '8dev_carambola2' };
const apk = { version: APK_VERSION, target: 'ath79/generic', profile: '8dev_carambola2' };

describe.skipIf(skip)('an opkg-era ImageBuilder (23.05)', () => {
  it("reports a package it cannot install as missing, in ASU's words", async () => {
    const done = await built({ ...opkg, packages: ['vim'] });
    expect(done.json).toMatchObject({
      status: 500,
      error_code: 'PACKAGE_MISSING',
      error_kind: 'user',
      missing_packages: ['vim'],
      conflicting_packages: [],
      detail: 'Error: Impossible package selection: missing (vim)',
    });
    expect(done.json.stderr).toContain(' * opkg_install_cmd: Cannot install package vim.\n');
  });

  it('reports a declared conflict (check_conflicts_for) with both packages', async () => {
    const done = await built({ ...opkg, packages: ['tcpdump', 'tcpdump-mini'] });
    expect(done.json).toMatchObject({
      error_code: 'PACKAGE_CONFLICT',
      missing_packages: [],
      conflicting_packages: ['tcpdump', 'tcpdump-mini'],
      detail: 'Error: Impossible package selection: conflicts (tcpdump, tcpdump-mini)',
    });
  });

  it('reports a profile the ImageBuilder does not have as PROFILE_NOT_FOUND', async () => {
    const done = await built({ ...opkg, profile: 'tplink_archer-a7-v5' });
    expect(done.json).toMatchObject({ status: 500, error_code: 'PROFILE_NOT_FOUND', error_kind: 'user' });
  });

  it('an x86 root filesystem that runs out of space is IMAGE_TOO_BIG', async () => {
    const done = await built({ version: '23.05.3', target: 'x86/64', profile: 'generic', packages: ['huge-package'] });
    expect(done.json).toMatchObject({
      error_code: 'IMAGE_TOO_BIG',
      detail: 'Error: Selected packages exceed device storage',
    });
    expect(done.json.stderr).toContain('out of space?');
  });

  it("a missing host tool stops at the ImageBuilder's prerequisite check and names the tool", async () => {
    const done = await built({ version: '23.05.3', target: 'mediatek/filogic', profile: 'glinet_gl-mt3000' });
    expect(done.json).toMatchObject({ status: 500, error_code: 'HOST_TOOLS_MISSING', error_kind: 'infrastructure' });
    expect(done.json.detail).toContain(`Please install '${HOST_TOOL}'`);
    expect(done.json.stdout).toContain('Prerequisite check failed. Use FORCE=1 to override.');
  });
});

describe.skipIf(skip)('an apk-era ImageBuilder (25.12)', () => {
  it('builds: apk manifest (name version, -rN versions), kmods from their own folder, images', async () => {
    const done = await built({ ...apk, packages: ['luci', 'wireguard-tools', 'kmod-wireguard'] });
    expect(done.status, JSON.stringify(done.json)).toBe(200);
    const manifest = done.json.manifest as Record<string, string>;
    expect(manifest['apk-mbedtls']).toBe('3.0.0_pre20250606-r1');
    expect(manifest['kmod-wireguard']).toBe('5.15.150-r1');
    expect(manifest.kernel).toBe('6.12.57~f00dcafe-r1');
    expect(manifest.opkg).toBeUndefined();
    expect(done.json).toMatchObject({ version_number: APK_VERSION, version_code: 'r32802-ff2ab5a2d5' });
    const images = done.json.images as { name: string; type: string }[];
    expect(images.map((image) => image.type)).toEqual(['sysupgrade', 'factory']);
    expect(images[0]!.name).toMatch(
      /^openwrt-25\.12\.1-[0-9a-f]{12}-ath79-generic-8dev_carambola2-squashfs-sysupgrade\.bin$/,
    );
  });

  it('reports a missing package, a declared conflict and a file clash in apk words', async () => {
    const missing = await built({ ...apk, packages: ['vim'] });
    expect(missing.json).toMatchObject({ error_code: 'PACKAGE_MISSING', missing_packages: ['vim'] });
    expect(missing.json.stderr).toContain('ERROR: unable to select packages:\n  vim (no such package):\n');

    const declared = await built({ ...apk, packages: ['tcpdump', 'tcpdump-mini'] });
    expect(declared.json).toMatchObject({
      error_code: 'PACKAGE_CONFLICT',
      conflicting_packages: ['tcpdump', 'tcpdump-mini'],
    });

    const clash = await built({ ...apk, packages: ['dnsmasq-full'] });
    expect(clash.json).toMatchObject({
      error_code: 'PACKAGE_CONFLICT',
      conflicting_packages: ['dnsmasq', 'dnsmasq-full'],
    });
    expect(clash.json.stderr).toMatch(
      /ERROR: dnsmasq-full-\S+: trying to overwrite usr\/sbin\/dnsmasq owned by dnsmasq-/,
    );
  });

  it('a too-big image (deleted with a warning, make exits 0) is IMAGE_TOO_BIG, not "no profiles.json"', async () => {
    const done = await built({ ...apk, packages: ['huge-package'] });
    expect(done.json).toMatchObject({
      error_code: 'IMAGE_TOO_BIG',
      detail: 'Error: Selected packages exceed device storage',
    });
    expect(done.json.stderr).toMatch(/^WARNING: Image file \S+ is too big: \d+ > 16252928$/m);
  });
});
