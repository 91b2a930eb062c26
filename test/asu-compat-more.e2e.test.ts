import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASU_TEST_RELEASE } from './helpers/asu-upstream.js';
import { createImageBuildHarness, type ImageBuildHarness } from './helpers/image-builds.js';
import { MAKE, XZ, ZSTD, skipWithout } from './helpers/system-tools.js';

/**
 * openwrt/asu's tests over HTTP, the part that needs a server with `allow_defaults` and a repository allow list (as
 * ASU's tests set them): the defaults tests of test_api.py, test_stats.py, test_store.py and test_security.py. The
 * rest of test_api.py is in asu-compat-api.e2e.test.ts, which says how the fixture maps ASU's (it is the same:
 * ASU's test release 1.2.3 testtarget/testsubtarget testprofile is added to our fixture upstream).
 *
 * ASU's stats tests read its Redis time series; ours read the same counts over HTTP (/api/v1/stats/summary,
 * /api/v1/stats/builds), as differences from before each request, since the tests of this file share one server.
 */

const skip = skipWithout(import.meta.url, [MAKE, ZSTD, XZ]);

let h: ImageBuildHarness;

beforeAll(async () => {
  h = await createImageBuildHarness({
    asuTestRelease: true,
    env: {
      FLEETFLASH_ALLOW_DEFAULTS: 'true',
      FLEETFLASH_REPOSITORY_ALLOW_LIST: 'https://allowed.example.com/',
      FLEETFLASH_BUILD_CLIENT_MAX_QUEUED: '1000',
      FLEETFLASH_BUILD_CLIENT_RATE_LIMIT: '1000',
    },
  });
});

afterAll(async () => {
  await h?.close();
});

type Json = Record<string, unknown>;

const asu = { version: ASU_TEST_RELEASE.version, target: ASU_TEST_RELEASE.target, profile: ASU_TEST_RELEASE.profile };
const build_config_1 = { ...asu, packages: ['test1'] };
const build_config_2 = { ...asu, packages: ['test1', 'test2'] };

async function built(body: Json, headers: Record<string, string> = {}): Promise<{ status: number; json: Json }> {
  const first = await h.build(body, headers);
  if (first.status !== 200 && first.status !== 202) return first;
  return h.waitForBuild(first.json.request_hash as string);
}

const getJson = async (url: string) => JSON.parse((await h.t.app.inject({ method: 'GET', url })).body) as Json;

interface Summary {
  requests: number;
  cache_hits: number;
  cache_misses: number;
  successes: number;
  failures: number;
  clients: { client: string; count: number }[];
}
const summary = async () => (await getJson('/api/v1/stats/summary')) as unknown as Summary;
const clientCount = (s: Summary, client: string) => s.clients.find((entry) => entry.client === client)?.count ?? 0;

