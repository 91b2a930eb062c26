import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../platform/config.js';
import type { Logger } from '../../platform/logger.js';
import { BuildFailure, setupFailure } from './build-failure.js';
import type { CanonicalBuildRequest } from './build-request.js';
import type { ImageBuilderCache } from './imagebuilder-cache.js';
import {
  failedPrerequisites,
  imageTooBig,
  missingProfile,
  parseMakeInfo,
  parseManifest,
  parsePackageErrors,
} from './imagebuilder-output.js';
import type { ProfilesDocument } from './openwrt-catalog.js';
import { type CommandResult, ProgramNotFound, runCommand } from './run-command.js';

/**
 * Runs one build with the OpenWrt ImageBuilder: a private copy of the cached ImageBuilder in a
 * work folder of its own, then `make info` (revision check), `make manifest` (package check) and
 * `make image`. Every make argument is one array element (no shell); values were held to strict
 * patterns before (build-request.ts). When fleetflash runs as root, make runs as the unprivileged
 * image_builds.build_user. The whole build has a wall-clock limit and its output folder a size limit.
 */

export const BUILD_STAGES = [
  'init',
  'container_setup',
  'validate_revision',
  'validate_manifest',
  'building_image',
] as const;
export type BuildStage = (typeof BUILD_STAGES)[number];

export interface BuildJob {
  requestHash: string;
  request: CanonicalBuildRequest;
  defaults: string | null;
}

export interface BuildHooks {
  stage(stage: BuildStage): Promise<void>;
  signal: AbortSignal;
}

export interface BuildOutput {
  result: Record<string, unknown>;
  files: { name: string; path: string }[];
  buildCmd: string[];
  stdout: string;
  stderr: string;
  workDir: string;
}

const SAFE_FILE_NAME = /^[A-Za-z0-9._+-]+$/;
const SIZE_CHECK_INTERVAL_MS = 1000;
/** A work folder this much older than the build timeout belongs to no running build. */
const ABANDONED_GRACE_SECONDS = 300;

