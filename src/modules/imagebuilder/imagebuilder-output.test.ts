import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  failedPrerequisites,
  findImageBuilderArchive,
  imageTooBig,
  missingProfile,
  parseMakeInfo,
  parseManifest,
  parsePackageErrors,
  parseSha256Sums,
} from './imagebuilder-output.js';
import {
  branchOf,
  compareVersionsDescending,
  parsePackageIndex,
  parsePackageIndexJson,
  renameSuggestions,
  resolveProfile,
  versionPath,
} from './openwrt-catalog.js';
import { buildTime } from './imagebuilder-runner.js';
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

// Samples in the shapes the real ImageBuilders print (target/imagebuilder/files/Makefile, opkg, apk),
// each with the make lines around it, as the runner receives them.
describe('ImageBuilder output in the real formats', () => {
  const makeTail = (step: string, code: number) =>
    `make[2]: *** [Makefile:212: ${step}] Error ${code}\nmake[1]: *** [Makefile:170: _call_manifest] Error 2\n` +
    'make: *** [Makefile:327: manifest] Error 2\n';

  it('reads make info of a 24.10 (opkg) and a 25.12 (apk) ImageBuilder, profiles with and without a title', () => {
    const opkg = parseMakeInfo(
      'Current Target: "mediatek/filogic"\nCurrent Architecture: "aarch64"\nCurrent Revision: "r28427-6df0e3d02a"\n' +
        'Default Packages: base-files ca-bundle dnsmasq dropbear firewall4 fitblk fstools kmod-crypto-hw-safexcel ' +
        'kmod-gpio-button-hotplug kmod-leds-gpio kmod-nft-offload libc libgcc libustream-mbedtls logd mtd netifd ' +
        'nftables odhcp6c odhcpd-ipv6only opkg ppp ppp-mod-pppoe procd-ujail uboot-envtools uci uclient-fetch ' +
        'urandom-seed urngd wpad-basic-mbedtls\nAvailable Profiles:\n\nglinet_gl-mt3000:\n    GL.iNet GL-MT3000\n' +
        '    Packages: kmod-usb3 kmod-mt7915e kmod-mt7981-firmware mt7981-wo-firmware\n    hasImageMetadata: 1\n' +
        '    SupportedDevices: glinet,gl-mt3000\nopenwrt_one:\n    OpenWrt One\n    Packages: kmod-rtc-pcf8563 ' +
        '-wpad-basic-mbedtls\n    hasImageMetadata: 1\n    SupportedDevices: openwrt,one\nuntitled_board:\n' +
        '    Packages: \n    hasImageMetadata: 0\n',
    );
    expect(opkg.revision).toBe('r28427-6df0e3d02a');
    expect(opkg.defaultPackages).toContain('opkg');
    expect(opkg.profilePackages).toEqual({
      'glinet_gl-mt3000': ['kmod-usb3', 'kmod-mt7915e', 'kmod-mt7981-firmware', 'mt7981-wo-firmware'],
      openwrt_one: ['kmod-rtc-pcf8563', '-wpad-basic-mbedtls'],
      untitled_board: [],
    });
    const apk = parseMakeInfo(
      'Current Target: "x86/64"\nCurrent Architecture: "x86_64"\nCurrent Revision: "r32802-ff2ab5a2d5"\n' +
        'Default Packages: apk-mbedtls base-files ca-bundle dnsmasq dropbear e2fsprogs firewall4 fstools ' +
        'grub2-bios-setup\n' +
        'Available Profiles:\n\ngeneric:\n    Generic x86/64\n    Packages: kmod-amazon-ena kmod-e1000e\n' +
        '    hasImageMetadata: 0\n',
    );
    expect(apk).toEqual({
      revision: 'r32802-ff2ab5a2d5',
      defaultPackages: expect.arrayContaining(['apk-mbedtls', 'grub2-bios-setup']),
      profilePackages: { generic: ['kmod-amazon-ena', 'kmod-e1000e'] },
    });
  });

  it('reads `opkg list-installed --strip-abi` and `apk list --quiet --manifest` output', () => {
    expect(parseManifest('base-files - 1630-r28427-6df0e3d02a\nlibubox - 2024.03.29~eb9bcb64-r1\n')).toEqual({
      'base-files': '1630-r28427-6df0e3d02a',
      libubox: '2024.03.29~eb9bcb64-r1',
    });
    expect(
      parseManifest('apk-mbedtls 3.0.0_pre20250606-r1\nbase-files 1688~ff2ab5a-r1\nlibubox20250102 2025.01.02-r1\n'),
    ).toEqual({
      'apk-mbedtls': '3.0.0_pre20250606-r1',
      'base-files': '1688~ff2ab5a-r1',
      libubox20250102: '2025.01.02-r1',
    });
  });

  it('opkg: a missing package, a declared conflict (one or several on one line) and a file clash', () => {
    expect(
      parsePackageErrors(
        'Collected errors:\n * opkg_install_cmd: Cannot install package luci-app-nonesuch.\n' +
          makeTail('package_install', 255),
      ),
    ).toEqual({ missing: ['luci-app-nonesuch'], conflicts: [] });
    expect(
      parsePackageErrors(
        'Collected errors:\n * check_conflicts_for: The following packages conflict with dnsmasq-full:\n' +
          ' * check_conflicts_for: \tdnsmasq * \n * opkg_install_cmd: Cannot install package dnsmasq-full.\n',
      ),
    ).toEqual({ missing: [], conflicts: ['dnsmasq', 'dnsmasq-full'] });
    expect(
      parsePackageErrors(
        'Collected errors:\n * check_conflicts_for: The following packages conflict with wpad-mbedtls:\n' +
          ' * check_conflicts_for: \twpad-basic-mbedtls * check_conflicts_for: \twpad-mini * \n' +
          ' * opkg_install_cmd: Cannot install package wpad-mbedtls.\n' +
          ' * opkg_install_cmd: Cannot install package nosuch.\n',
      ),
    ).toEqual({ missing: ['nosuch'], conflicts: ['wpad-basic-mbedtls', 'wpad-mbedtls', 'wpad-mini'] });
    expect(
      parsePackageErrors(
        'Collected errors:\n' +
          ' * check_data_file_clashes: Package tcpdump-mini wants to install file /usr/sbin/tcpdump\n' +
          '\tBut that file is already provided by package  * tcpdump\n' +
          ' * opkg_install_cmd: Cannot install package tcpdump-mini.\n',
      ),
    ).toEqual({ missing: [], conflicts: ['tcpdump', 'tcpdump-mini'] });
  });

  it('apk: a missing package, grouped conflicts (with versions or without) and a file clash', () => {
    expect(
      parsePackageErrors(
        'ERROR: unable to select packages:\n  luci-app-nonesuch (no such package):\n' +
          '    required by: world[luci-app-nonesuch]\n' +
          makeTail('package_install', 1),
      ),
    ).toEqual({ missing: ['luci-app-nonesuch'], conflicts: [] });
    expect(
      parsePackageErrors(
        'ERROR: unable to select packages:\n  dnsmasq-full-2.90-r4:\n    conflicts: dnsmasq-2.90-r4[dnsmasq]\n' +
          '    satisfies: world[dnsmasq-full]\n  dnsmasq-2.90-r4:\n    conflicts: dnsmasq-full-2.90-r4[dnsmasq]\n' +
          '    satisfies: world[dnsmasq]\n',
      ),
    ).toEqual({ missing: [], conflicts: ['dnsmasq', 'dnsmasq-full'] });
    expect(
      parsePackageErrors(
        'ERROR: unable to select packages:\n  nftables-json:\n    conflicts: nftables-nojson[nftables=1.1.6-r1]\n' +
          '    satisfies: world[nftables-json]\n               luci-firewall[nftables]\n',
      ).conflicts,
    ).toEqual(['nftables-json', 'nftables-nojson']);
    expect(
      parsePackageErrors(
        'ERROR: tcpdump-mini-4.99.5-r1: trying to overwrite usr/sbin/tcpdump owned by tcpdump-4.99.5-r1.\n' +
          '1 error; 24 MiB in 151 packages\n',
      ),
    ).toEqual({ missing: [], conflicts: ['tcpdump', 'tcpdump-mini'] });
  });

  it('a too-big image (check-size warning, make exits 0), an ext4 root out of space, a missing profile', () => {
    expect(
      imageTooBig(
        'WARNING: Image file /builder/build_dir/target-mips_24kc_musl/linux-ath79_generic/tmp/' +
          'openwrt-23.05.3-ath79-generic-tplink_archer-c7-v2-squashfs-sysupgrade.bin is too big: 16515072 > 16252928\n',
      ),
    ).toBe(true);
    expect(imageTooBig('error: ext4_allocate_best_fit_partial: failed to allocate 1731 blocks, out of space?\n')).toBe(
      true,
    );
    expect(imageTooBig('Skip JSON creation for non existing file /x/openwrt-sysupgrade.bin\n')).toBe(false);
    expect(
      missingProfile(
        'Profile "tplink_archer-c7-v9" does not exist!\nUse "make info" to get a list of available profile names.\n',
      ),
    ).toBe('tplink_archer-c7-v9');
    expect(missingProfile('Building images for ath79 - TP-Link Archer C7 v2\n')).toBeNull();
  });

  it('reads source_date_epoch as a number or as the string older ImageBuilders write', () => {
    expect(buildTime(1710454035)).toBe('2024-03-14T22:07:15.000Z');
    expect(buildTime('1710454035')).toBe('2024-03-14T22:07:15.000Z');
    for (const odd of [undefined, null, '', 'yesterday'])
      expect(Date.parse(buildTime(odd))).toBeGreaterThan(Date.now() - 60_000);
  });

  it("names the host tools the ImageBuilder's prerequisite check found missing", () => {
    expect(
      failedPrerequisites(
        "Checking 'working-make'... ok.\nChecking 'case-sensitive-fs'... ok.\nChecking 'proper-umask'... ok.\n" +
          "Checking 'perl-data-dumper'... ok.\nChecking 'tar'... ok.\nChecking 'python3'... failed.\n" +
          "Checking 'rsync'... failed.\n\nBuild dependency: Please install Python >= 3.6\n" +
          "Build dependency: Please install 'rsync'\n\nPrerequisite check failed. Use FORCE=1 to override.\n",
      ),
    ).toEqual({
      tools: ['python3', 'rsync'],
      advice: ['Please install Python >= 3.6', "Please install 'rsync'"],
    });
    expect(failedPrerequisites("Checking 'tar'... ok.\nBuilding images for x86 - Generic x86/64\n")).toBeNull();
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

  it('tells a v2 index.json (names without ABI suffixes) from a v1 one (23.05: names with them)', () => {
    expect(
      parsePackageIndexJson('{"version":2,"architecture":"x86_64","packages":{"libubus":"2024.10.20~252a9b0c-r1"}}'),
    ).toEqual({ abiFree: true, packages: { libubus: '2024.10.20~252a9b0c-r1' } });
    expect(
      parsePackageIndexJson('{"architecture":"mips_24kc","packages":{"libubus20231128":"2023-11-28-f84eb599-1"}}'),
    ).toEqual({ abiFree: false, packages: { libubus20231128: '2023-11-28-f84eb599-1' } });
  });

  it("suggests renames that happened by the version's revision", () => {
    expect(renameSuggestions(['auc', 'vim'], 'r27000-abc')).toEqual({ auc: 'owut' });
    expect(renameSuggestions(['auc'], 'r23809-abc')).toEqual({});
  });
});
