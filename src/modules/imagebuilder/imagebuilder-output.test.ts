import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  findImageBuilderArchive,
  imageTooBig,
  parseMakeInfo,
  parseManifest,
  parsePackageErrors,
  parseSha256Sums,
} from './imagebuilder-output.js';
import {
  branchOf,
  compareVersionsDescending,
  parsePackageIndex,
  renameSuggestions,
  resolveProfile,
  versionPath,
} from './openwrt-catalog.js';
import { SignatureInvalid, verifyUsignSignature } from './usign.js';

describe('ImageBuilder output', () => {
  it("reads make info: revision, default packages and each profile's packages", () => {
    const info = parseMakeInfo(
      [
        'Current Target: "ath79/generic"',
        'Current Architecture: "mips"',
        'Current Revision: "r23809-234f1a2efa"',
        'Default Packages: base-files busybox ppp',
        'Available Profiles:',
        '',
        'tplink_archer-c7-v2:',
        '    TP-Link Archer C7 v2',
        '    Packages: kmod-ath10k-ct -ath10k-firmware-qca988x',
        '    SupportedDevices: tplink,archer-c7-v2',
        '8dev_carambola2:',
        '    8devices Carambola2',
        '    Packages: ',
      ].join('\n'),
    );
    expect(info).toEqual({
      revision: 'r23809-234f1a2efa',
      defaultPackages: ['base-files', 'busybox', 'ppp'],
      profilePackages: { 'tplink_archer-c7-v2': ['kmod-ath10k-ct', '-ath10k-firmware-qca988x'], '8dev_carambola2': [] },
    });
  });

  it('reads opkg and apk manifests', () => {
    expect(parseManifest('base-files - 1528-r23809\nluci - 23.051.66410~a505bb1\n')).toEqual({
      'base-files': '1528-r23809',
      luci: '23.051.66410~a505bb1',
    });
    expect(parseManifest('base-files 1630-r28427\nlibstdcpp6 13.3.0-r4\n')).toEqual({
      'base-files': '1630-r28427',
      libstdcpp6: '13.3.0-r4',
    });
  });

  it('lists missing and conflicting packages from opkg and apk errors', () => {
    const opkg =
      'Collected errors:\n * opkg_install_cmd: Cannot install package foo.\n * opkg_install_cmd: Cannot install ' +
      'package bar-baz.\n';
    expect(parsePackageErrors(opkg)).toEqual({ missing: ['bar-baz', 'foo'], conflicts: [] });
    const clash =
      'Collected errors:\n * check_data_file_clashes: Package dnsmasq-full wants to install file ' +
      '/usr/sbin/dnsmasq\n\tBut that file is already provided by package  * dnsmasq\n * opkg_install_cmd: Cannot ' +
      'install package dnsmasq-full.\n';
    expect(parsePackageErrors(clash)).toEqual({ missing: [], conflicts: ['dnsmasq', 'dnsmasq-full'] });
    const apk = 'ERROR: unable to select packages:\n  nosuch (no such package):\n    required by: world[nosuch]\n';
    expect(parsePackageErrors(apk).missing).toEqual(['nosuch']);
    const apkConflict =
      'ERROR: unable to select packages:\n  dnsmasq-full-2.90-r3:\n    conflicts: dnsmasq-2.90-r3[dnsmasq]\n';
    expect(parsePackageErrors(apkConflict).conflicts).toEqual(['dnsmasq', 'dnsmasq-full']);
    expect(imageTooBig('WARNING: Image file /x/openwrt-sysupgrade.bin is too big:  8421504 > 8126464')).toBe(true);
    expect(imageTooBig('all good')).toBe(false);
  });

  it('finds the ImageBuilder archive in sha256sums', () => {
    const sums = parseSha256Sums(
      `${'a'.repeat(64)} *openwrt-23.05.3-ath79-generic-tplink_archer-c7-v2-squashfs-sysupgrade.bin\n` +
        `${'b'.repeat(64)} *openwrt-imagebuilder-23.05.3-ath79-generic.Linux-x86_64.tar.xz\n`,
    );
    expect(findImageBuilderArchive(sums)).toEqual({
      name: 'openwrt-imagebuilder-23.05.3-ath79-generic.Linux-x86_64.tar.xz',
      sha256: 'b'.repeat(64),
    });
    expect(findImageBuilderArchive({})).toBeNull();
  });
});

