import { execFile } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * A fake downloads.openwrt.org for tests and benchmarks: version and target lists, profiles.json,
 * package indexes, usign-signed sha256sums and synthetic ImageBuilder archives whose `make info`,
 * `make manifest` and `make image` answer in the formats of the real ImageBuilders: opkg-era
 * (23.05.x, `.tar.xz`) and, with `apk: true`, an apk-era release (25.12.1, `.tar.zst`, kmods in their
 * own folder). `writeUpstreamMirror` writes the same files to a folder laid out like the server.
 */

const execFileAsync = promisify(execFile);
const FIXTURE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'imagebuilder-fixture');

export interface FixtureProfile {
  supported_devices: string[];
  title: { vendor: string; model: string };
  device_packages: string[];
}

export interface FixturePackage {
  /** 'target': the target's own index (base-files, kmods); otherwise the arch feed it is in. */
  feed: 'target' | 'base' | 'luci' | 'packages';
  /** Version per release. */
  versions: Record<string, string>;
  /** Bytes it adds to an image (what the "is too big" check adds up). */
  size: number;
  depends: string[];
}

export interface LinuxKernel {
  version: string;
  release: string;
  vermagic: string;
}

const V2 = '23.05.2';
const V3 = '23.05.3';
/** An older release (r20134, before kmod-nft-nat6 was merged into kmod-nft-nat at r20282): served on request. */
const V22 = '22.03.5';
/** A newer release (opkg still; auc gone, language packs renamed): served on request. */
const V24 = '24.10.0';
/** The apk-era release, published only by fixtures started with `apk: true`. */
export const APK_VERSION = '25.12.1';
const V25 = APK_VERSION;

/** apk's version strings end in `-r<release>` where opkg's end in `-<release>`. */
function apkVersionOf(version: string): string {
  return /-\d+$/.test(version) ? version.replace(/-(\d+)$/, '-r$1') : `${version}-r1`;
}
const FEEDS = ['base', 'luci', 'packages'] as const;

const catalog: Record<string, FixturePackage> = {};
function addPackage(
  name: string,
  feed: FixturePackage['feed'],
  kib: number,
  v3: string,
  v2 = v3,
  depends: string[] = [],
  v22 = v2,
): void {
  catalog[name] = {
    feed,
    versions: { [V22]: v22, [V2]: v2, [V3]: v3, [V24]: v3, [V25]: apkVersionOf(v3) },
    size: kib * 1024,
    depends,
  };
}
addPackage(
  'base-files',
  'target',
  60,
  '1528-r23809-234f1a2efa',
  '1526-r23630-842932a63d',
  [],
  '1512-r20134-5f15225c1e',
);
for (const kmod of [
  'kmod-gpio-button-hotplug',
  'kmod-usb2',
  'kmod-usb3',
  'kmod-usb-ledtrig-usbport',
  'kmod-usb-chipidea2',
  'kmod-ath9k',
  'kmod-ath10k-ct',
  'kmod-mt7915e',
  'kmod-mt7981-firmware',
  'kmod-wireguard',
]) {
  addPackage(kmod, 'target', 40, '5.15.150-1', '5.15.137-1', [], '5.10.176-1');
  catalog[kmod]!.versions[V24] = '6.6.73-1';
}
addPackage('kmod-nft-nat', 'target', 20, '5.15.150-1', '5.15.137-1', [], '5.10.176-1');
// Merged into kmod-nft-nat at r20282: only 22.03 has it (package-changes.json lists it as removed).
catalog['kmod-nft-nat6'] = { feed: 'target', versions: { [V22]: '5.10.176-1' }, size: 10 * 1024, depends: [] };
for (const [name, kib, v3, v2] of [
  ['busybox', 260, '1.36.1-1'],
  ['dropbear', 110, '2022.82-6', '2022.82-5'],
  ['firewall4', 60, '2023-09-01-598d9fbb-1'],
  ['fstools', 80, '2023-02-28-bfe882d5-1'],
  ['libc', 600, '1.2.4-4'],
  ['libgcc', 70, '12.3.0-4'],
  ['logd', 30, '2022-08-13-4c7b720b-2'],
  ['mtd', 40, '26'],
  ['netifd', 240, '2024-01-04-c18cc79d-1', '2023-11-10-35facc83-1'],
  ['opkg', 150, '2022-02-24-d038e5b6-2'],
  ['ppp', 300, '2.4.9.git-2021-01-04-4'],
  ['uci', 40, '2023-08-10-5781664d-1'],
  ['uclient-fetch', 20, '2023-04-13-007d9454-1'],
  ['urandom-seed', 5, '3'],
  ['urngd', 20, '2023-07-25-7aefb47b-1'],
  ['dnsmasq', 200, '2.90-2', '2.89-4'],
  ['firewall', 90, '2022-02-17-4cd7d4f3-3'],
  ['dnsmasq-full', 330, '2.90-2', '2.89-4'],
  ['tcpdump', 420, '4.99.4-1'],
  ['tcpdump-mini', 300, '4.99.4-1'],
  ['apk-mbedtls', 150, '3.0.0_pre20250606-1'],
  ['ath10k-firmware-qca988x-ct', 600, '2020-11-08-1'],
  ['mt7981-wo-firmware', 200, '20230804-1'],
] as const) {
  addPackage(name, 'base', kib, v3, v2);
}
addPackage('wireguard-tools', 'base', 90, '1.0.20210914-2', undefined, ['kmod-wireguard']);
addPackage('luci', 'luci', 20, 'git-24.086.45142-09d5a38', 'git-23.306.39416-c5da3e4');
addPackage('luci-ssl', 'luci', 5, 'git-24.086.45142-09d5a38', 'git-23.306.39416-c5da3e4', ['luci']);
addPackage('luci-app-attendedsysupgrade', 'luci', 30, 'git-24.086.45142-09d5a38', 'git-23.306.39416-c5da3e4', ['luci']);
addPackage('vim', 'packages', 900, '9.0-3');
addPackage('htop', 'packages', 120, '3.2.2-2');
addPackage('owut', 'packages', 40, '2024.07.01~ab9b9d0e-1');
addPackage('auc', 'packages', 30, '0.3.2-1');
// Gone in 24.10 (owut replaces it), where the opkg language packs became luci-i18n-package-manager-*.
delete catalog.auc!.versions[V24];
addPackage('luci-i18n-opkg-de', 'luci', 5, 'git-24.086.45142-09d5a38', 'git-23.306.39416-c5da3e4');
delete catalog['luci-i18n-opkg-de']!.versions[V24];
catalog['luci-i18n-package-manager-de'] = { feed: 'luci', versions: { [V24]: '25.020.1-1' }, size: 5120, depends: [] };
catalog.fitblk = { feed: 'target', versions: { [V24]: '1' }, size: 4096, depends: [] };
// Bigger than any flash and than the largest custom root partition ASU allows (1024 MB).
addPackage('huge-package', 'packages', 1024 * 1024 + 1, '1.0-1');

