import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../platform/config.js';
import { createLogger } from '../../platform/logger.js';
import { startUpstreamFixture, type UpstreamFixture } from '../../../test/helpers/asu-upstream.js';
import { ImageBuilderCache } from './imagebuilder-cache.js';
import { XZ, ZSTD, skipWithout } from '../../../test/helpers/system-tools.js';

const skip = skipWithout(import.meta.url, [ZSTD, XZ]);

let upstream: UpstreamFixture;
let dir: string;

beforeAll(async () => {
  upstream = await startUpstreamFixture();
  dir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-ib-cache-'));
});

afterAll(async () => {
  await upstream?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(skip)('the ImageBuilder cache', () => {
  it(
    'prepares one ImageBuilder per version/target for concurrent builds, and removes it once unused past the ' + 'TTL',
    async () => {
      const config = parseConfig({
        FLEETFLASH_UPSTREAM_URL: upstream.url,
        FLEETFLASH_IMAGEBUILDER_DIR: dir,
        FLEETFLASH_IMAGEBUILDER_SIGNING_KEY: upstream.publicKey,
        FLEETFLASH_IMAGEBUILDER_CACHE_TTL: '60',
      });
      const cache = new ImageBuilderCache(config.imageBuilds, createLogger('silent'));
      const deadline = Date.now() + 30_000;
      const [a, b] = await Promise.all([
        cache.acquire('23.05.3', 'ath79/generic', deadline),
        cache.acquire('23.05.3', 'ath79/generic', deadline),
      ]);
      expect(a.dir).toBe(b.dir);
      expect(a.sha256).toBe(upstream.archiveSha256('23.05.3', 'ath79/generic'));
      expect(upstream.requestCount(`/releases/23.05.3/targets/ath79/generic/${a.archive}`)).toBe(1);
      expect(existsSync(path.join(a.dir, 'Makefile'))).toBe(true);
      const later = Date.now() + 61_000;
      a.release();
      expect(await cache.removeUnused(later)).toEqual([]);
      b.release();
      expect(await cache.removeUnused(Date.now())).toEqual([]);
      expect(await cache.removeUnused(later)).toEqual([a.dir]);
      expect(existsSync(a.dir)).toBe(false);
    },
  );
});
