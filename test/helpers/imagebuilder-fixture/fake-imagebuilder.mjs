// Synthetic OpenWrt ImageBuilder for tests: `make info`, `make manifest` and `make image` with the
// output formats of the real (opkg-era, 23.05) ImageBuilder, driven by .targets-data.json.
// Plain JavaScript with node: built-ins only: it runs inside an unpacked archive, possibly as an
// unprivileged user, with no node_modules around. It writes nothing outside BIN_DIR.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const IB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const data = JSON.parse(readFileSync(path.join(IB_DIR, '.targets-data.json'), 'utf8'));
const [target, subtarget] = data.target.split('/');
const env = process.env;

// make reports a failed recipe itself ("make: *** [Makefile:NN: image] Error 1") and exits 2.
function fail(...lines) {
  process.stderr.write(`${lines.join('\n')}\n`);
  process.exit(1);
}

const words = (value) => (value ?? '').split(/\s+/).filter(Boolean);
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const isPackage = (name) => Object.hasOwn(data.packages, name);

function info() {
  const lines = [
    `Current Target: "${data.target}"`,
    `Current Architecture: "${data.cpu_arch}"`,
    `Current Revision: "${data.version_code}"`,
    `Default Packages: ${data.default_packages.join(' ')}`,
    'Available Profiles:',
    '',
  ];
  for (const [id, profile] of Object.entries(data.profiles)) {
    lines.push(
      `${id}:`,
      `    ${profile.title.vendor} ${profile.title.model}`,
      `    Packages: ${profile.device_packages.join(' ')}`,
      '    hasImageMetadata: 1',
      `    SupportedDevices: ${profile.supported_devices.join(' ')}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

function selectProfile() {
  const ids = Object.keys(data.profiles);
  // The real ImageBuilder builds every profile without PROFILE; single-profile targets are all we need.
  const id = env.PROFILE || (ids.length === 1 ? ids[0] : '');
  if (!id) fail('No PROFILE given; use "make info" to get a list of available profile names.');
  if (!Object.hasOwn(data.profiles, id)) {
    fail(`Profile "${id}" does not exist!`, 'Use "make info" to get a list of available profile names.');
  }
  return { id, ...data.profiles[id] };
}

/** defaults ∪ device packages ∪ PACKAGES, minus every `-name` wherever it appears (as the real Makefile filters). */
function resolvePackages(profile) {
  const requested = [...data.default_packages, ...profile.device_packages, ...words(env.PACKAGES)];
  const removed = new Set(requested.filter((name) => name.startsWith('-')).map((name) => name.slice(1)));
  const wanted = [...new Set(requested.filter((name) => !name.startsWith('-') && !removed.has(name)))];
  const installed = new Set();
  // Dependencies come back even when removed explicitly, as with opkg.
  const install = (name) => {
    if (installed.has(name) || !isPackage(name)) return;
    installed.add(name);
    data.packages[name].depends.forEach(install);
  };
  wanted.forEach(install);

  const errors = wanted
    .filter((name) => !isPackage(name))
    .map((name) => ` * opkg_install_cmd: Cannot install package ${name}.`);
  for (const clash of data.conflicts) {
    if (installed.has(clash.package) && installed.has(clash.conflicts_with)) {
      errors.push(
        ` * check_data_file_clashes: Package ${clash.package} wants to install file ${clash.file}`,
        `\tBut that file is already provided by package  * ${clash.conflicts_with}`,
        ` * opkg_install_cmd: Cannot install package ${clash.package}.`,
      );
    }
  }
  if (errors.length > 0) fail('Collected errors:', ...errors);
  return [...installed].sort();
}

const manifestLines = (packages) => packages.map((name) => `${name} - ${data.packages[name].version}`);

function manifest() {
  const packages = resolvePackages(selectProfile());
  process.stdout.write(`${manifestLines(packages).join('\n')}\n`);
}

/** Regular files under FILES, sorted, with their path as they would appear on the router. */
function overlayFiles(root) {
  const files = [];
  const walk = (dir) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile())
        files.push({ path: `/${path.relative(root, full).split(path.sep).join('/')}`, content: readFileSync(full) });
    }
  };
  walk(root);
  return files;
}

/**
 * Readable description of the build (so tests can find packages and FILES in the image) padded with deterministic
 * filler.
 */
function payload(kind, build) {
  const text = Buffer.concat([
    Buffer.from(
      [
        `OpenWrt synthetic ${kind} image`,
        `version: ${data.version} ${data.version_code}`,
        `target: ${data.target}`,
        `profile: ${build.profile.id}`,
        `filesystem: ${build.filesystem}`,
        `rootfs_partsize: ${build.partsize ?? '-'}`,
        'packages:',
        ...manifestLines(build.packages),
        'files:',
        '',
      ].join('\n'),
    ),
    ...build.files.flatMap((file) => [
      Buffer.from(`--- ${file.path} (${file.content.length} bytes)\n`),
      file.content,
      Buffer.from('\n'),
    ]),
  ]);
  const length = Math.ceil((text.length + 2048) / 4096) * 4096 - text.length;
  const filler = [];
  for (let block = createHash('sha256').update(text).digest(), size = 0; size < length; size += block.length) {
    filler.push(block);
    block = createHash('sha256').update(block).digest();
  }
  return Buffer.concat([text, ...filler]).subarray(0, text.length + length);
}

/** fwtool metadata block: zero header, JSON, trailer (magic "FWx0", crc32, type 1, padding, total size). */
function fwtoolMetadata(profile) {
  const header = Buffer.alloc(8);
  const json = Buffer.from(
    JSON.stringify({
      metadata_version: '1.1',
      compat_version: '1.0',
      supported_devices: profile.supported_devices,
      version: {
        dist: 'OpenWrt',
        version: data.version,
        revision: data.version_code,
        target: data.target,
        board: profile.id,
      },
    }),
  );
  const trailer = Buffer.alloc(16);
  trailer.writeUInt32BE(0x46577830, 0);
  trailer.writeUInt32BE(zlib.crc32(Buffer.concat([header, json])), 4);
  trailer.writeUInt8(1, 8);
  trailer.writeUInt32BE(header.length + json.length + trailer.length, 12);
  return Buffer.concat([header, json, trailer]);
}

async function image() {
  const profile = selectProfile();
  const packages = resolvePackages(profile);
  const filesystem = env.ROOTFS_FILESYSTEM || 'squashfs';
  const partsize = env.ROOTFS_PARTSIZE ? Number(env.ROOTFS_PARTSIZE) : null;
  if (!/^[a-z0-9]+$/.test(filesystem)) fail(`Unsupported ROOTFS_FILESYSTEM "${filesystem}"`);
  if (partsize !== null && !(Number.isInteger(partsize) && partsize > 0))
    fail(`Invalid ROOTFS_PARTSIZE "${env.ROOTFS_PARTSIZE}"`);
  if ((env.EXTRA_IMAGE_NAME ?? '').includes('/')) fail(`Invalid EXTRA_IMAGE_NAME "${env.EXTRA_IMAGE_NAME}"`);
  const binDir = path.resolve(env.BIN_DIR || path.join(IB_DIR, 'bin', 'targets', target, subtarget));
  const prefix = ['openwrt', data.version, env.EXTRA_IMAGE_NAME, target, subtarget, profile.id]
    .filter(Boolean)
    .join('-');

  console.log(`\nBuilding images for ${target} - ${profile.title.vendor} ${profile.title.model}`);
  console.log(`Packages: ${packages.join(' ')}\n`);
  console.log('Installing packages...');
  for (const name of packages) console.log(`Installing ${name} (${data.packages[name].version}) to root...`);
  if (data.build_delay_ms > 0) await sleep(data.build_delay_ms);

  const mainType = data.image_types[0];
  const mainName = `${prefix}-${filesystem}-${mainType === 'combined' ? 'combined.img.gz' : `${mainType}.bin`}`;
  // Flash targets have a fixed size; on x86 the root partition is ROOTFS_PARTSIZE (default 104 MB).
  const limit = data.image_size_limit ?? (partsize ?? 104) * 1024 * 1024;
  const imageSize = data.kernel_size + packages.reduce((sum, name) => sum + data.packages[name].size, 0);
  if (imageSize > limit) {
    const tmpDir = path.join(IB_DIR, 'build_dir', `target-${data.arch}_musl`, `linux-${target}_${subtarget}`, 'tmp');
    fail(`WARNING: Image file ${tmpDir}/${mainName} is too big:  ${imageSize} > ${limit}`);
  }

  console.log('Finalizing root filesystem...');
  const build = {
    profile,
    packages,
    filesystem,
    partsize,
    files: env.FILES ? overlayFiles(path.resolve(env.FILES)) : [],
  };
  const outputs = new Map();
  const main = payload(mainType, build);
  outputs.set(mainName, Buffer.concat([mainType === 'combined' ? zlib.gzipSync(main) : main, fwtoolMetadata(profile)]));
  for (const type of data.image_types.slice(1))
    outputs.set(`${prefix}-${filesystem}-${type}.bin`, payload(type, build));
  const images = [...outputs].map(([name, bytes], index) => ({
    filesystem,
    name,
    sha256: sha256(bytes),
    sha256_unsigned: sha256(bytes),
    type: data.image_types[index],
  }));
  outputs.set(`${prefix}.manifest`, Buffer.from(`${manifestLines(packages).join('\n')}\n`));
  outputs.set(
    'profiles.json',
    Buffer.from(
      JSON.stringify(
        {
          arch_packages: data.arch,
          default_packages: data.default_packages,
          metadata_version: 1,
          profiles: {
            [profile.id]: {
              device_packages: profile.device_packages,
              image_prefix: prefix,
              images,
              supported_devices: profile.supported_devices,
              titles: [profile.title],
            },
          },
          source_date_epoch: data.source_date_epoch,
          target: data.target,
          version_code: data.version_code,
          version_number: data.version,
          linux_kernel: data.linux_kernel,
        },
        null,
        2,
      ),
    ),
  );
  outputs.set('sha256sums', Buffer.from([...outputs].map(([name, bytes]) => `${sha256(bytes)} *${name}\n`).join('')));

  console.log('Building images...');
  mkdirSync(binDir, { recursive: true });
  for (const [name, bytes] of outputs) writeFileSync(path.join(binDir, name), bytes);
  console.log('Calculating checksums...');
}

const command = process.argv[2];
try {
  if (command === 'info') info();
  else if (command === 'manifest') manifest();
  else if (command === 'image') await image();
  else fail(`make: *** No rule to make target '${command}'.  Stop.`);
} catch (error) {
  // e.g. an unwritable BIN_DIR: one line, as a shell tool would print, rather than a stack trace.
  fail(`ERROR: ${error instanceof Error ? error.message : String(error)}`);
}