const ath79Device = ['kmod-usb2', 'kmod-usb-ledtrig-usbport', 'kmod-ath10k-ct', 'ath10k-firmware-qca988x-ct'];

export const FIXTURE: {
  versions: { stable: '23.05.3'; list: ['23.05.2', '23.05.3'] };
  /** Served with `startUpstreamFixture({ oldRelease: true })`, for this target only. */
  oldRelease: { version: '22.03.5'; target: 'ath79/generic' };
  /** Served with `startUpstreamFixture({ newRelease: true })`, for these targets only. */
  newRelease: { version: '24.10.0'; targets: ['ath79/generic', 'mediatek/filogic'] };
  versionCodes: Record<string, string>;
  /** target → arch_packages */
  targets: Record<string, string>;
  /** target → profile id → profile */
  profiles: Record<string, Record<string, FixtureProfile>>;
  defaultPackages: string[];
  packages: Record<string, FixturePackage>;
  /** `file`: both install the same file (a clash found while installing); `declared`: a Conflicts: field. */
  conflicts: { package: string; conflicts_with: string; file: string; kind: 'file' | 'declared' }[];
  linuxKernel: Record<string, LinuxKernel>;
  sourceDateEpoch: Record<string, number>;
} = {
  versions: { stable: V3, list: [V2, V3] },
  oldRelease: { version: V22, target: 'ath79/generic' },
  newRelease: { version: V24, targets: ['ath79/generic', 'mediatek/filogic'] },
  versionCodes: {
    [V22]: 'r20134-5f15225c1e',
    [V2]: 'r23630-842932a63d',
    [V3]: 'r23809-234f1a2efa',
    [V24]: 'r28427-6df0e3d02a',
    [V25]: 'r32802-ff2ab5a2d5',
  },
  targets: { 'ath79/generic': 'mips_24kc', 'mediatek/filogic': 'aarch64_cortex-a53', 'x86/64': 'x86_64' },
  profiles: {
    'ath79/generic': {
      'tplink_archer-c7-v2': {
        supported_devices: ['tplink,archer-c7-v2', 'archer-c7-v2'],
        title: { vendor: 'TP-Link', model: 'Archer C7 v2' },
        device_packages: ath79Device,
      },
      'tplink_archer-a7-v5': {
        supported_devices: ['tplink,archer-a7-v5'],
        title: { vendor: 'TP-Link', model: 'Archer A7 v5' },
        device_packages: ath79Device,
      },
      '8dev_carambola2': {
        supported_devices: ['8dev,carambola2', 'carambola2'],
        title: { vendor: '8devices', model: 'Carambola2' },
        device_packages: ['kmod-usb-chipidea2'],
      },
    },
    'mediatek/filogic': {
      'glinet_gl-mt3000': {
        supported_devices: ['glinet,gl-mt3000'],
        title: { vendor: 'GL.iNet', model: 'GL-MT3000' },
        device_packages: ['kmod-usb3', 'kmod-mt7915e', 'kmod-mt7981-firmware', 'mt7981-wo-firmware'],
      },
    },
    'x86/64': {
      generic: { supported_devices: ['generic'], title: { vendor: 'Generic', model: 'x86/64' }, device_packages: [] },
    },
  },
  defaultPackages: [
    'base-files',
    'busybox',
    'dropbear',
    'firewall4',
    'fstools',
    'kmod-gpio-button-hotplug',
    'libc',
    'libgcc',
    'logd',
    'mtd',
    'netifd',
    'opkg',
    'ppp',
    'uci',
    'uclient-fetch',
    'urandom-seed',
    'urngd',
    'dnsmasq',
  ],
  packages: catalog,
  conflicts: [
    { package: 'dnsmasq-full', conflicts_with: 'dnsmasq', file: '/usr/sbin/dnsmasq', kind: 'file' },
    { package: 'tcpdump-mini', conflicts_with: 'tcpdump', file: '/usr/sbin/tcpdump', kind: 'declared' },
  ],
  linuxKernel: {
    [V22]: { version: '5.10.176', release: '1', vermagic: '0e0a7a8bd1a2' },
    [V24]: { version: '6.6.73', release: '1', vermagic: '5e4b1c0a9f31' },
    [V2]: { version: '5.15.137', release: '1', vermagic: 'def456' },
    [V3]: { version: '5.15.150', release: '1', vermagic: 'abc123' },
    [V25]: { version: '6.12.57', release: '1', vermagic: 'f00dcafe' },
  },
  sourceDateEpoch: { [V22]: 1682347640, [V2]: 1699824025, [V3]: 1710454035, [V24]: 1738000000, [V25]: 1763640000 },
};