describe('usign signatures', () => {
  const keys = generateKeyPairSync('ed25519');
  const keyNumber = Buffer.from('0123456789abcdef', 'hex');
  const raw = Buffer.from(keys.publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const publicKey =
    `untrusted comment: ` + `test\n${Buffer.concat([Buffer.from('Ed'), keyNumber, raw]).toString('base64')}\n`;
  const signatureOf = (message: Buffer, number = keyNumber) =>
    `untrusted comment: ` +
    `signed\n${Buffer.concat([Buffer.from('Ed'), number, sign(null, message, keys.privateKey)]).toString('base64')}\n`;

  it('accepts a valid signature and refuses an altered message, another key number or garbage', () => {
    const message = Buffer.from('sha256sums content\n');
    expect(() => verifyUsignSignature(message, signatureOf(message), publicKey)).not.toThrow();
    expect(() => verifyUsignSignature(Buffer.from('altered'), signatureOf(message), publicKey)).toThrow(
      SignatureInvalid,
    );
    expect(() => verifyUsignSignature(message, signatureOf(message, Buffer.alloc(8)), publicKey)).toThrow(
      /configured key/,
    );
    expect(() => verifyUsignSignature(message, 'untrusted comment: x\nnot-base64!!\n', publicKey)).toThrow(
      SignatureInvalid,
    );
  });
});

describe('OpenWrt versions and profiles', () => {
  it('derives branches and paths', () => {
    expect(branchOf('24.10.2')).toBe('24.10');
    expect(branchOf('24.10.0-rc1')).toBe('24.10');
    expect(branchOf('24.10-SNAPSHOT')).toBe('24.10');
    expect(branchOf('SNAPSHOT')).toBe('SNAPSHOT');
    expect(versionPath('SNAPSHOT')).toBe('snapshots');
    expect(versionPath('23.05.3')).toBe('releases/23.05.3');
  });

  it('sorts versions newest first, release candidates before their release', () => {
    expect(['24.10.0-rc6', '23.05.5', '24.10.1', 'SNAPSHOT', '24.10.0'].sort(compareVersionsDescending)).toEqual([
      'SNAPSHOT',
      '24.10.1',
      '24.10.0',
      '24.10.0-rc6',
      '23.05.5',
    ]);
  });

  it('resolves profile ids, board names with commas, supported_devices aliases and the single generic profile', () => {
    const document = {
      arch_packages: 'mips_24kc',
      target: 'ath79/generic',
      profiles: { '8dev_carambola2': { supported_devices: ['8dev,carambola2', 'carambola2'] } },
    };
    expect(resolveProfile(document, '8dev_carambola2')).toBe('8dev_carambola2');
    expect(resolveProfile(document, '8dev,carambola2')).toBe('8dev_carambola2');
    expect(resolveProfile(document, 'carambola2')).toBe('8dev_carambola2');
    expect(resolveProfile(document, 'nope')).toBeNull();
    expect(resolveProfile({ arch_packages: 'x86_64', target: 'x86/64', profiles: { generic: {} } }, 'anything')).toBe(
      'generic',
    );
  });

  it('reads index.json and opkg Packages indexes (ABI suffix removed)', () => {
    expect(parsePackageIndex('{"version":2,"architecture":"mips_24kc","packages":{"luci":"1"}}')).toEqual({
      luci: '1',
    });
    expect(
      parsePackageIndex(
        'Package: libubus20231128\nVersion: 2023\nABIVersion: 20231128\n\nPackage: vim\nVersion: 9.0\n',
      ),
    ).toEqual({ libubus: '2023', vim: '9.0' });
  });

  it("suggests renames that happened by the version's revision", () => {
    expect(renameSuggestions(['auc', 'vim'], 'r27000-abc')).toEqual({ auc: 'owut' });
    expect(renameSuggestions(['auc'], 'r23809-abc')).toEqual({});
  });
});
