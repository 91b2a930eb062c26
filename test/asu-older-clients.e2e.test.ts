import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeToken, makeUser } from './helpers/factories.js';
import { createImageBuildHarness, type ImageBuildHarness } from './helpers/image-builds.js';
import { MAKE, XZ, ZSTD, skipWithout } from './helpers/system-tools.js';

/**
 * One test per older ASU client version fleetflash serves (docs/api.md "Supported clients"): each replays the
 * requests that version sends, as it sends them, and reads the fields it reads. LuCI runs in the router's page,
 * so its requests are cross-origin (an Origin header) and need CORS headers on every answer, redirects included.
 */

const skip = skipWithout(import.meta.url, [MAKE, ZSTD, XZ]);
const ROUTER = 'http://192.168.1.1';

let h: ImageBuildHarness;

beforeAll(async () => {
  h = await createImageBuildHarness({
    env: { FLEETFLASH_BUILD_CLIENT_MAX_QUEUED: '1000', FLEETFLASH_BUILD_CLIENT_RATE_LIMIT: '1000' },
  });
});

afterAll(async () => {
  await h?.close();
});

interface Answer {
  status: number;
  headers: Record<string, unknown>;
  json: Record<string, unknown>;
}

async function call(
  method: 'GET' | 'POST' | 'OPTIONS' | 'HEAD',
  url: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const response = await h.t.app.inject({
    method,
    url,
    headers: { ...(options.body ? { 'content-type': 'application/json' } : {}), ...options.headers },
    ...(options.body ? { payload: options.body as object } : {}),
  });
  const parsed = response.body && response.headers['content-type']?.toString().includes('json');
  return {
    status: response.statusCode,
    headers: response.headers,
    json: parsed ? (JSON.parse(response.body) as Record<string, unknown>) : {},
  };
}

/** A GET as a browser or uclient makes it: redirects followed (at most 5). */
async function follow(url: string, headers: Record<string, string> = {}): Promise<{ hops: Answer[]; last: Answer }> {
  const hops: Answer[] = [];
  let next = url;
  for (let i = 0; i < 5; i++) {
    const answer = await call('GET', next, { headers });
    hops.push(answer);
    if (answer.status < 300 || answer.status >= 400) return { hops, last: answer };
    next = String(answer.headers.location);
  }
  throw new Error(`more than 5 redirects from ${url}`);
}