// ---------------------------------------------------------------------------------------------
// usign (OpenWrt's signify variant): base64 of "Ed" + 8-byte key number + key or signature.

export interface UsignKeyPair {
  keyNumber: Buffer;
  publicKey: KeyObject;
  privateKey: KeyObject;
}

export function createUsignKeyPair(): UsignKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { keyNumber: randomBytes(8), publicKey, privateKey };
}

function usignFile(comment: string, keyNumber: Buffer, payload: Buffer): string {
  return (
    `untrusted ` + `comment: ${comment}\n${Buffer.concat([Buffer.from('Ed'), keyNumber, payload]).toString('base64')}\n`
  );
}

/** Content of a usign public key file (as in an ImageBuilder's keys/ or `usign -G -p`). */
export function usignPublicKey(key: UsignKeyPair): string {
  const raw = Buffer.from(key.publicKey.export({ format: 'jwk' }).x!, 'base64url');
  return usignFile(`public key ${key.keyNumber.toString('hex')}`, key.keyNumber, raw);
}

/** Content of a usign signature file for `message` (as `usign -S` writes it). */
export function signUsign(message: Buffer, key: UsignKeyPair): string {
  return usignFile(
    `signed by key ${key.keyNumber.toString('hex')}`,
    key.keyNumber,
    sign(null, message, key.privateKey),
  );
}

// ---------------------------------------------------------------------------------------------
// Documents

const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');
const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

/** The apk era (25.12+) packs its ImageBuilders as .tar.zst; 23.05 and older as .tar.xz. */
export function packageManagerOf(version: string): 'opkg' | 'apk' {
  return version === APK_VERSION ? 'apk' : 'opkg';
}

/** `openwrt-imagebuilder-<version>-<target>-<subtarget>.Linux-x86_64.tar.{xz,zst}`, as on the download server. */
export function imagebuilderArchiveName(version: string, target: string): string {
  const extension = packageManagerOf(version) === 'apk' ? 'zst' : 'xz';
  return `openwrt-imagebuilder-${version}-${target.replace('/', '-')}.Linux-x86_64.tar.${extension}`;
}

const IMAGE_TYPES: Record<string, string[]> = {
  'ath79/generic': ['sysupgrade', 'factory'],
  'mediatek/filogic': ['sysupgrade'],
  'x86/64': ['combined'],
};
// Flash size available to an image; x86 has none (its root partition is ROOTFS_PARTSIZE).
const IMAGE_SIZE_LIMIT: Record<string, number | null> = {
  'ath79/generic': 16_252_928,
  'mediatek/filogic': 117_440_512,
  'x86/64': null,
};

function profilesFor(target: string): Record<string, FixtureProfile> {
  return FIXTURE.profiles[target] ?? {};
}

function defaultPackagesOf(version: string): string[] {
  return packageManagerOf(version) === 'apk'
    ? FIXTURE.defaultPackages.map((name) => (name === 'opkg' ? 'apk-mbedtls' : name))
    : FIXTURE.defaultPackages;
}

/** Since 24.10 (and in every apk-era release) kmods are no longer in the target's packages index. */
const isKmod = (name: string): boolean => name.startsWith('kmod-');

function packageIndex(
  version: string,
  feed: FixturePackage['feed'],
  filter: (name: string) => boolean = () => true,
): Record<string, string> {
  const index: Record<string, string> = {};
  for (const [name, pkg] of Object.entries(FIXTURE.packages)) {
    const packageVersion = pkg.versions[version];
    if (pkg.feed === feed && packageVersion !== undefined && filter(name)) index[name] = packageVersion;
  }
  return index;
}

/** The release's profiles.json: image names and hashes stand for release images that are not served. */
function upstreamProfiles(version: string, target: string): unknown {
  const [t, s] = target.split('/');
  const profiles = Object.fromEntries(
    Object.entries(profilesFor(target)).map(([id, profile]) => {
      const prefix = `openwrt-${version}-${t}-${s}-${id}`;
      const images = IMAGE_TYPES[target]!.map((type) => {
        const name = `${prefix}-squashfs-${type === 'combined' ? 'combined.img.gz' : `${type}.bin`}`;
        return { filesystem: 'squashfs', name, sha256: sha256(name), sha256_unsigned: sha256(name), type };
      });
      return [
        id,
        {
          device_packages: profile.device_packages,
          image_prefix: prefix,
          images,
          supported_devices: profile.supported_devices,
          titles: [profile.title],
        },
      ];
    }),
  );
  return {
    arch_packages: FIXTURE.targets[target],
    default_packages: defaultPackagesOf(version),
    metadata_version: 1,
    profiles,
    source_date_epoch: FIXTURE.sourceDateEpoch[version],
    target,
    version_code: FIXTURE.versionCodes[version],
    version_number: version,
    linux_kernel: FIXTURE.linuxKernel[version],
  };
}

