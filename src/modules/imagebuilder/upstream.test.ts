import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../platform/config.js';
import { createLogger } from '../../platform/logger.js';
import { startUpstreamFixture, type UpstreamFixture } from '../../../test/helpers/asu-upstream.js';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.js';
import { OpenwrtCatalog } from './openwrt-catalog.js';
import { UpstreamMetadata, UpstreamUnavailable } from './upstream.js';
import { XZ, ZSTD, skipWithout } from '../../../test/helpers/system-tools.js';

const skip = skipWithout(import.meta.url, [ZSTD, XZ]);

let upstream: UpstreamFixture;
let database: TestDatabase;

beforeAll(async () => {
  upstream = await startUpstreamFixture();
  database = await createTestDatabase();
});

afterAll(async () => {
  await upstream?.close();
  await database?.close();
});

function metadata(refreshSeconds: number) {
  const config = parseConfig({
    FLEETFLASH_UPSTREAM_URL: upstream.url,
    FLEETFLASH_UPSTREAM_REFRESH: String(refreshSeconds),
  });
  return new UpstreamMetadata(database.db, config.imageBuilds, createLogger('silent'));
}

const PROFILES = '/releases/23.05.3/targets/ath79/generic/profiles.json';

describe.skipIf(skip)('upstream metadata', () => {
  it(
    'downloads once, keeps the document in memory and in the database, and revalidates with a conditional ' + 'request',
    async () => {
      const first = metadata(3600);
      const catalog = new OpenwrtCatalog(first);
      expect((await catalog.profiles('23.05.3', 'ath79/generic'))?.version_code).toBe('r23809-234f1a2efa');
      await catalog.profiles('23.05.3', 'ath79/generic');
      expect(upstream.requestCount(PROFILES)).toBe(1);
      // Another process: the database copy is fresh, no request at all.
      const second = new OpenwrtCatalog(metadata(3600));
      expect((await second.profiles('23.05.3', 'ath79/generic'))?.target).toBe('ath79/generic');
      expect(upstream.requestCount(PROFILES)).toBe(1);
      // Past the refresh interval: a conditional request, answered 304, body kept.
      const stale = new OpenwrtCatalog(metadata(1));
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await stale.profiles('23.05.3', 'ath79/generic'))?.target).toBe('ath79/generic');
      expect(upstream.notModifiedCount(PROFILES)).toBe(1);
    },
  );

  it('revalidates at once when a request names something unknown', async () => {
    const catalog = new OpenwrtCatalog(metadata(3600));
    await catalog.versions();
    const before = upstream.requestCount('/.versions.json');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await catalog.isKnownVersion('99.99.0')).toBe(false);
    expect(upstream.requestCount('/.versions.json')).toBe(before + 1);
  });

  it('serves the last good copy while upstream is down, and fails clearly without one', async () => {
    const catalog = new OpenwrtCatalog(metadata(1));
    await catalog.targets('23.05.3');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    upstream.setDown(true);
    try {
      expect((await catalog.targets('23.05.3'))?.['ath79/generic']).toBe('mips_24kc');
      await expect(catalog.targets('23.05.2')).rejects.toThrow(/answered 503/);
    } finally {
      upstream.setDown(false);
    }
  });

  it('reports a document it cannot read as upstream unavailable (a 503), not as a server error', async () => {
    const upstreamDocs = metadata(3600);
    await expect(
      upstreamDocs.derived('.versions.json', () => {
        throw new Error('not an index');
      }),
    ).rejects.toBeInstanceOf(UpstreamUnavailable);
  });
});
