// Synthetic OpenWrt ImageBuilder for tests: the steps the real Makefile's targets run (the host
// prerequisite check, package install, image build, profiles.json, checksums), printing what the real
// tools print, as opkg (≤ 24.10) or apk (25.12+) per .targets-data.json. Plain JavaScript with node:
// built-ins only: it runs inside an unpacked archive, possibly as an unprivileged user, with no
// node_modules around. It writes only into BIN_DIR and its own tree (build_dir/), as the real one.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const IB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const data = JSON.parse(readFileSync(path.join(IB_DIR, '.targets-data.json'), 'utf8'));
const [target, subtarget] = data.target.split('/');
const env = process.env;
const apk = data.package_manager === 'apk';
const JSON_INFO_DIR = path.join(IB_DIR, 'build_dir', 'json_info_files');

const words = (value) => (value ?? '').split(/\s+/).filter(Boolean);
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const isPackage = (name) => Object.hasOwn(data.packages, name);
const out = (...lines) => process.stdout.write(`${lines.join('\n')}\n`);
const err = (...lines) => process.stderr.write(`${lines.join('\n')}\n`);

function profile() {
  const id = (env.USER_PROFILE || `DEVICE_${Object.keys(data.profiles)[0]}`).replace(/^DEVICE_/, '');
  return { id, ...data.profiles[id] };
}

/** include/prereq-build.mk: one "Checking 'x'..." line per check, the advice of those that failed. */
function prereq() {
  const failed = [];
  const onPath = (command) =>
    words((env.PATH ?? '').replaceAll(':', ' ')).some((dir) => existsSync(path.join(dir, command)));
  for (const tool of data.host_tools) {
    const ok = onPath(tool.command);
    process.stdout.write(`Checking '${tool.name}'... ${ok ? 'ok.' : 'failed.'}\n`);
    if (!ok) failed.push(tool.advice);
  }
  if (failed.length === 0) return;
  out('', ...failed.map((advice) => `Build dependency: ${advice}`), '');
  process.exit(1);
}

/** BUILD_PACKAGES (computed by the Makefile) and their dependencies, or the errors opkg/apk print. */
function resolve() {
  const wanted = words(env.BUILD_PACKAGES);
  const installed = new Set();
  const install = (name) => {
    if (installed.has(name) || !isPackage(name)) return;
    installed.add(name);
    data.packages[name].depends.forEach(install);
  };
  for (const name of wanted) install(name);
  const missing = wanted.filter((name) => !isPackage(name));
  const clashes = data.conflicts.filter((pair) => installed.has(pair.package) && installed.has(pair.conflicts_with));
  return { packages: [...installed].sort(), missing, clashes };
}

const withVersion = (name) => `${name}-${data.packages[name].version}`;

function reportOpkgErrors(missing, clashes) {
  const errors = [];
  for (const pair of clashes) {
    if (pair.kind === 'file') {
      errors.push(
        ` * check_data_file_clashes: Package ${pair.package} wants to install file ${pair.file}`,
        `\tBut that file is already provided by package  * ${pair.conflicts_with}`,
      );
    } else {
      // opkg joins its collected errors as pushed: the "\t<name>" entries and the closing "\n" share a line.
      errors.push(
        ` * check_conflicts_for: The following packages conflict with ${pair.package}:`,
        ` * check_conflicts_for: \t${pair.conflicts_with} * `,
      );
    }
    errors.push(` * opkg_install_cmd: Cannot install package ${pair.package}.`);
  }
  for (const name of missing) errors.push(` * opkg_install_cmd: Cannot install package ${name}.`);
  err('Collected errors:', ...errors);
  process.exit(255);
}