async function folderSize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (entry.isFile())
      total += (await fs.stat(path.join(entry.parentPath, entry.name)).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

function usignFingerprint(key: string): string {
  return Buffer.from(key, 'base64').subarray(2, 10).toString('hex');
}

export class ImageBuilderRunner {
  private buildUser: Promise<{ uid: number; gid: number } | null> | null = null;

  constructor(
    private readonly settings: Config['imageBuilds'],
    private readonly cache: ImageBuilderCache,
    private readonly logger: Logger,
  ) {}

  /** The uid/gid builds run as: the build user when fleetflash is root, else fleetflash's own. */
  private resolveBuildUser(): Promise<{ uid: number; gid: number } | null> {
    this.buildUser ??= (async () => {
      if (process.getuid?.() !== 0 || this.settings.buildUser === '') return null;
      const lookup = async (flag: string) => {
        const result = await runCommand('id', [flag, this.settings.buildUser], {
          cwd: '/',
          deadline: Date.now() + 10_000,
        });
        if (result.code !== 0)
          throw new BuildFailure(
            'SETUP_FAILED',
            `The build user "${this.settings.buildUser}" (image_builds.build_user) does not exist on this machine: ` +
              `create it, or set another.`,
          );
        return Number(result.stdout.trim());
      };
      return { uid: await lookup('-u'), gid: await lookup('-g') };
    })();
    return this.buildUser;
  }

  async run(job: BuildJob, hooks: BuildHooks): Promise<BuildOutput> {
    try {
      return await this.runSteps(job, hooks);
    } catch (error) {
      if (error instanceof ProgramNotFound)
        throw new BuildFailure(
          'HOST_TOOLS_MISSING',
          `${error.message} Builds need it: install it (docs/operations.md, "ImageBuilder host requirements").`,
        );
      throw error;
    }
  }

  private async runSteps(job: BuildJob, hooks: BuildHooks): Promise<BuildOutput> {
    const deadline = Date.now() + this.settings.timeout * 1000;
    const { request } = job;
    await hooks.stage('container_setup');
    const user = await this.resolveBuildUser();
    const imagebuilder = await this.cache.acquire(request.version, request.target, deadline);
    const workDir = path.join(
      this.settings.imagebuilderDir,
      'builds',
      `${job.requestHash.slice(0, 16)}-${randomUUID().slice(0, 8)}`,
    );
    try {
      const ibDir = path.join(workDir, 'imagebuilder');
      const binDir = path.join(workDir, 'bin');
      const filesDir = path.join(workDir, 'files');
      await fs.mkdir(workDir, { recursive: true, mode: 0o755 });
      // A private copy: make writes into the ImageBuilder's tree, and builds must not meet there.
      const copied = await runCommand('cp', ['-a', '--reflink=auto', imagebuilder.dir, ibDir], {
        cwd: workDir,
        deadline,
      });
      if (copied.code !== 0)
        throw setupFailure(copied, `Could not copy the ImageBuilder into the build folder: ${copied.stderr.trim()}`);
      await fs.mkdir(binDir);
      if (job.defaults !== null) {
        await fs.mkdir(path.join(filesDir, 'etc', 'uci-defaults'), { recursive: true });
        await fs.writeFile(path.join(filesDir, 'etc', 'uci-defaults', '99-asu-defaults'), job.defaults, {
          mode: 0o644,
        });
      }
      await this.writeRepositories(ibDir, request);
      if (user) {
        const owned = await runCommand('chown', ['-R', `${user.uid}:${user.gid}`, workDir], { cwd: workDir, deadline });
        if (owned.code !== 0)
          throw setupFailure(owned, `Could not hand the build folder to the build user: ${owned.stderr.trim()}`);
        const reachable = await runCommand('ls', [ibDir], { cwd: '/', uid: user.uid, gid: user.gid, deadline });
        if (reachable.code !== 0) {
          throw setupFailure(
            reachable,
            `The build user "${this.settings.buildUser}" cannot reach ${workDir}: make the folders above it ` +
              `traversable (chmod o+x), or move image_builds.imagebuilder_dir.`,
          );
        }
      }
      const make = (args: string[], watch?: () => Promise<boolean>) =>
        this.make(ibDir, args, { user, deadline, signal: hooks.signal, watch });

      await hooks.stage('validate_revision');
      const infoRun = await make(['info']);
      if (infoRun.code !== 0)
        throw new BuildFailure('BUILD_FAILED', 'make info failed: see stderr.', {
          stdout: infoRun.stdout,
          stderr: infoRun.stderr,
        });
      const info = parseMakeInfo(infoRun.stdout);
      if (request.version_code && info.revision !== request.version_code) {
        throw new BuildFailure(
          'REVISION_MISMATCH',
          `Received incorrect version ${info.revision ?? 'unknown'} (requested ${request.version_code})`,
        );
      }
      const profilePackages = info.profilePackages[request.profile];
      if (!profilePackages)
        throw new BuildFailure('PROFILE_NOT_FOUND', `The ImageBuilder has no profile ${request.profile}.`);

      const packages = commandPackages(request, info.defaultPackages, profilePackages);
      await hooks.stage('validate_manifest');
      const manifestRun = await make([
        'manifest',
        `PROFILE=${request.profile}`,
        `PACKAGES=${packages.join(' ')}`,
        'STRIP_ABI=1',
      ]);
      if (manifestRun.code !== 0) throw packageFailure(manifestRun, 'make manifest', request.profile);
      const manifest = parseManifest(manifestRun.stdout);
      for (const [name, version] of Object.entries(request.packages_versions)) {
        if (manifest[name] === undefined)
          throw new BuildFailure('PACKAGE_VERSION_MISMATCH', `Impossible package selection: ${name} not in manifest`);
        if (manifest[name] !== version)
          throw new BuildFailure(
            'PACKAGE_VERSION_MISMATCH',
            `Impossible package selection: ${name} version not as requested: ${version} vs. ${manifest[name]}`,
          );
      }

      const packagesHash = createHash('sha256').update(Object.keys(manifest).sort().join(' ')).digest('hex');
      const buildCmd = [
        'make',
        'image',
        `PROFILE=${request.profile}`,
        `PACKAGES=${packages.join(' ')}`,
        `EXTRA_IMAGE_NAME=${packagesHash.slice(0, 12)}`,
        `BIN_DIR=${binDir}`,
      ];
      if (job.defaults !== null) buildCmd.push(`FILES=${filesDir}`);
      if (request.rootfs_size_mb !== null) buildCmd.push(`ROOTFS_PARTSIZE=${request.rootfs_size_mb}`);
      if (request.filesystem !== null) buildCmd.push(`ROOTFS_FILESYSTEM=${request.filesystem}`);
      await hooks.stage('building_image');
      const imageRun = await make(
        buildCmd.slice(1),
        async () => (await folderSize(binDir)) > this.settings.maxOutputSize,
      );
      if (imageRun.killedForSize)
        throw new BuildFailure(
          'OUTPUT_TOO_LARGE',
          `The build wrote more than ${this.settings.maxOutputSize} bytes (image_builds.max_output_size) and was ` +
            `stopped.`,
        );
      const prerequisites = failedPrerequisites(imageRun.stdout);
      if (imageRun.code !== 0 && prerequisites) throw hostToolsMissing(prerequisites, imageRun);
      // A real ImageBuilder deletes an image over the flash size, warns on stderr and exits 0 (check-size).
      if (imageTooBig(`${imageRun.stdout}\n${imageRun.stderr}`))
        throw new BuildFailure('IMAGE_TOO_BIG', 'Selected packages exceed device storage', {
          stdout: imageRun.stdout,
          stderr: imageRun.stderr,
        });
      if (imageRun.code !== 0) throw packageFailure(imageRun, 'make image', request.profile);
      if ((await folderSize(binDir)) > this.settings.maxOutputSize) {
        throw new BuildFailure(
          'OUTPUT_TOO_LARGE',
          `The build wrote more than ${this.settings.maxOutputSize} bytes (image_builds.max_output_size).`,
        );
      }

      const profiles = await fs
        .readFile(path.join(binDir, 'profiles.json'), 'utf8')
        .then((text) => JSON.parse(text) as ProfilesDocument)
        .catch(() => null);
      if (!profiles)
        throw new BuildFailure('PROFILE_NOT_FOUND', 'No JSON file found: the ImageBuilder wrote no profiles.json.', {
          stdout: imageRun.stdout,
          stderr: imageRun.stderr,
        });
      const entry = profiles.profiles?.[request.profile];
      if (!entry) throw new BuildFailure('PROFILE_NOT_FOUND', `Profile not found in JSON file: ${request.profile}.`);
      const { profiles: _all, ...top } = profiles;
      const files = (await fs.readdir(binDir, { withFileTypes: true }))
        .filter((item) => item.isFile() && SAFE_FILE_NAME.test(item.name))
        .map((item) => ({ name: item.name, path: path.join(binDir, item.name) }));
      const result: Record<string, unknown> = {
        ...top,
        ...entry,
        id: request.profile,
        bin_dir: job.requestHash,
        manifest,
        build_cmd: buildCmd.map((part) => part.replace(workDir, '/builder')),
        build_cmd_packages: packages,
        build_at: buildTime(profiles.source_date_epoch),
        imagebuilder: { archive: imagebuilder.archive, sha256: imagebuilder.sha256, revision: info.revision },
      };
      return {
        result,
        files,
        buildCmd: result.build_cmd as string[],
        stdout: imageRun.stdout,
        stderr: imageRun.stderr,
        workDir,
      };
    } catch (error) {
      await fs.rm(workDir, { recursive: true, force: true });
      throw error;
    } finally {
      imagebuilder.release();
    }
  }

  async cleanup(output: Pick<BuildOutput, 'workDir'>): Promise<void> {
    await fs.rm(output.workDir, { recursive: true, force: true });
  }

  /** Work folders of builds whose process died: older than any build may run. */
  async removeAbandonedWorkDirs(now = Date.now()): Promise<number> {
    const root = path.join(this.settings.imagebuilderDir, 'builds');
    let removed = 0;
    for (const name of await fs.readdir(root).catch(() => [] as string[])) {
      const dir = path.join(root, name);
      const stat = await fs.stat(dir).catch(() => null);
      if (stat && now - stat.mtimeMs > (this.settings.timeout + ABANDONED_GRACE_SECONDS) * 1000) {
        await fs.rm(dir, { recursive: true, force: true });
        removed += 1;
      }
    }
    return removed;
  }

  private async make(
    cwd: string,
    args: string[],
    options: {
      user: { uid: number; gid: number } | null;
      deadline: number;
      signal: AbortSignal;
      watch?: (() => Promise<boolean>) | undefined;
    },
  ): Promise<CommandResult & { killedForSize: boolean }> {
    const watchdog = new AbortController();
    const stop = () => watchdog.abort();
    options.signal.addEventListener('abort', stop, { once: true });
    let killedForSize = false;
    const timer = options.watch
      ? setInterval(
          () =>
            void options.watch!().then((over) => {
              if (over) {
                killedForSize = true;
                watchdog.abort();
              }
            }),
          SIZE_CHECK_INTERVAL_MS,
        )
      : null;
    try {
      // coreutils `timeout` enforces the deadline even if this process dies mid-build (an orphaned
      // make would otherwise run on); it signals make's whole process group.
      const seconds = Math.max(1, Math.ceil((options.deadline - Date.now()) / 1000));
      const result = await runCommand('timeout', ['--kill-after=5', `${seconds}s`, 'make', ...args], {
        cwd,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: path.dirname(cwd), LANG: 'C', TERM: 'dumb' },
        uid: options.user?.uid,
        gid: options.user?.gid,
        deadline: options.deadline,
        signal: watchdog.signal,
      });
      if (result.code === 127 && /timeout: failed to run command/.test(result.stderr))
        throw new BuildFailure(
          'HOST_TOOLS_MISSING',
          `GNU make is not installed on this server (or not on the PATH of fleetflash): the ImageBuilder needs it. ` +
            `Install it (Debian: apt install make) and the ImageBuilder's other host requirements ` +
            `(docs/operations.md).`,
          { stdout: result.stdout, stderr: result.stderr },
        );
      if (result.timedOut || result.code === 124 || result.code === 137)
        throw new BuildFailure(
          'TIMEOUT',
          `The build ran longer than ${this.settings.timeout} s (image_builds.timeout) and was stopped.`,
          { stdout: result.stdout, stderr: result.stderr },
        );
      if (options.signal.aborted) throw options.signal.reason ?? new Error('build aborted');
      this.logger.debug({ args: args.slice(0, 2), code: result.code }, 'make finished');
      return { ...result, killedForSize };
    } finally {
      if (timer) clearInterval(timer);
      options.signal.removeEventListener('abort', stop);
    }
  }

  private async writeRepositories(ibDir: string, request: CanonicalBuildRequest): Promise<void> {
    const entries = Object.entries(request.repositories);
    if (entries.length === 0) return;
    const apkFile = path.join(ibDir, 'repositories');
    const opkgFile = path.join(ibDir, 'repositories.conf');
    const apk = await fs.stat(apkFile).then(
      () => true,
      () => false,
    );
    const file = apk ? apkFile : opkgFile;
    const current = request.repositories_mode === 'append' ? await fs.readFile(file, 'utf8').catch(() => '') : '';
    const lines = current.split('\n').filter((line) => line.trim() !== '');
    for (const [name, url] of entries) lines.push(apk ? url : `src/gz ${name} ${url}`);
    if (!apk) {
      if (!lines.includes('src imagebuilder file:packages')) lines.push('src imagebuilder file:packages');
      if (!lines.includes('option check_signature')) lines.push('option check_signature');
    }
    await fs.writeFile(file, `${lines.join('\n')}\n`);
    const keysDir = path.join(ibDir, 'keys');
    await fs.mkdir(keysDir, { recursive: true });
    for (const [index, key] of request.repository_keys.entries()) {
      if (key.startsWith('-----BEGIN')) await fs.writeFile(path.join(keysDir, `custom-${index}.pem`), key);
      else {
        const fingerprint = usignFingerprint(key);
        await fs.writeFile(path.join(keysDir, fingerprint), `untrusted comment: ${fingerprint}\n${key}\n`);
      }
    }
  }
}