/** Polls as the old clients did until the answer is no longer 202; `poll` makes one request. */
async function untilDone(poll: () => Promise<Answer>, seen: Answer[] = []): Promise<Answer> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const answer = await poll();
    seen.push(answer);
    if (answer.status !== 202) return answer;
    if (Date.now() > deadline) throw new Error(`still 202 after 30 s: ${JSON.stringify(answer.json)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The image a client picks: sysupgrade (or combined) of the router's root filesystem. */
function sysupgradeImage(answer: Answer): { name: string; sha256: string } {
  const images = answer.json.images as { name: string; type: string; filesystem: string; sha256: string }[];
  const image = images.find((entry) => entry.type === 'sysupgrade' || entry.type === 'combined');
  if (!image) throw new Error(`no sysupgrade image in ${JSON.stringify(images)}`);
  return image;
}

async function download(binDir: unknown, name: string, headers: Record<string, string> = {}) {
  return h.t.app.inject({ method: 'GET', url: `/store/${String(binDir)}/${name}`, headers });
}

describe.skipIf(skip)('older ASU clients', () => {
  it(
    'LuCI 2020 (attendedsysupgrade.js, ASU 0.3–0.4 API): /api/versions, POST /api/build without target, ' +
      're-posted until 200, errors in `message`',
    async () => {
      const origin = { origin: ROUTER };
      const versions = await call('GET', '/api/versions', { headers: origin });
      expect(versions.status).toBe(200);
      expect(versions.headers['access-control-allow-origin']).toBe('*');
      // The client walks the branches newest first and offers the `latest` of its own branch.
      const branches = versions.json.branches as { name: string; latest: string }[];
      const installed = '23.05.2';
      const current = installed.split('.').slice(0, 2).join('.');
      const candidates: { name: string; latest: string }[] = [];
      for (const branch of branches) {
        if (branch.latest === installed) break;
        candidates.unshift(branch);
        if (branch.name === current) break;
      }
      expect(candidates[0]?.latest).toBe('23.05.3');

      // The 2020 client sends no target and the raw board name; it POSTs the same request every 5 s until a 200.
      const request = {
        version: candidates[0]!.latest,
        current_version: installed,
        diff_packages: true,
        profile: 'tplink,archer-c7-v2',
        packages: ['base-files', 'busybox', 'dropbear', 'luci'],
      };
      const seen: Answer[] = [];
      const done = await untilDone(() => call('POST', '/api/build', { body: request, headers: origin }), seen);
      expect(done.status, JSON.stringify(done.json)).toBe(200);
      for (const pending of seen.filter((answer) => answer.status === 202)) {
        expect(['queued', 'started']).toContain(pending.json.status);
        expect(pending.json.request_hash).toBe(done.json.request_hash);
      }
      expect(done.json.target).toBe('ath79/generic');
      expect(done.json.id).toBe('tplink_archer-c7-v2');
      const image = sysupgradeImage(done);
      const file = await download(done.json.bin_dir, image.name, origin);
      expect(file.statusCode).toBe(200);
      expect(file.headers['access-control-allow-origin']).toBe('*');

      // Its JSON POST from the router's page is preflighted.
      const preflight = await call('OPTIONS', '/api/build', {
        headers: {
          ...origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('*');

      // 400/422/500 show `message`.
      const tooBig = await untilDone(() =>
        call('POST', '/api/build', { body: { ...request, packages: ['huge-package'] }, headers: origin }),
      );
      expect(tooBig.status).toBe(500);
      expect(tooBig.json.status).toBeUndefined();
      expect(String(tooBig.json.message)).toMatch(/^Error: /);
      const badProfile = await call('POST', '/api/build', { body: { ...request, profile: 'no,such-board' } });
      expect(badProfile.status).toBe(400);
      expect(badProfile.json).toEqual({ status: 'bad_profile', message: 'Unsupported profile: no_such-board' });
      const badPackage = await call('POST', '/api/build', {
        body: { ...request, packages: ['luci', 'no-such-package'] },
      });
      expect(badPackage.status).toBe(422);
      expect(badPackage.json.status).toBe('bad_packages');
      expect(badPackage.json.message).toContain('Unsupported package(s): no-such-package');
      const badVersion = await call('POST', '/api/build', { body: { ...request, version: '18.06.9' } });
      expect(badVersion.status).toBe(400);
      expect(badVersion.json.status).toBe('bad_version');
      // Without a target only a branch's latest release is looked up (as ASU 0.4): 23.05.2 is not 23.05's latest.
      const legacy = await call('POST', '/api/build', { body: { ...request, version: '23.05.2' } });
      expect(legacy.status).toBe(400);
      expect(legacy.json.status).toBe('legacy_version');
      expect(legacy.json.message).toContain('23.05.3');
      const missing = await call('POST', '/api/build', { body: { profile: 'tplink,archer-c7-v2' } });
      expect(missing.status).toBe(400);
      expect(missing.json.status).toBe('bad_request');
      expect(missing.json.message).toBe('Missing version');
      const malformed = await call('POST', '/api/build', { body: { ...request, packages: 'luci' } });
      expect(malformed.status).toBe(400);
      expect(malformed.json.status).toBe('bad_request');
    },
  );

  it(
    'LuCI 21.02–23.05 (overview.js): /api/latest, /api/overview, /api/v1/overview followed cross-origin, ' +
      '`latest` read, preflighted POST /api/v1/build, GET polling, download',
    async () => {
      const origin = { origin: ROUTER };
      // 21.02's page asked /api/latest (ASU 0.5–0.6), later ones /api/overview, the newest /api/v1/overview.
      const paths = [
        ['/api/latest', 302, '/json/v1/latest.json'],
        ['/api/overview', 301, '/json/v1/overview.json'],
        ['/api/v1/overview', 301, '/json/v1/overview.json'],
      ] as const;
      for (const [path, code, location] of paths) {
        const { hops, last } = await follow(path, origin);
        expect(hops[0]!.status).toBe(code);
        expect(hops[0]!.headers.location).toBe(location);
        // A browser follows a cross-origin redirect only when the redirect itself allows the origin.
        for (const hop of hops) expect(hop.headers['access-control-allow-origin'], path).toBe('*');
        expect(last.status).toBe(200);
        const latest = last.json.latest as string[];
        // The client's walk: newest first, same branch only (no advanced mode), stop at the installed version.
        const installed = '23.05.2';
        const branch = installed.split('.').slice(0, 2).join('.');
        const candidates: string[] = [];
        for (const remote of latest) {
          if (remote === installed) break;
          if (remote.split('.').slice(0, 2).join('.') !== branch) continue;
          candidates.unshift(remote);
          if (remote.startsWith(`${branch}.`)) break;
        }
        expect(candidates).toEqual(['23.05.3']);
      }
      const revision = await call('GET', '/api/v1/revision/23.05.3/ath79/generic', { headers: origin });
      expect(revision.json.revision).toBe('r23809-234f1a2efa');
      expect(revision.headers['access-control-allow-origin']).toBe('*');

      // A JSON POST from another origin is preflighted.
      const preflight = await call('OPTIONS', '/api/v1/build', {
        headers: {
          ...origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('*');
      expect(String(preflight.headers['access-control-allow-methods'])).toContain('POST');
      expect(preflight.headers['access-control-allow-headers']).toBe('*');

      const request = {
        profile: 'tplink,archer-a7-v5',
        target: 'ath79/generic',
        version: '23.05.3',
        packages: ['base-files', 'busybox', 'luci'],
        diff_packages: true,
      };
      const first = await call('POST', '/api/v1/build', { body: request, headers: origin });
      expect([200, 202]).toContain(first.status);
      expect(first.headers['access-control-allow-origin']).toBe('*');
      const hash = String(first.json.request_hash);
      // The 21.02 page lost the hash (a bug in its 202 handler) and re-POSTed instead: the same build answers.
      const again = await call('POST', '/api/v1/build', { body: request, headers: origin });
      expect(again.json.request_hash).toBe(hash);
      const done = await untilDone(() => call('GET', `/api/v1/build/${hash}`, { headers: origin }));
      expect(done.status).toBe(200);
      expect(done.headers['access-control-allow-origin']).toBe('*');
      for (const field of ['version_number', 'version_code', 'id', 'target', 'build_at', 'bin_dir'])
        expect(done.json[field], field).toBeTruthy();
      const image = sysupgradeImage(done);
      expect(image.sha256).toMatch(/^[0-9a-f]{64}$/);
      const file = await download(done.json.bin_dir, image.name, origin);
      expect(file.statusCode).toBe(200);
      expect(file.headers['access-control-allow-origin']).toBe('*');
    },
  );

  it(
    'auc 0.2.4 (21.02.0–21.02.1): /json/branches.json with updates, pubkey and repos, /json/ documents via ' +
      'redirect, /api/v1/build with `detail`',
    async () => {
      const userAgent = { 'user-agent': 'auc (0.2.4-1)' };
      const branches = await call('GET', '/json/branches.json', { headers: userAgent });
      expect(branches.status).toBe(200);
      const list = branches.json as unknown as Record<string, unknown>[];
      const branch = list.find((entry) => entry.name === '23.05')!;
      // Every field auc 0.2.4 requires of a branch, or it skips it.
      for (const field of ['enabled', 'name', 'path', 'path_packages', 'updates', 'pubkey', 'repos', 'versions'])
        expect(branch[field], field).toBeDefined();
      expect(branch.enabled).toBe(true);
      expect(typeof branch.pubkey).toBe('string');
      expect(Array.isArray(branch.repos)).toBe(true);
      expect((branch.targets as Record<string, string>)['ath79/generic']).toBe('mips_24kc');

      const path = String(branch.path).replace('{version}', '23.05.3');
      const profile = await follow(`/json/${path}/targets/ath79/generic/tplink_archer-c7-v2.json`, userAgent);
      expect(profile.hops[0]!.status).toBe(301);
      expect(profile.last.json).toMatchObject({
        metadata_version: 1,
        arch_packages: 'mips_24kc',
        target: 'ath79/generic',
      });
      expect(Array.isArray(profile.last.json.images)).toBe(true);
      const index = await follow(`/json/${path}/targets/ath79/generic/index.json`, userAgent);
      expect(Object.keys(index.last.json.packages as object).length).toBeGreaterThan(0);
      expect(index.last.json.architecture).toBe('mips_24kc');
      const arch = await follow(`/json/${path}/packages/mips_24kc-index.json`, userAgent);
      const luci = (arch.last.json as Record<string, string>).luci;
      expect(luci).toBeTruthy();

      const request = {
        version: '23.05.3',
        version_code: String(profile.last.json.version_code),
        target: 'ath79/generic',
        profile: 'tplink_archer-c7-v2',
        diff_packages: true,
        packages_versions: { luci },
      };
      const first = await call('POST', '/api/v1/build', { body: request, headers: userAgent });
      expect([200, 202]).toContain(first.status);
      if (first.status === 202) expect(String(first.headers['x-queue-position'])).toMatch(/^\d+$/);
      const done = await untilDone(() => call('GET', `/api/v1/build/${String(first.json.request_hash)}`));
      expect(done.status).toBe(200);
      const image = sysupgradeImage(done);
      const file = await download(done.json.bin_dir, image.name);
      expect(Number(file.headers['content-length'])).toBe(file.rawPayload.length);

      const refused = await call('POST', '/api/v1/build', {
        body: { ...request, profile: 'no_such_board' },
        headers: userAgent,
      });
      expect(refused.status).toBe(400);
      expect(String(refused.json.detail)).toContain('Unsupported profile: no_such_board');
    },
  );

  it(
    'auc 0.1.5–0.2.1 (21.02 release candidates): POST /api/build with target, GET /api/build/{hash}, string ' +
      'statuses, no status once done, `message`, X-Unknown-Package',
    async () => {
      const userAgent = { 'user-agent': 'auc (0.2.1-1)' };
      const arch = (await follow('/json/releases/23.05.3/packages/mips_24kc-index.json', userAgent)).last.json;
      const request = {
        version: '23.05.3',
        version_code: 'r23809-234f1a2efa',
        target: 'ath79/generic',
        profile: '8dev_carambola2',
        diff_packages: true,
        filesystem: 'squashfs',
        packages_versions: { luci: String(arch.luci) },
      };
      const first = await call('POST', '/api/build', { body: request, headers: userAgent });
      expect([200, 202]).toContain(first.status);
      const hash = String(first.json.request_hash);
      // auc polls by GET once it has a request_hash, and keeps polling while an answer has a string status.
      const seen: Answer[] = [first];
      const done = await untilDone(() => call('GET', `/api/build/${hash}`, { headers: userAgent }), seen);
      expect(done.status).toBe(200);
      for (const pending of seen.filter((answer) => answer.status === 202))
        expect(['queued', 'started']).toContain(pending.json.status);
      expect(done.json.status).toBeUndefined();
      expect(done.json.request_hash).toBe(hash);
      const image = sysupgradeImage(done);
      expect((await download(done.json.bin_dir, image.name)).statusCode).toBe(200);

      const unknownHash = await call('GET', `/api/build/${'0'.repeat(64)}`);
      expect(unknownHash.status).toBe(404);
      expect(unknownHash.json).toEqual({ status: 'not_found' });
      const unknownPackage = await call('POST', '/api/build', {
        body: { ...request, packages_versions: { luci: String(arch.luci), 'no-such-package': '1.0' } },
        headers: userAgent,
      });
      expect(unknownPackage.status).toBe(422);
      expect(unknownPackage.headers['x-unknown-package']).toBe('no-such-package');
      expect(unknownPackage.json.status).toBe('bad_packages');
      const badTarget = await call('POST', '/api/build', { body: { ...request, target: 'nosuch/target' } });
      expect(badTarget.status).toBe(400);
      expect(badTarget.json.status).toBe('bad_target');
      expect(String(badTarget.json.message)).toContain('Unsupported target: nosuch/target');
    },
  );

  it('firmware selector (ofs 4.x, a page on another origin): preflight, POST /api/v1/build, GET polling', async () => {
    const origin = { origin: 'https://firmware-selector.openwrt.org' };
    const preflight = await call('OPTIONS', '/api/v1/build', {
      headers: { ...origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    const first = await call('POST', '/api/v1/build', {
      body: {
        profile: 'glinet_gl-mt3000',
        target: 'mediatek/filogic',
        packages: ['base-files', 'luci', 'htop'],
        version: '23.05.3',
        diff_packages: true,
        client: 'ofs/4.1.0',
      },
      headers: origin,
    });
    expect(first.headers['access-control-allow-origin']).toBe('*');
    const seen: Answer[] = [first];
    const done = await untilDone(
      () => call('GET', `/api/v1/build/${String(first.json.request_hash)}`, { headers: origin }),
      seen,
    );
    expect(done.status).toBe(200);
    // It shows `imagebuilder_status` while building and lists `images` with their `bin_dir` links when done.
    for (const pending of seen.filter((answer) => answer.status === 202))
      expect(typeof pending.json.imagebuilder_status).toBe('string');
    const image = sysupgradeImage(done);
    expect((await download(done.json.bin_dir, image.name, origin)).headers['access-control-allow-origin']).toBe('*');
  });

  it('/api/latest (302, as ASU 0.5–0.8) and /api/branches answer what those servers did', async () => {
    const latest = await follow('/api/latest', { origin: ROUTER });
    expect(latest.hops[0]!.status).toBe(302);
    expect(latest.hops[0]!.headers.location).toBe('/json/v1/latest.json');
    expect(latest.last.json.latest).toEqual(['23.05.3']);
    const branches = await call('GET', '/api/branches');
    const list = branches.json as unknown as { name: string; versions: string[] }[];
    expect(list.find((entry) => entry.name === '23.05')?.versions).toEqual(['23.05.3', '23.05.2']);
    // The /json/ alias never loops into /json/v1/v1/….
    expect((await call('GET', '/json/v1/nothing-here.json')).status).toBe(404);
  });

  it('CORS headers only on public routes: the login-only DELETE of a cached build invites no origin', async () => {
    const hash = 'a'.repeat(64);
    const admin = await makeToken(h.t.db, await makeUser(h.t.db, { isSuperuser: true }));
    const deleted = await h.t.app.inject({
      method: 'DELETE',
      url: `/api/v1/build/${hash}`,
      headers: { origin: ROUTER, authorization: admin },
    });
    expect(deleted.statusCode).toBe(404);
    expect(deleted.headers['access-control-allow-origin']).toBeUndefined();
    const status = await call('GET', `/api/v1/build/${hash}`, { headers: { origin: ROUTER } });
    expect(status.status).toBe(404);
    expect(status.headers['access-control-allow-origin']).toBe('*');
  });
});