function reportApkErrors(missing, clashes) {
  const declared = clashes.filter((pair) => pair.kind !== 'file');
  if (missing.length > 0 || declared.length > 0) {
    const lines = ['ERROR: unable to select packages:'];
    for (const name of missing) lines.push(`  ${name} (no such package):`, `    required by: world[${name}]`);
    for (const pair of declared) {
      for (const [one, other] of [
        [pair.package, pair.conflicts_with],
        [pair.conflicts_with, pair.package],
      ]) {
        lines.push(
          `  ${withVersion(one)}:`,
          `    conflicts: ${withVersion(other)}[${other}]`,
          `    satisfies: world[${one}]`,
        );
      }
    }
    err(...lines);
    process.exit(missing.length + declared.length);
  }
  for (const pair of clashes) {
    const owner = withVersion(pair.conflicts_with);
    err(`ERROR: ${withVersion(pair.package)}: trying to overwrite ${pair.file.slice(1)} owned by ${owner}.`);
  }
  err(`${clashes.length} error${clashes.length === 1 ? '' : 's'}; 12 MiB in ${resolve().packages.length} packages`);
  process.exit(1);
}

/** package_install: `opkg install` / `apk add` of BUILD_PACKAGES. */
function install() {
  const { packages, missing, clashes } = resolve();
  if (apk) {
    if (missing.length > 0 || clashes.length > 0) reportApkErrors(missing, clashes);
    for (const [index, name] of packages.entries())
      out(`(${index + 1}/${packages.length}) Installing ${name} (${data.packages[name].version})`);
    out(`OK: 12 MiB in ${packages.length} packages`);
    return;
  }
  for (const name of packages) out(`Installing ${name} (${data.packages[name].version}) to root...`);
  if (missing.length > 0 || clashes.length > 0) reportOpkgErrors(missing, clashes);
  for (const name of packages) out(`Configuring ${name}.`);
}

/** `opkg list-installed` ("name - version") / `apk list --quiet --manifest` ("name version"). */
const manifestLines = (packages) => packages.map((name) => `${name}${apk ? ' ' : ' - '}${data.packages[name].version}`);