describe.skipIf(skip)('ASU test_stats.py', () => {
  it('test_stats_summary: requests, cache hits and misses, successes and failures', async () => {
    const before = await summary();
    const delta = async () => {
      const now = await summary();
      return {
        requests: now.requests - before.requests,
        hits: now.cache_hits - before.cache_hits,
        misses: now.cache_misses - before.cache_misses,
        successes: now.successes - before.successes,
        failures: now.failures - before.failures,
      };
    };
    expect((await built(build_config_2)).status).toBe(200);
    expect(await delta()).toEqual({ requests: 1, hits: 0, misses: 1, successes: 1, failures: 0 });
    expect((await h.build(build_config_2)).status).toBe(200);
    expect(await delta()).toEqual({ requests: 2, hits: 1, misses: 1, successes: 1, failures: 0 });
    expect((await h.build(build_config_2)).status).toBe(200);
    expect(await delta()).toEqual({ requests: 3, hits: 2, misses: 1, successes: 1, failures: 0 });
    expect((await built(build_config_1)).status).toBe(200);
    expect(await delta()).toEqual({ requests: 4, hits: 2, misses: 2, successes: 2, failures: 0 });
  });

  it('test_stats_image_builds: builds per version, target and profile', async () => {
    const rows = (await getJson('/api/v1/stats/builds')).builds as Json[];
    const row = rows.find(
      (entry) =>
        entry.version === '1.2.3' && entry.target === 'testtarget/testsubtarget' && entry.profile === 'testprofile',
    );
    expect(row?.successes).toBe(2);
  });

  it('test_stats_clients_luci, _unknown, _auc, _auc_possible_new_format: who asked', async () => {
    const cases: [Json, Record<string, string>, string][] = [
      [{ client: 'luci/git-22.073.39928-701ea94', ...build_config_1 }, {}, 'luci/git-22.073.39928-701ea94'],
      [build_config_2, {}, 'unknown/0'],
      [build_config_2, { 'user-agent': 'auc (0.3.2)' }, 'auc/0.3.2'],
      [build_config_2, { 'user-agent': 'auc/0.3.2' }, 'auc/0.3.2'],
    ];
    for (const [body, headers, client] of cases) {
      const before = clientCount(await summary(), client);
      expect((await built(body, headers)).status).toBe(200);
      expect(clientCount(await summary(), client), client).toBe(before + 1);
    }
  });

  it('test_stats_builds_per_day: 30 days of labels and data', async () => {
    const data = await getJson('/api/v1/builds-per-day');
    expect(data.labels).toHaveLength(30);
    const datasets = data.datasets as { data: number[] }[];
    expect(datasets[0]!.data).toHaveLength(30);
  });

  it('test_stats_builds_by_version: 26 weeks, one series per branch, or per version of a branch', async () => {
    const all = await getJson('/api/v1/builds-by-version');
    expect(all.labels).toHaveLength(26);
    const datasets = all.datasets as { label: string; data: number[] }[];
    expect(datasets.map((dataset) => dataset.label)).toEqual(['1.2.3']);
    expect(datasets[0]!.data).toHaveLength(26);
    expect(datasets[0]!.data.at(-1)).toBeGreaterThanOrEqual(2);
    const branch = await getJson('/api/v1/builds-by-version?branch=1.2');
    expect(branch.labels).toHaveLength(26);
    const versions = branch.datasets as { label: string; data: number[] }[];
    expect(versions.map((dataset) => dataset.label)).toEqual(['1.2.3']);
    expect(versions[0]!.data).toHaveLength(26);
    expect((await getJson('/api/v1/builds-by-version?branch=23.05')).datasets).toEqual([]);
  });

  it('test_build_error_log, test_build_error_log_api: the text log of build errors', async () => {
    const empty = await h.t.app.inject({ method: 'GET', url: '/api/v1/build-errors' });
    expect(empty.statusCode).toBe(200);
    expect(empty.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(empty.body).toContain('No build errors recorded');
    // Two failures: the later comes first; request hashes are masked.
    expect((await built({ ...asu, packages_versions: { test1: '0.1' } })).status).toBe(500);
    expect((await built({ ...asu, packages_versions: { test1: '0.2' } })).status).toBe(500);
    const log = await h.t.app.inject({ method: 'GET', url: '/api/v1/build-errors' });
    expect(log.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(log.body).toContain('Build Errors: 2 entries');
    expect(log.body).toContain('Time range:');
    const entries = log.body.split('\n').filter((line) => line.includes('1.2.3:testtarget/testsubtarget:testprofile'));
    expect(entries).toHaveLength(2);
    expect(entries[0]).toContain('0.2 vs. 1.0');
    expect(entries[1]).toContain('0.1 vs. 1.0');
    expect(log.body).not.toMatch(/[0-9a-f]{64}/);
    const limited = await h.t.app.inject({ method: 'GET', url: '/api/v1/build-errors?n=1' });
    expect(limited.statusCode).toBe(200);
    expect(limited.body).toContain('Build Errors: 1 entries');
    expect((await h.t.app.inject({ method: 'GET', url: '/api/v1/build-errors?n=50' })).statusCode).toBe(200);
  });

  it('test_build_error_log (masking), test_build_error_log_respects_n_entries', async () => {
    // ASU logs through ErrorLog.log_build_error; ours logs every failed result: write them as a build would.
    const failure = (detail: string, secondsAgo: number) =>
      h.t.db
        .insertInto('asuBuildResults')
        .values({
          requestHash: 'f'.repeat(64),
          version: '24.10-SNAPSHOT',
          target: 'ath79/generic',
          profile: 'tplink_tl-wdr4300-v1',
          status: 'failed',
          errorCode: 'BUILD_FAILED',
          detail,
          durationMs: 1,
          finishedAt: new Date(Date.now() - secondsAgo * 1000),
        })
        .execute();
    for (let index = 0; index < 10; index += 1) await failure(`Error ${index}`, 100 - index);
    await failure(
      'Internal Server Error (no container with ID ' +
        'eee08b3b7b072f2ba82559c6e61da9b84e00cdbc35a4d99392fec36c0bf64356 found in database: no such container)',
      0,
    );
    const masked = await h.t.app.inject({ method: 'GET', url: '/api/v1/build-errors?n=1' });
    expect(masked.body).toContain('24.10-SNAPSHOT:ath79/generic:tplink_tl-wdr4300-v1');
    expect(masked.body).toContain(' ID [job-id] found ');
    const all = await h.t.app.inject({ method: 'GET', url: '/api/v1/build-errors?n=50' });
    const entries = all.body.split('\n').filter((line) => line.includes('tplink_tl-wdr4300-v1'));
    expect(entries).toHaveLength(11);
    expect(entries[1]).toContain('Error 9');
    expect(entries[10]).toContain('Error 0');
    const three = await h.t.app.inject({ method: 'GET', url: '/api/v1/build-errors?n=3' });
    expect(three.body).toContain('Build Errors: 3 entries');
    expect(three.body.split('\n').filter((line) => / \S+:\S+\/\S+:\S+ /.test(line))).toHaveLength(3);
  });
});

describe.skipIf(skip)('ASU test_api.py with allow_defaults', () => {
  it('test_api_build_defaults_filled_allowed: a first-boot script builds', async () => {
    const answer = await built({ ...asu, defaults: 'echo' });
    expect(answer.status).toBe(200);
    // ASU's expected hash (ba505584…) is of its own algorithm; ours is the canonical JSON (deliberate difference).
    expect(answer.json.request_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(answer.json.bin_dir).toBe(answer.json.request_hash);
  });

  it('test_api_build_defaults_filled_too_big: the length limit, in pydantic words', async () => {
    const answer = await h.build({ ...asu, defaults: '#'.repeat(20481) });
    expect(answer.status).toBe(422);
    const [issue] = answer.json.detail as Json[];
    expect(issue).toMatchObject({
      type: 'string_too_long',
      loc: ['body', 'defaults'],
      msg: 'String should have at most 20480 characters',
      ctx: { max_length: 20480 },
    });
  });
});

describe.skipIf(skip)('ASU test_store.py', () => {
  it('test_store_content_type_img(gz): built files are application/octet-stream, HEAD as GET', async () => {
    const ath79 = await built({ ...asu, packages: ['test2'] });
    const x86 = await built({ version: '23.05.3', target: 'x86/64', profile: 'generic' });
    for (const answer of [ath79, x86]) {
      expect(answer.status).toBe(200);
      for (const image of answer.json.images as { name: string }[]) {
        const head = await h.t.app.inject({ method: 'HEAD', url: `/store/${answer.json.bin_dir}/${image.name}` });
        expect(head.statusCode, image.name).toBe(200);
        expect(head.headers['content-type']).toBe('application/octet-stream');
      }
    }
    expect((x86.json.images as { name: string }[]).some((image) => image.name.endsWith('.img.gz'))).toBe(true);
  });

  it('test_store_file_missing: 404, not a file', async () => {
    const head = await h.t.app.inject({ method: 'HEAD', url: `/store/${'0'.repeat(64)}/test_store_file_missing.bin` });
    expect(head.statusCode).toBe(404);
    expect(head.headers['content-type']).not.toBe('application/octet-stream');
  });
});

describe.skipIf(skip)('ASU test_security.py', () => {
  const withRepositories = (repositories: unknown, extra: Json = {}) => h.build({ ...asu, repositories, ...extra });

  it('repository names: newline, spaces, slashes and empty names are refused by the schema (422)', async () => {
    for (const name of ['legit\nsrc/gz pwned http://evil.com', 'name with spaces', 'src/gz', '']) {
      const answer = await withRepositories({ [name]: 'https://allowed.example.com/repo' });
      expect(answer.status, JSON.stringify(name)).toBe(422);
      const [issue] = answer.json.detail as Json[];
      expect(issue).toMatchObject({ type: 'string_pattern_mismatch', loc: ['body', 'repositories', name, '[key]'] });
      expect(issue!.input).toBe(name);
    }
  });

  it('repository names with dashes, dots and underscores pass the schema', async () => {
    for (const name of ['custom-repo', 'my_repo.v2']) {
      const answer = await withRepositories({ [name]: 'https://example.com/repo' });
      // Past the schema, the allow list decides.
      expect(answer.status).toBe(400);
      expect(answer.json.detail).toBe('Repository not allowed: https://example.com/repo');
    }
  });

  it('repository URLs must be http(s)', async () => {
    for (const url of ['ftp://example.com/repo', 'example.com/repo']) {
      const answer = await withRepositories({ repo: url });
      expect(answer.status, url).toBe(422);
      expect((answer.json.detail as Json[])[0]).toMatchObject({
        type: 'string_pattern_mismatch',
        loc: ['body', 'repositories', 'repo'],
        input: url,
      });
    }
    for (const url of ['https://example.com/packages', 'http://example.com/packages']) {
      const answer = await withRepositories({ repo: url });
      expect(answer.status, url).toBe(400);
      expect(answer.json.detail).toBe(`Repository not allowed: ${url}`);
    }
  });

  it('repositories_mode: append and replace, nothing else', async () => {
    for (const mode of ['append', 'replace']) {
      const answer = await built({ ...asu, packages: ['test1'], repositories_mode: mode });
      expect(answer.status, mode).toBe(200);
    }
    const invalid = await h.build({ ...asu, repositories_mode: 'invalid' });
    expect(invalid.status).toBe(422);
    expect(invalid.json.detail).toEqual([
      {
        type: 'literal_error',
        loc: ['body', 'repositories_mode'],
        msg: "Input should be 'append' or 'replace'",
        input: 'invalid',
        ctx: { expected: "'append' or 'replace'" },
      },
    ]);
  });

  it('test_api_repo_not_in_allow_list: 400, and an allowed repository builds', async () => {
    const refused = await withRepositories({ evil: 'https://evil.example.com/packages' });
    expect(refused.status).toBe(400);
    expect(refused.json.detail).toBe('Repository not allowed: https://evil.example.com/packages');
    const allowed = await built({
      ...asu,
      packages: ['test1'],
      repositories: { custom: 'https://allowed.example.com/feed' },
      repositories_mode: 'append',
    });
    expect(allowed.status, JSON.stringify(allowed.json)).toBe(200);
  });
});

describe.skipIf(skip)('deliberate differences from ASU: clients still work', () => {
  it('defaults are never echoed: null, with their hash and length; a 422 withholds them too', async () => {
    const script = "uci set wireless.default_radio0.key='secret-key'\n";
    const answer = await built({ ...asu, packages: ['test1'], defaults: script });
    expect(answer.status).toBe(200);
    expect(JSON.stringify(answer.json)).not.toContain('secret-key');
    expect(answer.json.request).toMatchObject({
      defaults: null,
      defaults_length: script.length,
      defaults_sha256: createHash('sha256').update(script).digest('hex'),
    });
    // owut and LuCI read what they need of a 200 (images, bin_dir, manifest, version_code).
    expect(answer.json).toMatchObject({ status: 200, detail: 'done', imagebuilder_status: 'done' });
    const missingVersion = await h.build({ target: asu.target, profile: asu.profile, defaults: script });
    expect(missingVersion.status).toBe(422);
    expect(JSON.stringify(missingVersion.json)).not.toContain('secret-key');
    expect(missingVersion.json.detail).toEqual([
      {
        type: 'missing',
        loc: ['body', 'version'],
        msg: 'Field required',
        input: {
          target: asu.target,
          profile: asu.profile,
          defaults: `[defaults withheld: ${script.length} characters]`,
        },
      },
    ]);
    const tooBig = await h.build({ ...asu, defaults: `${script}${'#'.repeat(20481)}` });
    expect(JSON.stringify(tooBig.json)).not.toContain('secret-key');
    expect((tooBig.json.detail as Json[])[0]!.input).toBe(`[defaults withheld: ${script.length + 20481} characters]`);
  });

  it('JSON types are strict: "100" is no integer, "true" no boolean (pydantic would convert them)', async () => {
    for (const fields of [{ rootfs_size_mb: '100' }, { diff_packages: 'true' }]) {
      const answer = await h.build({ ...asu, ...fields });
      expect(answer.status, JSON.stringify(fields)).toBe(422);
      // LuCI and the firmware selector print detail; each item says which field and why.
      expect((answer.json.detail as Json[])[0]!.loc).toEqual(['body', Object.keys(fields)[0]]);
    }
  });
});
