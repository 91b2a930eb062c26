import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASU_TEST_RELEASE } from './helpers/asu-upstream.js';
import { createImageBuildHarness, type ImageBuildHarness } from './helpers/image-builds.js';
import { MAKE, XZ, ZSTD, skipWithout } from './helpers/system-tools.js';

/**
 * openwrt/asu's tests/test_api.py, over HTTP, against fleetflash (ASU at 1f62550; the rest of its suite that makes
 * sense over HTTP is in asu-compat-more.e2e.test.ts). Each test names the ASU test it ports.
 *
 * Fixture: ASU's own test release is added to our fixture upstream (ASU_TEST_RELEASE: version 1.2.3, target
 * testtarget/testsubtarget, profile testprofile, packages test1 1.0 and test2 2.0, revision r12647-cb44ab4f5d, the
 * default and profile packages of ASU's fake ImageBuilder), so the requests and expected texts are ASU's own. Mapped
 * instead: ASU's revision test asks 23.05.5 ath79/generic of its upstream; ours asks 23.05.3 (the fixture's release).
 * ASU's slow tests that build real images (x86/64 generic fallback, ath79 `8dev,carambola2`) run on our fixture's
 * 23.05.3 targets.
 *
 * ASU's tests run its queue synchronously, so a POST answers the finished build; ours (like ASU in production)
 * answers 202 first, so these tests wait for the build and read its state with GET.
 *
 * Deliberate differences (docs/api.md "Deliberate differences from ASU") have their own tests at the end.
 */

const skip = skipWithout(import.meta.url, [MAKE, ZSTD, XZ]);

let h: ImageBuildHarness;

beforeAll(async () => {
  h = await createImageBuildHarness({
    asuTestRelease: true,
    env: { FLEETFLASH_BUILD_CLIENT_MAX_QUEUED: '1000', FLEETFLASH_BUILD_CLIENT_RATE_LIMIT: '1000' },
  });
});

afterAll(async () => {
  await h?.close();
});

const asu = {
  version: ASU_TEST_RELEASE.version,
  target: ASU_TEST_RELEASE.target,
  profile: ASU_TEST_RELEASE.profile,
};

type Json = Record<string, unknown>;

/** POST, then (202) wait: what ASU's synchronous test queue answers at once. */
async function built(body: Json): Promise<{ status: number; json: Json; hash: string }> {
  const first = await h.build(body);
  if (first.status !== 200 && first.status !== 202) return { ...first, hash: '' };
  const hash = first.json.request_hash as string;
  const done = await h.waitForBuild(hash);
  return { ...done, hash };
}

const base_packages_diff =
  'PACKAGES=-base-files -busybox -dnsmasq -dropbear -firewall -fstools' +
  ' -ip6tables -iptables -kmod-ath9k -kmod-gpio-button-hotplug' +
  ' -kmod-ipt-offload -kmod-usb-chipidea2 -kmod-usb-storage -kmod-usb2' +
  ' -libc -libgcc -logd -mtd -netifd -odhcp6c -odhcpd-ipv6only -opkg' +
  ' -ppp -ppp-mod-pppoe -swconfig -uboot-envtools -uci -uclient-fetch' +
  ' -urandom-seed -urngd -wpad-basic';

