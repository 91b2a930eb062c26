import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { createImageBuildHarness, type ImageBuildHarness } from './helpers/image-builds.js';
import { MAKE, XZ, ZSTD, skipWithout } from './helpers/system-tools.js';

const skip = skipWithout(import.meta.url, [MAKE, ZSTD, XZ]);

let h: ImageBuildHarness | null = null;

afterEach(async () => {
  await h?.close();
  h = null;
});

const request = { target: 'ath79/generic', version: '23.05.3', profile: 'tplink_archer-c7-v2', packages: ['luci'] };

function unpacked(harness: ImageBuildHarness): string[] {
  const cache = path.join(harness.t.config.imageBuilds.imagebuilderDir, 'cache', '23.05.3');
  try {
    return readdirSync(cache);
  } catch {
    return [];
  }
}

describe('an unexpected server error on the build routes', () => {
  it("answers ASU's error shape (status, detail), not a serialization failure", async () => {
    h = await createImageBuildHarness({ worker: false });
    // The database loses the builds table under the running app: every build query fails.
    await sql`ALTER TABLE asu_builds RENAME TO asu_builds_gone`.execute(h.t.db);
    const unknownHash = 'e'.repeat(64);
    for (const answer of [await h.build(request), await h.status(unknownHash)]) {
      expect(answer.status).toBe(500);
      expect(answer.json).toMatchObject({ status: 500, code: 'InternalError' });
      expect(typeof answer.json.detail).toBe('string');
      expect(JSON.stringify(answer.json)).not.toContain('FST_ERR');
    }
    await sql`ALTER TABLE asu_builds_gone RENAME TO asu_builds`.execute(h.t.db);
  });
});

describe.skipIf(skip)('infrastructure failures', () => {
  it(
    'a tampered ImageBuilder archive fails the build with a clear error, is not unpacked, is retried and not ' +
      'cached',
    async () => {
      h = await createImageBuildHarness({ env: { FLEETFLASH_BUILD_MAX_ATTEMPTS: '2' } });
      h.upstream.tamper('archive');
      const first = await h.build(request);
      const failed = await h.waitForBuild(first.json.request_hash as string);
      expect(failed.status).toBe(500);
      expect(failed.json).toMatchObject({ error_code: 'CHECKSUM_MISMATCH', error_kind: 'infrastructure' });
      expect(String(failed.json.detail)).toContain('was not unpacked');
      expect(unpacked(h)).toEqual([]);
      const attempts = await h.t.db
        .selectFrom('asuBuildResults')
        .select('errorCode')
        .where('requestHash', '=', first.json.request_hash as string)
        .execute();
      expect(attempts).toHaveLength(2);
      // Not cached: once upstream is honest again, the same request builds.
      h.upstream.tamper(null);
      const again = await h.build(request);
      expect(again.json.request_hash).toBe(first.json.request_hash);
      expect(again.status).toBe(202);
      expect((await h.waitForBuild(again.json.request_hash as string)).status).toBe(200);
    },
  );

  it('a sha256sums signature that does not verify stops the build before any download', async () => {
    h = await createImageBuildHarness({ env: { FLEETFLASH_BUILD_MAX_ATTEMPTS: '1' } });
    h.upstream.tamper('signature');
    const first = await h.build(request);
    const failed = await h.waitForBuild(first.json.request_hash as string);
    expect(failed.json).toMatchObject({ error_code: 'SIGNATURE_INVALID' });
    expect(unpacked(h)).toEqual([]);
  });

  it('a signature by another key is refused too', async () => {
    h = await createImageBuildHarness({ signingKey: 'other', env: { FLEETFLASH_BUILD_MAX_ATTEMPTS: '1' } });
    const failed = await h.waitForBuild((await h.build(request)).json.request_hash as string);
    expect(failed.json).toMatchObject({ error_code: 'SIGNATURE_INVALID' });
    expect(String(failed.json.detail)).toContain('configured key');
    expect(unpacked(h)).toEqual([]);
  });

  it('an unreachable upstream answers 503 with Retry-After instead of queueing', async () => {
    h = await createImageBuildHarness({ worker: false });
    h.upstream.setDown(true);
    const answer = await h.build(request);
    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toBe('60');
    expect(answer.json.code).toBe('UPSTREAM_UNAVAILABLE');
  });
});

describe.skipIf(skip)('cache lifetime', () => {
  it('serves a result until its TTL, then builds again; a superuser can drop a result at once', async () => {
    h = await createImageBuildHarness({ env: { FLEETFLASH_BUILD_TTL: '1' } });
    const first = await h.build(request);
    const hash = first.json.request_hash as string;
    expect((await h.waitForBuild(hash)).status).toBe(200);
    expect((await h.build(request)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await h.status(hash)).status).toBe(404);
    const rebuilt = await h.build(request);
    expect(rebuilt.status).toBe(202);
    expect((await h.waitForBuild(hash)).status).toBe(200);
    const anonymous = await h.t.app.inject({ method: 'DELETE', url: `/api/v1/build/${hash}` });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe.skipIf(skip)('fair queue and limits', () => {
  it("gives queue positions in turns per client, and answers 429 with Retry-After past a client's limit", async () => {
    h = await createImageBuildHarness({ worker: false, env: { FLEETFLASH_BUILD_CLIENT_MAX_QUEUED: '3' } });
    const builds = ['luci', 'vim', 'htop'].map((name) => ({ ...request, packages: [name] }));
    const fromA = [];
    for (const body of builds) fromA.push(await h.build(body));
    expect(fromA.map((answer) => answer.json.queue_position)).toEqual([0, 1, 2]);
    const limited = await h.build({ ...request, packages: ['tcpdump'] });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another client's first build goes before the first client's second.
    const other = await h.t.app.inject({
      method: 'POST',
      url: '/api/v1/build',
      payload: { ...request, profile: '8dev_carambola2' },
      remoteAddress: '10.9.9.9',
    });
    expect(JSON.parse(other.body).queue_position).toBe(1);
    const second = await h.status(fromA[1]!.json.request_hash as string);
    expect(second.json.queue_position).toBe(2);
    expect(second.headers['x-queue-position']).toBe('2');
  });
});