/** Differences between the ImageBuilder and the documents beside it (a mirror half updated, a broken host). */
export interface ImageBuilderQuirks {
  /** Profiles the ImageBuilder lacks though profiles.json lists them. */
  lacksProfiles?: string[];
  /** Packages the ImageBuilder cannot install though the package indexes list them. */
  lacksPackages?: string[];
  /** A host tool the prerequisite check of `make image` requires and does not find, in one target's ImageBuilder. */
  missingHostTool?: { target: string; tool: string };
}

/** A few of include/prereq-build.mk's checks: tools any Linux host has. */
const HOST_TOOLS = [
  { name: 'working-make', command: 'make', advice: 'Please install GNU make v4.1 or later.' },
  { name: 'tar', command: 'tar', advice: "Please install GNU 'tar'" },
  { name: 'find', command: 'find', advice: "Please install GNU 'find'" },
  { name: 'bash', command: 'bash', advice: "Please install GNU 'bash'" },
  { name: 'cp', command: 'cp', advice: 'Please install GNU fileutils' },
  { name: 'stat', command: 'stat', advice: 'Cannot find a file stat utility' },
];

/** Everything fake-imagebuilder.mjs needs, so that it carries no data of its own. */
function targetsData(version: string, target: string, buildDelayMs: number, quirks: ImageBuilderQuirks): unknown {
  const arch = FIXTURE.targets[target]!;
  const apk = packageManagerOf(version) === 'apk';
  const kernel = FIXTURE.linuxKernel[version]!;
  const packages: Record<string, { version: string; size: number; depends: string[] }> = Object.fromEntries(
    Object.entries(FIXTURE.packages)
      .filter(([name, pkg]) => pkg.versions[version] !== undefined && !quirks.lacksPackages?.includes(name))
      .map(([name, pkg]) => [name, { version: pkg.versions[version]!, size: pkg.size, depends: pkg.depends }]),
  );
  // Every image has a kernel package (the Makefile adds "kernel" to BUILD_PACKAGES); its size is kernel_size.
  packages.kernel = {
    version: apk
      ? `${kernel.version}~${kernel.vermagic}-r${kernel.release}`
      : `${kernel.version}-${kernel.release}-${kernel.vermagic}`,
    size: 0,
    depends: [],
  };
  return {
    version,
    version_code: FIXTURE.versionCodes[version],
    snapshot: false,
    package_manager: packageManagerOf(version),
    target,
    arch,
    source_date_epoch: FIXTURE.sourceDateEpoch[version],
    linux_kernel: kernel,
    default_packages: defaultPackagesOf(version),
    profiles: Object.fromEntries(
      Object.entries(profilesFor(target)).filter(([id]) => !quirks.lacksProfiles?.includes(id)),
    ),
    packages,
    conflicts: FIXTURE.conflicts,
    image_types: IMAGE_TYPES[target],
    image_size_limit: IMAGE_SIZE_LIMIT[target],
    kernel_size: 2_621_440,
    build_delay_ms: buildDelayMs,
    host_tools: [
      ...HOST_TOOLS,
      ...(quirks.missingHostTool?.target === target
        ? [
            {
              name: quirks.missingHostTool.tool,
              command: quirks.missingHostTool.tool,
              advice: `Please install '${quirks.missingHostTool.tool}'`,
            },
          ]
        : []),
    ],
  };
}

/** What the real ImageBuilder's .targetinfo and .profiles.mk give its Makefile (target-metadata.pl profile_mk). */
function makeIncludes(
  version: string,
  target: string,
  quirks: ImageBuilderQuirks,
): { targetinfo: string; profiles: string } {
  return includesOf({
    target,
    arch: FIXTURE.targets[target]!,
    versionCode: FIXTURE.versionCodes[version]!,
    defaultPackages: defaultPackagesOf(version),
    devices: Object.entries(profilesFor(target)).filter(([id]) => !quirks.lacksProfiles?.includes(id)),
  });
}

function includesOf(release: {
  target: string;
  arch: string;
  versionCode: string;
  defaultPackages: readonly string[];
  devices: [string, FixtureProfile][];
}): { targetinfo: string; profiles: string } {
  const { target, arch, devices } = release;
  const [board, subtarget] = target.split('/');
  const targetinfo = [
    `TARGETID:=${target}`,
    `BOARD:=${board}`,
    `SUBTARGET:=${subtarget}`,
    // What `make info` calls the architecture: the CPU family, not the package architecture.
    `ARCH:=${arch === 'x86_64' ? arch : arch.split('_')[0]}`,
    `ARCH_PACKAGES:=${arch}`,
    `REVISION:=${release.versionCode}`,
    `DEFAULT_PACKAGES:=${release.defaultPackages.join(' ')}`,
    '',
  ].join('\n');
  const profiles = [
    `PROFILE_NAMES = ${devices.map(([id]) => `DEVICE_${id}`).join(' ')}`,
    ...devices.flatMap(([id, profile]) => [
      `DEVICE_${id}_NAME:=${profile.title.vendor} ${profile.title.model}`,
      `DEVICE_${id}_PACKAGES:=${profile.device_packages.join(' ')}`,
      `DEVICE_${id}_HAS_IMAGE_METADATA:=1`,
      `DEVICE_${id}_SUPPORTED_DEVICES:=${profile.supported_devices.join(' ')}`,
    ]),
    '',
  ].join('\n');
  return { targetinfo, profiles };
}

