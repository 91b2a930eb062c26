import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Config } from '../../platform/config.js';
import type { Logger } from '../../platform/logger.js';
import { BuildFailure, setupFailure } from './build-failure.js';
import { findImageBuilderArchive, parseSha256Sums } from './imagebuilder-output.js';
import { versionPath } from './openwrt-catalog.js';
import { runCommand } from './run-command.js';
import { SignatureInvalid, verifyUsignSignature } from './usign.js';

/**
 * Unpacked ImageBuilders, one per version/target and archive checksum, shared by the builds of
 * this machine. An archive is downloaded from the target's folder upstream, checked against
 * `sha256sums` (whose usign signature is checked first when image_builds.signing_key is set), and
 * only then unpacked, into a temporary folder renamed into place. A new archive upstream (another
 * checksum) gets a folder of its own; folders unused for image_builds.imagebuilder_cache_ttl are
 * removed by `removeUnused`.
 */

const STAMP = '.fleetflash-last-used';
const UNPACK_ABANDONED_MS = 3_600_000;

export interface ImageBuilderHandle {
  dir: string;
  archive: string;
  sha256: string;
  release(): void;
}

export class ImageBuilderCache {
  private readonly cacheDir: string;
  private readonly downloadDir: string;
  private readonly preparing = new Map<string, Promise<string>>();
  private readonly inUse = new Map<string, number>();

  constructor(
    private readonly settings: Config['imageBuilds'],
    private readonly logger: Logger,
  ) {
    this.cacheDir = path.join(settings.imagebuilderDir, 'cache');
    this.downloadDir = path.join(settings.imagebuilderDir, 'downloads');
  }