/**
 * The PACKAGES list: with diff_packages, every default or profile package not asked for is removed
 * (`-name`, removals first), then the requested list. Otherwise the requested list as is.
 */
export function commandPackages(
  request: Pick<CanonicalBuildRequest, 'packages' | 'diff_packages'>,
  defaults: readonly string[],
  profile: readonly string[],
): string[] {
  if (!request.diff_packages) return [...request.packages];
  const wanted = new Set(request.packages.filter((name) => !name.startsWith('-')));
  const removals = new Set<string>();
  for (const name of [...defaults, ...profile]) {
    if (name.startsWith('-')) removals.add(name.slice(1));
    else if (!wanted.has(name)) removals.add(name);
  }
  for (const name of wanted) removals.delete(name);
  return [
    ...[...removals].sort().map((name) => `-${name}`),
    ...request.packages.filter((name) => !(name.startsWith('-') && removals.has(name.slice(1)))),
  ];
}

/**
 * `build_at` from profiles.json's source_date_epoch: a number, or a string in ImageBuilders whose
 * json_add_image_info.py copies the environment variable as is; now when absent or unreadable.
 */
export function buildTime(sourceDateEpoch: unknown): string {
  const seconds = Number(sourceDateEpoch);
  const valid = sourceDateEpoch !== null && sourceDateEpoch !== '' && Number.isFinite(seconds) && seconds > 0;
  return new Date(valid ? seconds * 1000 : Date.now()).toISOString();
}