/** opkg: `repositories.conf` (src/gz lines, the local repository, signature check); apk: `repositories` (URLs). */
function repositoriesFile(version: string, target: string): { name: string; content: string } {
  const base = `https://downloads.openwrt.org/releases/${version}`;
  const arch = FIXTURE.targets[target];
  const feeds = [...FEEDS, 'routing', 'telephony'];
  if (packageManagerOf(version) === 'apk') {
    const kernel = FIXTURE.linuxKernel[version]!;
    return {
      name: 'repositories',
      content: [
        `${base}/targets/${target}/packages/packages.adb`,
        `${base}/targets/${target}/kmods/${kernel.version}-${kernel.release}-${kernel.vermagic}/packages.adb`,
        ...feeds.map((feed) => `${base}/packages/${arch}/${feed}/packages.adb`),
        '',
      ].join('\n'),
    };
  }
  return {
    name: 'repositories.conf',
    content: [
      `src/gz openwrt_core ${base}/targets/${target}/packages`,
      ...feeds.map((feed) => `src/gz openwrt_${feed} ${base}/packages/${arch}/${feed}`),
      '',
      '## This is the local package repository, do not remove!',
      'src imagebuilder file:packages',
      '',
      'option check_signature',
      '',
    ].join('\n'),
  };
}

/** What goes into an ImageBuilder archive besides the Makefile and the fake tools. */
interface ArchiveContents {
  data: unknown;
  includes: { targetinfo: string; profiles: string };
  repositories: { name: string; content: string };
  sourceDateEpoch: number;
}

function fixtureArchiveContents(
  version: string,
  target: string,
  buildDelayMs: number,
  quirks: ImageBuilderQuirks,
): ArchiveContents {
  return {
    data: targetsData(version, target, buildDelayMs, quirks),
    includes: makeIncludes(version, target, quirks),
    repositories: repositoriesFile(version, target),
    sourceDateEpoch: FIXTURE.sourceDateEpoch[version]!,
  };
}

async function buildArchive(
  workDir: string,
  version: string,
  target: string,
  key: UsignKeyPair,
  contents: ArchiveContents,
): Promise<Buffer> {
  const archiveName = imagebuilderArchiveName(version, target);
  const archive = path.join(workDir, archiveName);
  const name = archiveName.replace(/\.tar\.(xz|zst)$/, '');
  const stage = await mkdtemp(path.join(workDir, 'stage-'));
  const root = path.join(stage, name);
  for (const dir of ['scripts', 'packages', 'keys']) await mkdir(path.join(root, dir), { recursive: true });
  await copyFile(path.join(FIXTURE_DIR, 'Makefile'), path.join(root, 'Makefile'));
  await copyFile(path.join(FIXTURE_DIR, 'fake-imagebuilder.mjs'), path.join(root, 'scripts', 'fake-imagebuilder.mjs'));
  await writeFile(path.join(root, '.targets-data.json'), JSON.stringify(contents.data, null, 2));
  await writeFile(path.join(root, '.targetinfo.mk'), contents.includes.targetinfo);
  await writeFile(path.join(root, '.profiles.mk'), contents.includes.profiles);
  await writeFile(path.join(root, contents.repositories.name), contents.repositories.content);
  await writeFile(path.join(root, 'packages', '.keep'), '');
  await writeFile(path.join(root, 'keys', key.keyNumber.toString('hex')), usignPublicKey(key));
  // Fixed owner, modes and times: whoever unpacks it (root or not) gets a tree anyone can read.
  await execFileAsync('tar', [
    archiveName.endsWith('.zst') ? '--zstd' : '--xz',
    '--sort=name',
    `--mtime=@${contents.sourceDateEpoch}`,
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    '--mode=u+rwX,go+rX,go-w',
    '-cf',
    archive,
    '-C',
    stage,
    name,
  ]);
  await rm(stage, { recursive: true, force: true });
  return readFile(archive);
}

/** A zstd skippable frame: decompressors ignore it, so the archive still unpacks but its hash changes. */
function withSkippableFrame(archive: Buffer): Buffer {
  const frame = Buffer.alloc(8 + 16, 0x41);
  frame.writeUInt32LE(0x184d2a50, 0);
  frame.writeUInt32LE(16, 4);
  return Buffer.concat([archive, frame]);
}

// ---------------------------------------------------------------------------------------------
// Server