describe.skipIf(skip)('ASU test_api.py: builds', () => {
  it('test_api_build: manifest, and PACKAGES in the requested order', async () => {
    const answer = await built({ ...asu, packages: ['zzz', 'test1', 'qqq', 'test2', 'aaa'] });
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    expect((answer.json.manifest as Json).test1).toBe('1.0');
    expect((answer.json.build_cmd as string[])[3]).toBe('PACKAGES=zzz test1 qqq test2 aaa');
  });

  it('test_api_build_inputs: every optional field of the request is echoed with its default', async () => {
    const answer = await built({ ...asu });
    expect(answer.status).toBe(200);
    const request = answer.json.request as Json;
    expect(request.version).toBe('1.2.3');
    expect(request.target).toBe('testtarget/testsubtarget');
    expect(request.profile).toBe('testprofile');
    expect(request.distro).toBe('openwrt');
    expect(request.version_code).toBe('');
    expect(request.packages).toEqual([]);
    expect(request.packages_versions).toEqual({});
    expect(request.defaults).toBeNull();
    expect(request.client).toBeNull();
    expect(request.rootfs_size_mb).toBeNull();
    expect(request.filesystem).toBeNull();
    expect(request.diff_packages).toBe(false);
    expect(request.repositories_mode).toBe('replace');
  });

  it('test_api_build_version_code: the right revision builds', async () => {
    const answer = await built({ ...asu, version_code: 'r12647-cb44ab4f5d', packages: ['test1', 'test2'] });
    expect(answer.status).toBe(200);
  });

  it('test_api_build_rootfs_size: ROOTFS_PARTSIZE is the 7th word of build_cmd', async () => {
    const answer = await built({ ...asu, packages: ['test1', 'test2'], rootfs_size_mb: 100 });
    expect(answer.status).toBe(200);
    expect((answer.json.build_cmd as string[])[6]).toBe('ROOTFS_PARTSIZE=100');
  });

  it('test_api_build_filesystem: ROOTFS_FILESYSTEM in build_cmd', async () => {
    const answer = await built({ ...asu, packages: ['test1', 'test2'], filesystem: 'squashfs' });
    expect(answer.status).toBe(200);
    expect(answer.json.build_cmd).toContain('ROOTFS_FILESYSTEM=squashfs');
  });

  it('test_api_build_version_code_bad: 500 with the revisions in detail', async () => {
    const answer = await built({ ...asu, version_code: 'some-bad-version-code', packages: ['test1', 'test2'] });
    expect(answer.status).toBe(500);
    expect(answer.json.detail).toBe(
      'Error: Received incorrect version r12647-cb44ab4f5d (requested some-bad-version-code)',
    );
  });

  it('test_api_build_diff_packages: removals of the defaults, then the packages in the requested order', async () => {
    const answer = await built({ ...asu, packages: ['test1', 'zzz', 'test2', 'aaa'], diff_packages: true });
    expect(answer.status).toBe(200);
    expect((answer.json.build_cmd as string[])[3]).toBe(`${base_packages_diff} test1 zzz test2 aaa`);
  });

  it('test_api_build_request_hash: the hash does not depend on the order of packages', async () => {
    const packages1 = ['test1', 'zzz', 'test2', 'aaa'];
    const packages2 = [...packages1].sort();
    expect(packages1).not.toEqual(packages2);
    // Case 1 and 2: diff_packages, both orders.
    const case1 = await built({ ...asu, diff_packages: true, packages: packages1 });
    expect(case1.status).toBe(200);
    expect((case1.json.build_cmd as string[])[3]).toBe(`${base_packages_diff} ${packages1.join(' ')}`);
    const case2 = await built({ ...asu, diff_packages: true, packages: packages2 });
    expect(case2.status).toBe(200);
    expect(case2.json.request_hash).toBe(case1.json.request_hash);
    // Case 3 and 4: without diff_packages.
    const case3 = await built({ ...asu, diff_packages: false, packages: packages1 });
    expect(case3.status).toBe(200);
    expect((case3.json.build_cmd as string[])[3]).toBe(`PACKAGES=${packages1.join(' ')}`);
    const case4 = await built({ ...asu, diff_packages: false, packages: packages2 });
    expect(case4.json.request_hash).toBe(case3.json.request_hash);
    // ASU's fixed expected values (1c4a79c6…, c5a849e0…) are of its own hash algorithm; ours is a canonical JSON
    // (deliberate difference): the properties hold, and diff_packages changes the hash.
    expect(case3.json.request_hash).not.toBe(case1.json.request_hash);
    for (const hash of [case1.json.request_hash, case3.json.request_hash]) expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('test_api_build_mapping, test_api_build_empty_packages_list, test_api_build_without_packages_list', async () => {
    expect((await built({ ...asu, packages: ['test1', 'test2'] })).status).toBe(200);
    expect((await built({ ...asu, packages: [] })).status).toBe(200);
    expect((await built({ ...asu })).status).toBe(200);
  });

  it('test_api_build_packages_versions: GET answers the build by its hash', async () => {
    const first = await h.build({ ...asu, packages_versions: { test1: '1.0', test2: '2.0' } });
    const hash = first.json.request_hash as string;
    const answer = await h.waitForBuild(hash);
    expect(answer.status).toBe(200);
    expect(answer.json.request_hash).toBe(hash);
  });

  it('test_api_build_packages_versions_bad: 500 naming the package, wanted and built versions', async () => {
    const first = await h.build({ ...asu, packages_versions: { test1: '0.0', test2: '2.0' } });
    const answer = await h.waitForBuild(first.json.request_hash as string);
    expect(answer.status).toBe(500);
    expect(answer.json.detail).toBe('Error: Impossible package selection: test1 version not as requested: 0.0 vs. 1.0');
    // As in ASU's synchronous test, a POST of the failed request answers the failure (served from the cache).
    const again = await h.build({ ...asu, packages_versions: { test1: '0.0', test2: '2.0' } });
    expect(again.status).toBe(500);
    expect(again.json).toMatchObject({ status: 500, detail: answer.json.detail, imagebuilder_status: 'failed' });
    expect(again.headers['x-imagebuilder-status']).toBe('failed');
    expect(again.headers['x-queue-position']).toBe('0');
  });

  it('test_api_build_packages_duplicate: packages and packages_versions together', async () => {
    const answer = await built({
      ...asu,
      packages: ['test1', 'test2'],
      packages_versions: { test1: '1.0', test2: '2.0' },
    });
    expect(answer.status).toBe(200);
  });

  it('test_api_build_real_x86 (on our fixture): any profile of a generic-only target builds generic', async () => {
    // ASU asks tmux and vim of 25.12.2; our fixture has vim.
    const body = { target: 'x86/64', version: '23.05.3', packages: ['vim'] };
    const first = await built({ ...body, profile: 'some_random_cpu_which_doesnt_exists_as_profile' });
    expect(first.status, JSON.stringify(first.json)).toBe(200);
    expect(first.json.id).toBe('generic');
    const ext4 = await built({
      ...body,
      profile: 'some_random_cpu_which_doesnt_exists_as_profile',
      filesystem: 'ext4',
    });
    expect(ext4.status, JSON.stringify(ext4.json)).toBe(200);
    expect(ext4.json.id).toBe('generic');
  });

  it('test_api_build_real_ath79 (on our fixture): an unsanitised board name builds its profile', async () => {
    const body = { target: 'ath79/generic', version: '23.05.3', packages: ['vim'] };
    const board = await built({ ...body, profile: '8dev,carambola2' });
    expect(board.status, JSON.stringify(board.json)).toBe(200);
    expect(board.json.id).toBe('8dev_carambola2');
    const squashfs = await built({ ...body, profile: '8dev_carambola2', filesystem: 'squashfs' });
    expect(squashfs.status).toBe(200);
    expect(squashfs.json.id).toBe('8dev_carambola2');
  });
});

describe.skipIf(skip)('ASU test_api.py: the status URL', () => {
  it('test_api_build_head_get: HEAD has the headers and no body; GET the same headers and the JSON', async () => {
    const first = await built({ ...asu, packages: ['test1', 'test2'] });
    const hash = first.json.request_hash as string;
    const head = await h.t.app.inject({ method: 'HEAD', url: `/api/v1/build/${hash}` });
    expect(head.statusCode).toBe(200);
    expect(head.headers['x-imagebuilder-status']).toBe('done');
    expect(head.headers['x-queue-position']).toBe('0');
    expect(head.rawPayload.length).toBe(0);
    expect(head.body).toBe('');
    const get = await h.t.app.inject({ method: 'GET', url: `/api/v1/build/${hash}` });
    expect(get.statusCode).toBe(200);
    expect(get.headers['x-imagebuilder-status']).toBe('done');
    expect(get.headers['x-queue-position']).toBe('0');
    expect(get.rawPayload.length).toBeGreaterThan(0);
    const data = JSON.parse(get.body) as Json;
    expect(data.request_hash).toBe(hash);
    expect(data.imagebuilder_status).toBe('done');
    const request = data.request as Json;
    expect(request.version).toBe('1.2.3');
    expect(request.target).toBe('testtarget/testsubtarget');
    expect(request.profile).toBe('testprofile');
  });

  it('test_api_build_get_not_found: 404 for an unknown hash', async () => {
    const answer = await h.status('testtesttest');
    expect(answer.status).toBe(404);
    expect(answer.json).toEqual({ status: 404, title: 'Not Found', detail: 'could not find provided request hash' });
    const head = await h.t.app.inject({ method: 'HEAD', url: '/api/v1/build/testtesttest' });
    expect(head.statusCode).toBe(404);
    expect(head.body).toBe('');
  });

  it('test_api_build_get_no_post: 405 for POST on a hash URL', async () => {
    const answer = await h.t.app.inject({ method: 'POST', url: '/api/v1/build/0222f0cd9290' });
    expect(answer.statusCode).toBe(405);
    // FastAPI's body is {"detail": "Method Not Allowed"}; ours adds what to do instead.
    expect(JSON.parse(answer.body).detail).toMatch(/^Method Not Allowed/);
    expect(answer.headers.allow).toBe('GET, HEAD, DELETE');
  });
});

describe.skipIf(skip)('ASU test_api.py: validation (422, pydantic wording)', () => {
  const detailOf = (answer: { json: Json }) => answer.json.detail as Json[];

  it('test_api_build_rootfs_size_too_small and _too_big: the bounds', async () => {
    const small = await h.build({ ...asu, packages: ['test1', 'test2'], rootfs_size_mb: 0 });
    expect(small.status).toBe(422);
    expect(detailOf(small)).toEqual([
      {
        type: 'greater_than_equal',
        loc: ['body', 'rootfs_size_mb'],
        msg: 'Input should be greater than or equal to 1',
        input: 0,
        ctx: { ge: 1 },
      },
    ]);
    const big = await h.build({ ...asu, packages: ['test1', 'test2'], rootfs_size_mb: 1025 });
    expect(big.status).toBe(422);
    expect(detailOf(big)).toEqual([
      {
        type: 'less_than_equal',
        loc: ['body', 'rootfs_size_mb'],
        msg: 'Input should be less than or equal to 1024',
        input: 1025,
        ctx: { le: 1024 },
      },
    ]);
  });

  it('test_api_build_filesystem_invalid: the enum, in pydantic words', async () => {
    const answer = await h.build({ ...asu, packages: ['test1', 'test2'], filesystem: 'bogusfs' });
    expect(answer.status).toBe(422);
    const expected = "'squashfs', 'ext4', 'ubifs', 'erofs', 'jffs2', 'jffs2-nand', 'targz' or 'cpiogz'";
    expect(detailOf(answer)).toEqual([
      {
        type: 'literal_error',
        loc: ['body', 'filesystem'],
        msg: `Input should be ${expected}`,
        input: 'bogusfs',
        ctx: { expected },
      },
    ]);
  });

  it('test_api_build_bad_packages_str: a string where a list belongs', async () => {
    const answer = await h.build({ ...asu, packages: 'testpackage' });
    expect(answer.status).toBe(422);
    expect(detailOf(answer)).toEqual([
      { input: 'testpackage', loc: ['body', 'packages'], msg: 'Input should be a valid list', type: 'list_type' },
    ]);
  });

  it('test_api_build_empty_request: no body at all', async () => {
    for (const headers of [{}, { 'content-type': 'application/json' }]) {
      const answer = await h.t.app.inject({ method: 'POST', url: '/api/v1/build', headers });
      expect(answer.statusCode, JSON.stringify(headers)).toBe(422);
      expect(JSON.parse(answer.body).detail).toEqual([
        { input: null, loc: ['body'], msg: 'Field required', type: 'missing' },
      ]);
    }
  });

  it('a body that is not JSON, or not an object, as FastAPI answers it', async () => {
    const invalid = await h.t.app.inject({
      method: 'POST',
      url: '/api/v1/build',
      headers: { 'content-type': 'application/json' },
      payload: '{"version": ',
    });
    expect(invalid.statusCode).toBe(422);
    const [issue] = JSON.parse(invalid.body).detail as Json[];
    expect(issue).toMatchObject({ type: 'json_invalid', msg: 'JSON decode error', input: {} });
    expect((issue!.loc as unknown[])[0]).toBe('body');
    expect(typeof (issue!.ctx as Json).error).toBe('string');
    // The parser's own message quotes the body; a first-boot script in it is never sent back.
    const secret = await h.t.app.inject({
      method: 'POST',
      url: '/api/v1/build',
      headers: { 'content-type': 'application/json' },
      payload: '{"defaults": "wifi-key=hunter2" x}',
    });
    expect(secret.statusCode).toBe(422);
    expect(secret.body).not.toContain('hunter2');
    const list = await h.build(['1.2.3']);
    expect(list.status).toBe(422);
    expect(detailOf(list)).toEqual([
      {
        type: 'model_attributes_type',
        loc: ['body'],
        msg: 'Input should be a valid dictionary or object to extract fields from',
        input: ['1.2.3'],
      },
    ]);
    const nothing = await h.t.app.inject({
      method: 'POST',
      url: '/api/v1/build',
      headers: { 'content-type': 'application/json' },
      payload: 'null',
    });
    expect(JSON.parse(nothing.body).detail).toEqual([
      { input: null, loc: ['body'], msg: 'Field required', type: 'missing' },
    ]);
  });

  it('test_api_build_needed: each missing required field, with the body as input', async () => {
    const noVersion = await h.build({ profile: 'testprofile', target: 'testtarget/testsubtarget' });
    expect(noVersion.status).toBe(422);
    expect(detailOf(noVersion)).toEqual([
      {
        input: { profile: 'testprofile', target: 'testtarget/testsubtarget' },
        loc: ['body', 'version'],
        msg: 'Field required',
        type: 'missing',
      },
    ]);
    const noProfile = await h.build({ version: '1.2.3', target: 'testtarget/testsubtarget' });
    expect(detailOf(noProfile)).toEqual([
      {
        type: 'missing',
        loc: ['body', 'profile'],
        msg: 'Field required',
        input: { version: '1.2.3', target: 'testtarget/testsubtarget' },
      },
    ]);
    const noTarget = await h.build({ version: '1.2.3', profile: 'testprofile' });
    expect(detailOf(noTarget)).toEqual([
      {
        type: 'missing',
        loc: ['body', 'target'],
        msg: 'Field required',
        input: { version: '1.2.3', profile: 'testprofile' },
      },
    ]);
  });

  it('pattern mismatches name the pattern and echo the input (ASU: STRING_PATTERN fields)', async () => {
    const answer = await h.build({ ...asu, packages: ['test1', 'bad package'] });
    expect(answer.status).toBe(422);
    const [issue] = detailOf(answer);
    expect(issue).toMatchObject({
      type: 'string_pattern_mismatch',
      loc: ['body', 'packages', 1],
      input: 'bad package',
    });
    const pattern = (issue!.ctx as { pattern: string }).pattern;
    expect(issue!.msg).toBe(`String should match pattern '${pattern}'`);
    const target = await h.build({ ...asu, target: 'testtarget' });
    expect(detailOf(target)[0]).toMatchObject({
      type: 'string_pattern_mismatch',
      loc: ['body', 'target'],
      input: 'testtarget',
    });
  });

  it('type errors in pydantic words', async () => {
    const cases: [Json, Json][] = [
      [{ version: 123 }, { type: 'string_type', loc: ['body', 'version'], msg: 'Input should be a valid string' }],
      [
        { diff_packages: 'maybe' },
        {
          type: 'bool_parsing',
          loc: ['body', 'diff_packages'],
          msg: 'Input should be a valid boolean, unable to interpret input',
        },
      ],
      [
        { rootfs_size_mb: 'big' },
        {
          type: 'int_parsing',
          loc: ['body', 'rootfs_size_mb'],
          msg: 'Input should be a valid integer, unable to parse string as an integer',
        },
      ],
      [
        { packages_versions: ['test1'] },
        { type: 'dict_type', loc: ['body', 'packages_versions'], msg: 'Input should be a valid dictionary' },
      ],
    ];
    for (const [fields, expected] of cases) {
      const answer = await h.build({ ...asu, ...fields });
      expect(answer.status, JSON.stringify(fields)).toBe(422);
      expect(detailOf(answer)[0], JSON.stringify(fields)).toEqual({ ...expected, input: Object.values(fields)[0] });
    }
  });
});

describe.skipIf(skip)('ASU test_api.py: refusals before queueing (400)', () => {
  it('test_api_build_bad_target', async () => {
    const answer = await h.build({
      ...asu,
      target: 'testtarget/testsubtargetbad',
      profile: 'testvendor,testprofile',
      packages: ['test1', 'test2'],
    });
    expect(answer.status).toBe(400);
    expect(answer.json.detail).toBe(
      'Unsupported target: testtarget/testsubtargetbad. The requested ' +
        'target was either dropped, is still being built or is not supported ' +
        'by the selected version. Please check the forums or try again later.',
    );
  });

  it('test_api_build_bad_distro', async () => {
    const answer = await h.build({ ...asu, distro: 'Foobar', packages: ['test1', 'test2'] });
    expect(answer.status).toBe(400);
    expect(answer.json.detail).toBe('Unsupported distro: Foobar');
  });

  it('test_api_build_bad_branch and test_api_build_bad_version: an unknown branch', async () => {
    for (const version of ['10.10.10', '99.99.99']) {
      const answer = await h.build({ ...asu, version, packages: ['test1', 'test2'] });
      expect(answer.status).toBe(400);
      expect(answer.json.detail).toBe(`Unsupported branch: ${version}`);
    }
    // A known branch without this release: ASU's other text.
    const release = await h.build({ ...asu, version: '1.2.9', packages: ['test1', 'test2'] });
    expect(release.status).toBe(400);
    expect(release.json.detail).toBe('Unsupported version: 1.2.9');
  });

  it('test_api_build_bad_profile', async () => {
    const answer = await h.build({ ...asu, profile: 'Foobar', packages: ['test1', 'test2'] });
    expect(answer.status).toBe(400);
    expect(answer.json.detail).toBe(
      'Unsupported profile: Foobar. The requested ' +
        'profile was either dropped or never existed. Please check the forums ' +
        'for more information.',
    );
  });

  it('test_api_build_defaults_empty: an empty script is no script', async () => {
    expect((await built({ ...asu, defaults: '' })).status).toBe(200);
  });

  it('test_api_build_defaults_filled_not_allowed', async () => {
    const answer = await h.build({ ...asu, defaults: 'echo' });
    expect(answer.status).toBe(400);
    expect(answer.json.detail).toBe('Handling `defaults` not enabled on server');
  });
});

describe.skipIf(skip)('ASU test_api.py: other endpoints', () => {
  it('test_api_latest_default and test_api_overview: 301', async () => {
    for (const [from, to] of [
      ['/api/v1/latest', '/json/v1/latest.json'],
      ['/api/v1/overview', '/json/v1/overview.json'],
    ] as const) {
      const answer = await h.t.app.inject({ method: 'GET', url: from });
      expect(answer.statusCode).toBe(301);
      expect(answer.headers.location).toBe(to);
    }
  });

  it('test_api_revision (23.05.3 ath79/generic of our fixture) and test_api_revision_bad_version', async () => {
    const ok = await h.t.app.inject({ method: 'GET', url: '/api/v1/revision/23.05.3/ath79/generic' });
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(ok.body).revision).toBe('r23809-234f1a2efa');
    const asuRelease = await h.t.app.inject({ method: 'GET', url: '/api/v1/revision/1.2.3/testtarget/testsubtarget' });
    expect(JSON.parse(asuRelease.body)).toEqual({ revision: 'r12647-cb44ab4f5d' });
    const bad = await h.t.app.inject({ method: 'GET', url: '/api/v1/revision/invalid-version/ath79/generic' });
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body).detail).toBe('Unsupported version: invalid-version');
    // A version of a known branch that upstream does not have: ASU asks upstream, which answers 404.
    const missing = await h.t.app.inject({ method: 'GET', url: '/api/v1/revision/23.05.99/ath79/generic' });
    expect(missing.statusCode).toBe(404);
    expect(JSON.parse(missing.body)).toMatchObject({
      status: 404,
      detail: 'Failed to fetch revision for 23.05.99/ath79/generic',
    });
  });

  it('test_api_stats: the queue is empty', async () => {
    const answer = await h.t.app.inject({ method: 'GET', url: '/api/v1/stats' });
    expect(answer.statusCode).toBe(200);
    expect(JSON.parse(answer.body).queue_length).toBe(0);
  });

  it('/json/v1 documents list the ASU release with its branch, target and profile', async () => {
    const overview = JSON.parse((await h.t.app.inject({ method: 'GET', url: '/json/v1/overview.json' })).body);
    expect(overview.branches['1.2']).toMatchObject({
      name: '1.2',
      enabled: true,
      path: 'releases/{version}',
      path_packages: 'DEPRECATED',
      versions: ['1.2.3'],
      targets: { 'testtarget/testsubtarget': 'testarch' },
    });
    const branches = JSON.parse((await h.t.app.inject({ method: 'GET', url: '/json/v1/branches.json' })).body);
    expect(branches.map((branch: Json) => branch.name)).toEqual(['23.05', '1.2']);
    const latest = JSON.parse((await h.t.app.inject({ method: 'GET', url: '/json/v1/latest.json' })).body);
    expect(latest).toEqual({ latest: ['23.05.3'] });
    const profile = JSON.parse(
      (
        await h.t.app.inject({
          method: 'GET',
          url: '/json/v1/releases/1.2.3/targets/testtarget/testsubtarget/testprofile.json',
        })
      ).body,
    );
    expect(profile).toMatchObject({
      id: 'testprofile',
      metadata_version: 1,
      arch_packages: 'testarch',
      target: 'testtarget/testsubtarget',
      version_code: 'r12647-cb44ab4f5d',
    });
    const index = JSON.parse(
      (await h.t.app.inject({ method: 'GET', url: '/json/v1/releases/1.2.3/packages/testarch-index.json' })).body,
    );
    expect(index).toMatchObject({ test1: '1.0', test2: '2.0' });
  });
});