function hostToolsMissing(prerequisites: { tools: string[]; advice: string[] }, run: CommandResult): BuildFailure {
  const named = prerequisites.advice.length > 0 ? prerequisites.advice.join('; ') : prerequisites.tools.join(', ');
  return new BuildFailure(
    'HOST_TOOLS_MISSING',
    `The ImageBuilder's host check failed on this server (${named || 'see stdout'}): install what it names on the ` +
      `build machine (docs/operations.md, "ImageBuilder host requirements").`,
    { stdout: run.stdout, stderr: run.stderr },
  );
}

function packageFailure(run: CommandResult, step: string, profile: string): BuildFailure {
  const unknownProfile = missingProfile(run.stdout);
  if (unknownProfile !== null)
    return new BuildFailure(
      'PROFILE_NOT_FOUND',
      `The ImageBuilder has no profile ${unknownProfile || profile} (Profile "${unknownProfile}" does not exist!).`,
      { stdout: run.stdout, stderr: run.stderr },
    );
  const errors = parsePackageErrors(run.stderr);
  const details = { missing: errors.missing, conflicts: errors.conflicts, stdout: run.stdout, stderr: run.stderr };
  if (errors.missing.length > 0 || errors.conflicts.length > 0) {
    const parts = [
      errors.missing.length > 0 ? `missing (${errors.missing.join(', ')})` : '',
      errors.conflicts.length > 0 ? `conflicts (${errors.conflicts.join(', ')})` : '',
    ].filter(Boolean);
    return new BuildFailure(
      errors.conflicts.length > 0 ? 'PACKAGE_CONFLICT' : 'PACKAGE_MISSING',
      `Impossible package selection: ${parts.join(' ')}`,
      details,
    );
  }
  return new BuildFailure(
    'BUILD_FAILED',
    `Error while building firmware (${step} failed). See stdout/stderr.`,
    details,
  );
}