export interface UpstreamFixture {
  /** e.g. http://127.0.0.1:PORT */
  url: string;
  /** usign public key file that verifies every sha256sums.sig. */
  publicKey: string;
  /** A valid usign public key of another key pair ("signed by the wrong key"). */
  otherPublicKey: string;
  /** sha256 of the honest ImageBuilder archive, as listed in sha256sums. */
  archiveSha256(version: string, target: string): string;
  /** Requests per path (no query string), including those answered 304 or 503. */
  requestCount(path: string): number;
  notModifiedCount(path: string): number;
  /**
   * 'archive': archives differ from sha256sums (but still unpack); 'signature': sha256sums.sig does not verify; null:
   * honest.
   */
  tamper(kind: 'archive' | 'signature' | null): void;
  /** While true every path answers 503. */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

interface Resource {
  body: Buffer;
  type: string;
  etag: string;
}

const resource = (body: Buffer, type: string): Resource => ({ body, type, etag: `"${sha256(body).slice(0, 32)}"` });

function etagMatches(header: string, etag: string): boolean {
  return header.split(',').some((tag) => {
    const value = tag.trim();
    return value === '*' || value.replace(/^W\//, '') === etag;
  });
}

// ---------------------------------------------------------------------------------------------
// ASU's own test release (openwrt/asu tests/upstream and the `make info`/manifest of its fake ImageBuilder), opt-in,
// so that assertions ported from ASU's test suite read alike: version 1.2.3, target testtarget/testsubtarget (arch
// testarch), profile testprofile (board testvendor,testprofile), packages test1 1.0 and test2 2.0, revision
// r12647-cb44ab4f5d. zzz, qqq and aaa exist too (ASU's tests request them; its fake ImageBuilder builds anything).

export const ASU_TEST_RELEASE = {
  version: '1.2.3',
  versionCode: 'r12647-cb44ab4f5d',
  target: 'testtarget/testsubtarget',
  arch: 'testarch',
  profile: 'testprofile',
  supportedDevices: ['testvendor,testprofile', 'testprofile'],
  defaultPackages: (
    'base-files libc libgcc busybox dropbear mtd uci opkg netifd fstools uclient-fetch logd urandom-seed urngd ' +
    'kmod-gpio-button-hotplug swconfig kmod-ath9k uboot-envtools wpad-basic dnsmasq iptables ip6tables ppp ' +
    'ppp-mod-pppoe firewall odhcpd-ipv6only odhcp6c kmod-ipt-offload'
  ).split(' '),
  profilePackages: ['kmod-usb2', 'kmod-usb-chipidea2', 'kmod-usb-storage', '-swconfig'],
  packages: { test1: '1.0', test2: '2.0', zzz: '1.0', qqq: '1.0', aaa: '1.0' } as Record<string, string>,
  sourceDateEpoch: 1612136917,
} as const;

async function publishAsuTestRelease(
  publish: (urlPath: string, body: Buffer, type: string) => void,
  workDir: string,
  key: UsignKeyPair,
  buildDelayMs: number,
): Promise<void> {
  const r = ASU_TEST_RELEASE;
  const release = `/releases/${r.version}`;
  const dir = `${release}/targets/${r.target}`;
  const [t, s] = r.target.split('/');
  const all: Record<string, { version: string; feed: 'target' | 'base' }> = {};
  for (const name of [...r.defaultPackages, ...r.profilePackages.filter((entry) => !entry.startsWith('-'))])
    all[name] = { version: '1.0-1', feed: name.startsWith('kmod-') || name === 'base-files' ? 'target' : 'base' };
  for (const [name, version] of Object.entries(r.packages)) all[name] = { version, feed: 'base' };
  const index = (feed: string) =>
    Object.fromEntries(
      Object.entries(all)
        .filter(([, entry]) => entry.feed === feed)
        .map(([name, entry]) => [name, entry.version]),
    );
  const profile: FixtureProfile = {
    supported_devices: [...r.supportedDevices],
    title: { vendor: 'Test', model: 'Testprofile' },
    device_packages: [...r.profilePackages],
  };
  const prefix = `openwrt-${r.version}-${t}-${s}-${r.profile}`;
  const upstreamImage = `${prefix}-squashfs-sysupgrade.bin`;
  const profiles = json({
    arch_packages: r.arch,
    default_packages: r.defaultPackages,
    metadata_version: 1,
    profiles: {
      [r.profile]: {
        device_packages: r.profilePackages,
        image_prefix: prefix,
        images: [{ filesystem: 'squashfs', name: upstreamImage, sha256: sha256(upstreamImage), type: 'sysupgrade' }],
        supported_devices: r.supportedDevices,
        titles: [profile.title],
      },
    },
    source_date_epoch: r.sourceDateEpoch,
    target: r.target,
    version_code: r.versionCode,
    version_number: r.version,
  });
  const kernel = { version: '5.10.1', release: '1', vermagic: 'cb44ab4f5d' };
  const data = {
    version: r.version,
    version_code: r.versionCode,
    snapshot: false,
    package_manager: 'opkg',
    target: r.target,
    arch: r.arch,
    source_date_epoch: r.sourceDateEpoch,
    linux_kernel: kernel,
    default_packages: r.defaultPackages,
    profiles: { [r.profile]: profile },
    packages: {
      ...Object.fromEntries(
        Object.entries(all).map(([name, entry]) => [name, { version: entry.version, size: 10_240, depends: [] }]),
      ),
      kernel: { version: `${kernel.version}-${kernel.release}-${kernel.vermagic}`, size: 0, depends: [] },
    },
    conflicts: [],
    image_types: ['sysupgrade'],
    image_size_limit: 16_252_928,
    kernel_size: 2_621_440,
    build_delay_ms: buildDelayMs,
    host_tools: HOST_TOOLS,
  };
  const archiveName = imagebuilderArchiveName(r.version, r.target);
  const repositories =
    `src/gz openwrt_core https://downloads.openwrt.org${dir}/packages\n` + 'src imagebuilder file:packages\n';
  const archive = await buildArchive(workDir, r.version, r.target, key, {
    data,
    includes: includesOf({
      target: r.target,
      arch: r.arch,
      versionCode: r.versionCode,
      defaultPackages: r.defaultPackages,
      devices: [[r.profile, profile]],
    }),
    repositories: { name: 'repositories.conf', content: repositories },
    sourceDateEpoch: r.sourceDateEpoch,
  });
  const sums = Buffer.from(
    [
      `${sha256(archive)} *${archiveName}`,
      `${sha256(upstreamImage)} *${upstreamImage}`,
      `${sha256(profiles)} *profiles.json`,
    ]
      .sort((a, b) => (a.slice(66) < b.slice(66) ? -1 : 1))
      .map((line) => `${line}\n`)
      .join(''),
  );
  publish(`${release}/.targets.json`, json({ [r.target]: r.arch }), 'application/json');
  for (const feed of FEEDS) {
    const packages = index(feed);
    publish(
      `${release}/packages/${r.arch}/${feed}/index.json`,
      json({ version: 2, architecture: r.arch, packages }),
      'application/json',
    );
  }
  publish(`${dir}/profiles.json`, profiles, 'application/json');
  publish(
    `${dir}/packages/index.json`,
    json({ version: 2, architecture: r.arch, packages: index('target') }),
    'application/json',
  );
  publish(`${dir}/sha256sums`, sums, 'text/plain; charset=utf-8');
  publish(`${dir}/sha256sums.sig`, Buffer.from(signUsign(sums, key)), 'text/plain; charset=utf-8');
  publish(`${dir}/${archiveName}`, archive, 'application/octet-stream');
}

export interface UpstreamFixtureOptions extends ImageBuilderQuirks {
  buildDelayMs?: number;
  /** Also publish the apk-era release APK_VERSION (25.12.1). */
  apk?: boolean;
  /** Also publish ASU's test release 1.2.3 (ASU_TEST_RELEASE). */
  asuTestRelease?: boolean;
  /** Also serve 22.03.5 (as oldstable, for ath79/generic only), whose kmod-nft-nat6 23.05 no longer has. */
  oldRelease?: boolean;
  /** Also serve 24.10.0 (as upcoming, for ath79/generic and mediatek/filogic): no auc, renamed language packs. */
  newRelease?: boolean;
}

interface UpstreamFiles {
  honest: Map<string, Resource>;
  tampered: { archive: Map<string, Resource>; signature: Map<string, Resource> };
  archiveHashes: Map<string, string>;
}

/** Appended bytes decompressors skip (a zstd skippable frame, xz stream padding): the hash changes, not the tree. */
function withIgnoredTail(archive: Buffer, name: string): Buffer {
  return name.endsWith('.xz') ? Buffer.concat([archive, Buffer.alloc(8)]) : withSkippableFrame(archive);
}

/** Every file of the fake download server, by URL path. */
async function buildUpstreamFiles(
  workDir: string,
  key: UsignKeyPair,
  options: UpstreamFixtureOptions,
): Promise<UpstreamFiles> {
  const honest = new Map<string, Resource>();
  const tampered = { archive: new Map<string, Resource>(), signature: new Map<string, Resource>() };
  const archiveHashes = new Map<string, string>();
  const releases: [string, Record<string, string>][] = FIXTURE.versions.list.map((version) => [
    version,
    FIXTURE.targets,
  ]);
  if (options.oldRelease) {
    const { target } = FIXTURE.oldRelease;
    releases.unshift([V22, { [target]: FIXTURE.targets[target]! }]);
  }
  if (options.newRelease)
    releases.push([
      V24,
      Object.fromEntries(FIXTURE.newRelease.targets.map((target) => [target, FIXTURE.targets[target]!])),
    ]);
  if (options.apk) releases.push([APK_VERSION, FIXTURE.targets]);
  honest.set(
    '/.versions.json',
    resource(
      json({
        stable_version: V3,
        oldstable_version: options.oldRelease ? V22 : '',
        upcoming_version: options.newRelease ? V24 : '',
        versions_list: [
          ...(options.asuTestRelease ? [ASU_TEST_RELEASE.version] : []),
          ...releases.map(([version]) => version),
        ],
      }),
      'application/json',
    ),
  );
  for (const [version, targets] of releases) {
    const release = `/releases/${version}`;
    // kmods have their own folder (targets/<t>/<s>/kmods/<kernel>/) since 24.10, so in every apk-era release.
    // (The fixture's 24.10.0 keeps them in the target's index: the server reads both.)
    const kmodsApart = packageManagerOf(version) === 'apk';
    honest.set(`${release}/.targets.json`, resource(json(targets), 'application/json'));
    for (const arch of new Set(Object.values(targets))) {
      for (const feed of FEEDS) {
        honest.set(
          `${release}/packages/${arch}/${feed}/index.json`,
          resource(json({ version: 2, architecture: arch, packages: packageIndex(version, feed) }), 'application/json'),
        );
      }
    }
    await Promise.all(
      Object.entries(targets).map(async ([target, arch]) => {
        const dir = `${release}/targets/${target}`;
        const archiveName = imagebuilderArchiveName(version, target);
        const archive = await buildArchive(
          workDir,
          version,
          target,
          key,
          fixtureArchiveContents(version, target, options.buildDelayMs ?? 0, options),
        );
        const profiles = json(upstreamProfiles(version, target));
        archiveHashes.set(`${version} ${target}`, sha256(archive));
        const sums: Record<string, string> = {
          [archiveName]: sha256(archive),
          'profiles.json': sha256(profiles),
          [`openwrt-sdk-${version}-${target.replace('/', '-')}_gcc-12.3.0_musl.Linux-x86_64.tar.xz`]: sha256(
            `${archiveName} sdk`,
          ),
        };
        const upstreamImages = Object.values(
          (
            JSON.parse(profiles.toString()) as {
              profiles: Record<string, { images: { name: string; sha256: string }[] }>;
            }
          ).profiles,
        );
        for (const image of upstreamImages.flatMap((profile) => profile.images)) sums[image.name] = image.sha256;
        const sha256sums = Buffer.from(
          Object.keys(sums)
            .sort()
            .map((name) => `${sums[name]} *${name}\n`)
            .join(''),
        );

        honest.set(`${dir}/profiles.json`, resource(profiles, 'application/json'));
        honest.set(
          `${dir}/packages/index.json`,
          resource(
            json({
              version: 2,
              architecture: arch,
              packages: packageIndex(version, 'target', (name) => !(kmodsApart && isKmod(name))),
            }),
            'application/json',
          ),
        );
        if (kmodsApart) {
          const kernel = FIXTURE.linuxKernel[version]!;
          honest.set(
            `${dir}/kmods/${kernel.version}-${kernel.release}-${kernel.vermagic}/index.json`,
            resource(
              json({ version: 2, architecture: arch, packages: packageIndex(version, 'target', isKmod) }),
              'application/json',
            ),
          );
        }
        honest.set(`${dir}/sha256sums`, resource(sha256sums, 'text/plain; charset=utf-8'));
        honest.set(
          `${dir}/sha256sums.sig`,
          resource(Buffer.from(signUsign(sha256sums, key)), 'text/plain; charset=utf-8'),
        );
        honest.set(`${dir}/${archiveName}`, resource(archive, 'application/octet-stream'));
        tampered.archive.set(
          `${dir}/${archiveName}`,
          resource(withIgnoredTail(archive, archiveName), 'application/octet-stream'),
        );
        // Right key, wrong message: well-formed, names the expected key, and still fails to verify.
        tampered.signature.set(
          `${dir}/sha256sums.sig`,
          resource(
            Buffer.from(signUsign(Buffer.concat([sha256sums, Buffer.from('\n')]), key)),
            'text/plain; charset=utf-8',
          ),
        );
      }),
    );
  }
  if (options.asuTestRelease) {
    await publishAsuTestRelease(
      (urlPath, body, type) => honest.set(urlPath, resource(body, type)),
      workDir,
      key,
      options.buildDelayMs ?? 0,
    );
  }
  return { honest, tampered, archiveHashes };
}

/**
 * Writes the fixture's download server as plain files into `dir`, laid out like downloads.openwrt.org
 * (any static HTTP server can serve it). Returns the usign public key that signed every sha256sums.
 */
export async function writeUpstreamMirror(
  dir: string,
  options: UpstreamFixtureOptions = {},
): Promise<{ publicKey: string; files: string[] }> {
  const key = createUsignKeyPair();
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'asu-mirror-'));
  try {
    const { honest } = await buildUpstreamFiles(workDir, key, options);
    for (const [urlPath, found] of honest) {
      const file = path.join(dir, ...urlPath.split('/').filter(Boolean));
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, found.body);
    }
    return { publicKey: usignPublicKey(key), files: [...honest.keys()].sort() };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

export async function startUpstreamFixture(options: UpstreamFixtureOptions = {}): Promise<UpstreamFixture> {
  const key = createUsignKeyPair();
  const otherKey = createUsignKeyPair();
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'asu-upstream-'));
  let files: UpstreamFiles;
  try {
    files = await buildUpstreamFiles(workDir, key, options);
  } catch (error) {
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
  const { honest, tampered, archiveHashes } = files;

  const requests = new Map<string, number>();
  const notModified = new Map<string, number>();
  const bump = (counter: Map<string, number>, key: string): void => {
    counter.set(key, (counter.get(key) ?? 0) + 1);
  };
  let tampering: 'archive' | 'signature' | null = null;
  let down = false;
  // Seconds resolution of HTTP dates: start a day back, and step a second forward whenever tampering
  // changes, so that If-Modified-Since never hides a changed archive or signature.
  const baseTime = (Math.floor(Date.now() / 1000) - 86_400) * 1000;
  let generation = 0;

  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://upstream').pathname;
    bump(requests, pathname);
    if (down) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('503 Service Unavailable\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('405 Method Not Allowed\n');
      return;
    }
    const override = tampering ? tampered[tampering].get(pathname) : undefined;
    const found = override ?? honest.get(pathname);
    if (!found) {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body><h1>404 Not Found</h1></body></html>\n');
      return;
    }
    const changes = tampered.archive.has(pathname) || tampered.signature.has(pathname);
    const lastModified = new Date(baseTime + (changes ? generation * 1000 : 0));
    const headers = { etag: found.etag, 'last-modified': lastModified.toUTCString() };
    const ifNoneMatch = req.headers['if-none-match'];
    const ifModifiedSince = req.headers['if-modified-since'];
    // If-None-Match, when sent, decides alone (RFC 9110 13.2.2).
    const fresh =
      ifNoneMatch !== undefined
        ? etagMatches(ifNoneMatch, found.etag)
        : ifModifiedSince !== undefined && Date.parse(ifModifiedSince) >= lastModified.getTime();
    if (fresh) {
      bump(notModified, pathname);
      res.writeHead(304, headers).end();
      return;
    }
    res.writeHead(200, { ...headers, 'content-type': found.type, 'content-length': found.body.length });
    res.end(req.method === 'HEAD' ? undefined : found.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };

  return {
    url: `http://127.0.0.1:${port}`,
    publicKey: usignPublicKey(key),
    otherPublicKey: usignPublicKey(otherKey),
    archiveSha256(version, target) {
      const hash = archiveHashes.get(`${version} ${target}`);
      if (!hash) throw new Error(`no ImageBuilder archive for ${version} ${target}`);
      return hash;
    },
    requestCount: (pathname) => requests.get(pathname) ?? 0,
    notModifiedCount: (pathname) => notModified.get(pathname) ?? 0,
    tamper(kind) {
      if (kind !== tampering) generation += 1;
      tampering = kind;
    },
    setDown(value) {
      down = value;
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