describe.skipIf(skip)('deliberate differences from ASU: clients still work', () => {
  it('mapping_abi, missing_package: an unknown package is a 422 before queueing', async () => {
    for (const packages of [['test1-1', 'test2'], ['this-package-does-not-exist']]) {
      const answer = await h.build({ ...asu, packages });
      expect(answer.status).toBe(422);
      // auc prints X-Unknown-Package; LuCI, owut and the firmware selector print `detail`, a sentence.
      expect(answer.headers['x-unknown-package']).toBe(packages[0]);
      expect(typeof answer.json.detail).toBe('string');
      expect(answer.json.detail).toContain(packages[0]);
      expect(answer.json.status).toBe(422);
    }
  });

  it('the hash is ours: stable under reordering, duplicates, aliases; changed by what changes the image', async () => {
    const hashOf = async (body: Json) => {
      const answer = await h.build({ ...asu, ...body });
      expect(answer.status, JSON.stringify(answer.json)).toBeLessThan(300);
      return answer.json.request_hash as string;
    };
    const reference = await hashOf({ packages: ['test1', 'test2'] });
    expect(await hashOf({ packages: ['test2', 'test1', 'test2'] })).toBe(reference);
    expect(await hashOf({ profile: 'testvendor,testprofile', packages: ['test1', 'test2'] })).toBe(reference);
    expect(await hashOf({ packages: ['test1', 'test2'], client: 'luci/1' })).toBe(reference);
    const variants: Json[] = [
      { packages: ['test1'] },
      { packages: ['test1', 'test2'], diff_packages: true },
      { packages: ['test1', 'test2'], version_code: 'r12647-cb44ab4f5d' },
      { packages: ['test1', 'test2'], rootfs_size_mb: 64 },
      { packages: ['test1', 'test2'], filesystem: 'ext4' },
      { packages_versions: { test1: '1.0', test2: '2.0' } },
    ];
    const hashes = new Set([reference]);
    for (const variant of variants) hashes.add(await hashOf(variant));
    expect(hashes.size).toBe(variants.length + 1);
  });
});