  private async fetchText(url: string, deadline: number): Promise<string | null> {
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) });
    } catch (error) {
      throw new BuildFailure('IMAGEBUILDER_UNAVAILABLE', `Could not download ${url}: ${(error as Error).message}`);
    }
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new BuildFailure(
        'IMAGEBUILDER_UNAVAILABLE',
        `Could not download ${url}: the server answered ${response.status}.`,
      );
    }
    return response.text();
  }

  /** The ImageBuilder for a version/target, prepared if needed; call release() when the build is done. */
  async acquire(version: string, target: string, deadline: number): Promise<ImageBuilderHandle> {
    const base = `${this.settings.upstreamUrl}/${versionPath(version)}/targets/${target}`;
    const sumsText = await this.fetchText(`${base}/sha256sums`, deadline);
    if (sumsText === null) {
      throw new BuildFailure(
        'IMAGEBUILDER_UNAVAILABLE',
        `No ImageBuilder for ${version} ${target} upstream (no sha256sums). If this version was just released, try ` +
          `again later.`,
      );
    }
    if (this.settings.signingKey) {
      const signature = await this.fetchText(`${base}/sha256sums.sig`, deadline);
      if (signature === null)
        throw new BuildFailure(
          'SIGNATURE_INVALID',
          `sha256sums of ${version} ${target} has no signature (sha256sums.sig) but image_builds.signing_key ` +
            `requires one; nothing was downloaded.`,
        );
      try {
        verifyUsignSignature(Buffer.from(sumsText), signature, this.settings.signingKey);
      } catch (error) {
        if (error instanceof SignatureInvalid)
          throw new BuildFailure(
            'SIGNATURE_INVALID',
            `The signature of sha256sums of ${version} ${target} is not valid: ${error.message}. Nothing was ` +
              `downloaded.`,
          );
        throw error;
      }
    }
    const archive = findImageBuilderArchive(parseSha256Sums(sumsText));
    if (!archive)
      throw new BuildFailure(
        'IMAGEBUILDER_UNAVAILABLE',
        `sha256sums of ${version} ${target} lists no ImageBuilder archive. If this version was just released, try ` +
          `again later.`,
      );
    const dir = path.join(this.cacheDir, version, `${target.replace('/', '-')}-${archive.sha256.slice(0, 16)}`);
    let ready = this.preparing.get(dir);
    if (!ready) {
      ready = this.prepare(dir, `${base}/${archive.name}`, archive.sha256, deadline).finally(() =>
        this.preparing.delete(dir),
      );
      this.preparing.set(dir, ready);
    }
    await ready;
    this.inUse.set(dir, (this.inUse.get(dir) ?? 0) + 1);
    await this.touch(dir);
    let released = false;
    return {
      dir,
      archive: archive.name,
      sha256: archive.sha256,
      release: () => {
        if (released) return;
        released = true;
        this.inUse.set(dir, (this.inUse.get(dir) ?? 1) - 1);
        void this.touch(dir);
      },
    };
  }

  private async touch(dir: string): Promise<void> {
    const now = new Date();
    await fs
      .utimes(path.join(dir, STAMP), now, now)
      .catch(() => fs.writeFile(path.join(dir, STAMP), '').catch(() => {}));
  }

  private async prepare(dir: string, url: string, sha256: string, deadline: number): Promise<string> {
    if (
      await fs.stat(path.join(dir, STAMP)).then(
        () => true,
        () => false,
      )
    )
      return dir;
    await fs.mkdir(this.downloadDir, { recursive: true });
    const file = path.join(this.downloadDir, `${randomUUID()}-${path.basename(url)}`);
    const unpackTo = `${dir}.unpacking-${randomUUID().slice(0, 8)}`;
    try {
      this.logger.info({ url }, 'downloading ImageBuilder');
      let response: Response;
      try {
        response = await fetch(url, { signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) });
      } catch (error) {
        throw new BuildFailure(
          'IMAGEBUILDER_UNAVAILABLE',
          `Could not download the ImageBuilder ${url}: ${(error as Error).message}`,
        );
      }
      if (!response.ok || !response.body) {
        await response.body?.cancel();
        throw new BuildFailure(
          'IMAGEBUILDER_UNAVAILABLE',
          `Could not download the ImageBuilder ${url}: the server answered ${response.status}.`,
        );
      }
      const hash = createHash('sha256');
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          hash.update(chunk);
          callback(null, chunk);
        },
      });
      try {
        await pipeline(
          Readable.fromWeb(response.body as import('node:stream/web').ReadableStream),
          meter,
          createWriteStream(file, { mode: 0o600 }),
        );
      } catch (error) {
        throw new BuildFailure(
          'IMAGEBUILDER_UNAVAILABLE',
          `The ImageBuilder download ${url} broke off: ${(error as Error).message}`,
        );
      }
      const actual = hash.digest('hex');
      if (actual !== sha256) {
        throw new BuildFailure(
          'CHECKSUM_MISMATCH',
          `The ImageBuilder ${path.basename(url)} has sha256 ${actual}, but sha256sums says ${sha256}: the download ` +
            `is damaged or was tampered with. It was not unpacked.`,
        );
      }
      await fs.mkdir(unpackTo, { recursive: true, mode: 0o755 });
      const compression = url.endsWith('.zst') ? '--zstd' : '--xz';
      // GNU tar refuses members with ".." and strips leading "/"; ownership is not restored.
      const unpacked = await runCommand(
        'tar',
        [compression, '-xf', file, '-C', unpackTo, '--strip-components=1', '--no-same-owner', '--no-same-permissions'],
        {
          cwd: unpackTo,
          deadline,
          env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' },
        },
      );
      const decompressor = /(\S+): Cannot exec/.exec(unpacked.stderr)?.[1];
      if (unpacked.code !== 0 && decompressor)
        throw new BuildFailure(
          'HOST_TOOLS_MISSING',
          `Could not unpack the ImageBuilder ${path.basename(url)}: "${decompressor}" is not installed on this ` +
            `server (tar needs it for this archive). Install it (Debian: apt install zstd xz-utils).`,
        );
      if (unpacked.code !== 0) {
        throw setupFailure(
          unpacked,
          `Could not unpack the ` +
            `ImageBuilder ${path.basename(url)}: ${unpacked.stderr.trim() || `tar exited with ${unpacked.code}`}`,
        );
      }
      await fs.writeFile(path.join(unpackTo, STAMP), '');
      await fs.mkdir(path.dirname(dir), { recursive: true });
      await fs.rename(unpackTo, dir).catch(async (error: NodeJS.ErrnoException) => {
        // Another process of this machine placed the same archive first: use theirs.
        if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
        await fs.rm(unpackTo, { recursive: true, force: true });
      });
      return dir;
    } finally {
      await fs.rm(file, { force: true });
      await fs.rm(unpackTo, { recursive: true, force: true });
    }
  }

  /** Removes ImageBuilders no build of this process uses and none used within the cache TTL. */
  async removeUnused(now = Date.now()): Promise<string[]> {
    const removed: string[] = [];
    const versions = await fs.readdir(this.cacheDir).catch(() => [] as string[]);
    for (const version of versions) {
      for (const name of await fs.readdir(path.join(this.cacheDir, version)).catch(() => [] as string[])) {
        const dir = path.join(this.cacheDir, version, name);
        if ((this.inUse.get(dir) ?? 0) > 0 || this.preparing.has(dir)) continue;
        // An unpacking folder left by a crash (any process of this machine) is old; a live one is not.
        const stamp = await fs.stat(name.includes('.unpacking-') ? dir : path.join(dir, STAMP)).catch(() => null);
        const limit = name.includes('.unpacking-') ? UNPACK_ABANDONED_MS : this.settings.imagebuilderCacheTtl * 1000;
        if (stamp && now - stamp.mtimeMs > limit) {
          await fs.rm(dir, { recursive: true, force: true });
          removed.push(dir);
        }
      }
    }
    if (removed.length > 0) this.logger.info({ removed }, 'removed unused ImageBuilders');
    return removed;
  }
}