function listInstalled() {
  out(...manifestLines(resolve().packages));
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

/** Readable description of the build (tests find packages and FILES in it) padded with deterministic filler. */
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
function fwtoolMetadata(device) {
  const header = Buffer.alloc(8);
  const json = Buffer.from(
    JSON.stringify({
      metadata_version: '1.1',
      compat_version: '1.0',
      supported_devices: device.supported_devices,
      version: {
        dist: 'OpenWrt',
        version: data.version,
        revision: data.version_code,
        target: data.target,
        board: device.id,
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

/** include/image.mk: IMG_PREFIX with the version (not for snapshots) and EXTRA_IMAGE_NAME, sanitized. */
function imagePrefix(device) {
  const sanitize = (value) => value.toLowerCase().replace(/[^a-z0-9._-]/g, '_');
  return [
    'openwrt',
    data.snapshot ? '' : sanitize(data.version),
    env.EXTRA_IMAGE_NAME ? sanitize(env.EXTRA_IMAGE_NAME) : '',
    target,
    subtarget,
    device.id,
  ]
    .filter(Boolean)
    .join('-');
}

const binDir = () => path.resolve(env.BIN_DIR || path.join(IB_DIR, 'bin', 'targets', target, subtarget));

async function buildImage() {
  const device = profile();
  const { packages } = resolve();
  const filesystem = env.ROOTFS_FILESYSTEM || 'squashfs';
  const partsize = env.CONFIG_TARGET_ROOTFS_PARTSIZE ? Number(env.CONFIG_TARGET_ROOTFS_PARTSIZE) : null;
  const files = env.USER_FILES ? overlayFiles(path.resolve(env.USER_FILES)) : [];
  const prefix = imagePrefix(device);
  const bin = binDir();
  const kdirTmp = path.join(IB_DIR, 'build_dir', `target-${data.arch}_musl`, `linux-${target}_${subtarget}`, 'tmp');
  mkdirSync(bin, { recursive: true });
  rmSync(JSON_INFO_DIR, { recursive: true, force: true });
  mkdirSync(JSON_INFO_DIR, { recursive: true });

  out('', 'Finalizing root filesystem...');
  if (files.length > 0) out(`Copying files from ${env.USER_FILES}`);
  for (const service of words(env.DISABLED_SERVICES)) out(`Disabling ${service}`);
  out('', 'Building images...');
  if (data.build_delay_ms > 0) await sleep(data.build_delay_ms);

  const imageSize = data.kernel_size + packages.reduce((sum, name) => sum + data.packages[name].size, 0);
  // x86: the root filesystem goes into a partition of ROOTFS_PARTSIZE MB (default 104); mkfs runs out of space.
  if (data.image_size_limit === null && imageSize > (partsize ?? 104) * 1024 * 1024) {
    err(
      `error: ext4_allocate_best_fit_partial: failed to allocate ${Math.ceil(imageSize / 4096)} blocks, out of space?`,
    );
    process.exit(1);
  }
  const build = { profile: device, packages, filesystem, partsize, files };
  const mainType = data.image_types[0];
  data.image_types.forEach((type, index) => {
    const name = `${prefix}-${filesystem}-${type === 'combined' ? 'combined.img.gz' : `${type}.bin`}`;
    // Build/check-size: an image over the flash size is deleted with a warning; make goes on.
    if (data.image_size_limit !== null && imageSize > data.image_size_limit) {
      err(`WARNING: Image file ${kdirTmp}/${name} is too big: ${imageSize} > ${data.image_size_limit}`);
      out(`Skip JSON creation for non existing file ${path.join(bin, name)}`);
      return;
    }
    const image = payload(type, build);
    const bytes =
      index === 0 ? Buffer.concat([type === 'combined' ? zlib.gzipSync(image) : image, fwtoolMetadata(device)]) : image;
    writeFileSync(path.join(bin, name), bytes);
    const info = {
      metadata_version: 1,
      target: data.target,
      version_code: data.version_code,
      version_number: data.version,
      source_date_epoch: data.source_date_epoch,
      profiles: {
        [device.id]: {
          image_prefix: prefix,
          images: [{ type, name, sha256: sha256(bytes), sha256_unsigned: sha256(bytes), filesystem }],
          device_packages: device.device_packages,
          supported_devices: device.supported_devices,
          titles: [device.title],
        },
      },
    };
    // Named in build order (the real script globs them: no order promised), so images[0] is the main image.
    writeFileSync(path.join(JSON_INFO_DIR, `${index}-${name}.json`), JSON.stringify(info));
    if (type === mainType)
      writeFileSync(path.join(bin, `${prefix}.manifest`), `${manifestLines(packages).join('\n')}\n`);
  });
}

/** scripts/json_overview_image_info.py: the per-image JSON files merged into BIN_DIR/profiles.json. */
function jsonOverview() {
  const parts = existsSync(JSON_INFO_DIR)
    ? readdirSync(JSON_INFO_DIR)
        .filter((name) => name.endsWith('.json'))
        .sort()
        .map((name) => JSON.parse(readFileSync(path.join(JSON_INFO_DIR, name), 'utf8')))
    : [];
  if (parts.length === 0) {
    out('JSON info file script could not find any JSON files for target');
    return;
  }
  const output = parts[0];
  for (const part of parts.slice(1)) {
    const [id, entry] = Object.entries(part.profiles)[0];
    if (output.profiles[id]) output.profiles[id].images.push(...entry.images);
    else output.profiles[id] = entry;
  }
  output.default_packages = [...data.default_packages].sort();
  output.arch_packages = data.arch;
  output.linux_kernel = data.linux_kernel;
  const sorted = (value) =>
    Array.isArray(value)
      ? value.map(sorted)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((key) => [key, sorted(value[key])]),
          )
        : value;
  writeFileSync(path.join(binDir(), 'profiles.json'), JSON.stringify(sorted(output)));
}

function checksum() {
  const bin = binDir();
  const names = readdirSync(bin, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name !== 'sha256sums')
    .map((entry) => entry.name)
    .sort();
  writeFileSync(
    path.join(bin, 'sha256sums'),
    names.map((name) => `${sha256(readFileSync(path.join(bin, name)))} *${name}\n`).join(''),
  );
}

const commands = {
  prereq,
  install,
  'list-installed': listInstalled,
  'build-image': buildImage,
  'json-overview': jsonOverview,
  checksum,
};
const command = commands[process.argv[2]];
if (!command) {
  err(`unknown step ${process.argv[2]}`);
  process.exit(2);
}
try {
  await command();
} catch (error) {
  // e.g. an unwritable BIN_DIR: one line, as a shell tool would print, rather than a stack trace.
  err(`ERROR: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
