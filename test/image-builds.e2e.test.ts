import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStoredFwtoolMetadata } from '../src/modules/firmware/fwtool.js';
import { createImageBuildHarness, type ImageBuildHarness } from './helpers/image-builds.js';
import { MAKE, XZ, ZSTD, skipWithout } from './helpers/system-tools.js';

const skip = skipWithout(import.meta.url, [MAKE, ZSTD, XZ]);

let h: ImageBuildHarness;

beforeAll(async () => {
  h = await createImageBuildHarness({
    env: {
      FLEETFLASH_ALLOW_DEFAULTS: 'true',
      FLEETFLASH_BUILD_CLIENT_MAX_QUEUED: '1000',
      FLEETFLASH_BUILD_CLIENT_RATE_LIMIT: '1000',
    },
  });
});

afterAll(async () => {
  await h?.close();
});

const base = { target: 'ath79/generic', version: '23.05.3' };

describe.skipIf(skip)('requests the ASU clients send (reference section 7)', () => {
  it(
    'LuCI: board name with a comma, installed packages, diff_packages; 200 has every field LuCI reads and the ' +
      'image downloads',
    async () => {
      const first = await h.build({
        client: 'luci/25.079.59095~8ad19f5',
        profile: 'tplink,archer-c7-v2',
        target: 'ath79/generic',
        version: '23.05.3',
        packages: ['base-files', 'luci', 'dropbear', 'busybox', 'vim'],
        diff_packages: true,
        filesystem: 'squashfs',
        rootfs_size_mb: null,
      });
      expect([200, 202]).toContain(first.status);
      if (first.status === 202) {
        expect(first.headers['x-imagebuilder-status']).toBeTruthy();
        expect(first.headers['x-queue-position']).toMatch(/^\d+$/);
        expect(first.json.status).toBe(202);
        expect(['queued', 'started']).toContain(first.json.detail);
      }
      const hash = first.json.request_hash as string;
      const done = await h.waitForBuild(hash);
      expect(done.status, JSON.stringify(done.json)).toBe(200);
      for (const field of [
        'bin_dir',
        'images',
        'manifest',
        'version_code',
        'version_number',
        'id',
        'target',
        'titles',
        'build_at',
        'build_cmd',
        'request',
        'stdout',
        'stderr',
      ])
        expect(done.json, field).toHaveProperty(field);
      expect(done.json).toMatchObject({
        status: 200,
        detail: 'done',
        imagebuilder_status: 'done',
        bin_dir: hash,
        id: 'tplink_archer-c7-v2',
        target: 'ath79/generic',
        version_number: '23.05.3',
        version_code: 'r23809-234f1a2efa',
      });
      const image = (
        done.json.images as {
          name: string;
          type: string;
          filesystem: string;
          sha256: string;
          sha256_unsigned: string;
        }[]
      ).find((candidate) => candidate.type === 'sysupgrade' && candidate.filesystem === 'squashfs')!;
      expect(image.sha256_unsigned).toMatch(/^[0-9a-f]{64}$/);
      const download = await h.t.app.inject({ method: 'GET', url: `/store/${hash}/${image.name}` });
      expect(download.statusCode).toBe(200);
      expect(download.headers['content-type']).toBe('application/octet-stream');
      expect(download.headers['x-content-type-options']).toBe('nosniff');
      expect(Number(download.headers['content-length'])).toBe(download.rawPayload.length);
      expect(createHash('sha256').update(download.rawPayload).digest('hex')).toBe(image.sha256);
      // diff_packages: defaults not asked for are removed, in the command the result reports.
      expect(done.json.build_cmd_packages as string[]).toContain('-ppp');
      expect(done.json.manifest).toHaveProperty('vim');
      expect(done.json.manifest).not.toHaveProperty('ppp');
      const head = await h.t.app.inject({ method: 'HEAD', url: `/store/${hash}/${image.name}` });
      expect(head.statusCode).toBe(200);
      // HEAD carries GET's headers, the file's length included, and no body.
      expect(head.rawPayload.length).toBe(0);
      for (const name of ['content-length', 'content-type', 'etag', 'accept-ranges', 'content-disposition']) {
        expect(head.headers[name], name).toBe(download.headers[name]);
      }
    },
  );

  it('owut: packages_versions, version_code and HEAD polling with the status headers and no body', async () => {
    const index = JSON.parse(
      (await h.t.app.inject({ method: 'GET', url: '/json/v1/releases/23.05.3/targets/ath79/generic/index.json' })).body,
    ) as { packages: Record<string, string> };
    const arch = JSON.parse(
      (await h.t.app.inject({ method: 'GET', url: '/json/v1/releases/23.05.3/packages/mips_24kc-index.json' })).body,
    ) as Record<string, string>;
    const versions = { ...index.packages, ...arch };
    const first = await h.build({
      client: 'owut/2025.05.12~8353c4e9-r1',
      target: 'ath79/generic',
      profile: 'tplink_archer-a7-v5',
      version: '23.05.3',
      version_code: 'r23809-234f1a2efa',
      filesystem: 'squashfs',
      diff_packages: true,
      packages_versions: {
        'base-files': versions['base-files'],
        luci: versions.luci,
        dropbear: versions.dropbear,
        busybox: versions.busybox,
      },
    });
    const hash = first.json.request_hash as string;
    const head = await h.t.app.inject({ method: 'HEAD', url: `/api/v1/build/${hash}` });
    expect([200, 202]).toContain(head.statusCode);
    expect(head.body).toBe('');
    expect(head.headers['x-imagebuilder-status']).toBeTruthy();
    expect(head.headers['x-queue-position']).toMatch(/^\d+$/);
    const done = await h.waitForBuild(hash);
    expect(done.status, JSON.stringify(done.json)).toBe(200);
    expect((done.json.request as Record<string, unknown>).version_code).toBe('r23809-234f1a2efa');
    expect((done.json.manifest as Record<string, string>).luci).toBe(versions.luci);
  });

  it('auc: no client field (User-Agent instead), 422 names unknown packages in X-Unknown-Package', async () => {
    const refused = await h.build(
      {
        version: '23.05.3',
        version_code: 'r23809-234f1a2efa',
        target: 'ath79/generic',
        filesystem: 'squashfs',
        profile: 'tplink_archer-c7-v2',
        diff_packages: true,
        packages_versions: { luci: '1', 'no-such-package': '1.0' },
      },
      { 'user-agent': 'auc/0.3.2-1' },
    );
    expect(refused.status).toBe(422);
    expect(refused.headers['x-unknown-package']).toBe('no-such-package');
    expect(refused.json.detail).toContain('no-such-package');
    const ok = await h.build(
      { version: '23.05.3', target: 'ath79/generic', profile: '8dev_carambola2', packages: ['luci'] },
      { 'user-agent': 'auc/0.3.2-1' },
    );
    const done = await h.waitForBuild(ok.json.request_hash as string);
    expect(done.status).toBe(200);
    // The echo is what was sent (no client: null, as ASU); the statistics still name auc from its User-Agent.
    expect((done.json.request as Record<string, unknown>).client).toBeNull();
    const logged = await h.t.db
      .selectFrom('asuRequests')
      .select('client')
      .where('requestHash', '=', ok.json.request_hash as string)
      .execute();
    expect(logged.map((row) => row.client)).toEqual(['auc/0.3.2-1']);
  });

  it('serves overview, branches and latest with the fields owut and auc need, and the legacy paths', async () => {
    const overview = JSON.parse((await h.t.app.inject({ method: 'GET', url: '/json/v1/overview.json' })).body);
    expect(overview.latest).toEqual(['23.05.3']);
    expect(overview.upstream_url).toBe(h.upstream.url);
    expect(overview.server).toMatchObject({
      max_custom_rootfs_size_mb: 1024,
      max_defaults_length: 20480,
      allow_defaults: true,
    });
    const branch = overview.branches['23.05'];
    expect(branch).toMatchObject({
      name: '23.05',
      enabled: true,
      path: 'releases/{version}',
      path_packages: 'DEPRECATED',
      versions: ['23.05.3', '23.05.2'],
      branch_off_rev: 23069,
    });
    expect(branch.targets['ath79/generic']).toBe('mips_24kc');
    expect(branch.package_changes.some((change: { source?: string }) => change.source === 'firewall')).toBe(true);
    const branches = JSON.parse((await h.t.app.inject({ method: 'GET', url: '/json/v1/branches.json' })).body);
    expect(branches[0].name).toBe('23.05');
    for (const legacy of ['/api/overview', '/api/v1/overview']) {
      const redirect = await h.t.app.inject({ method: 'GET', url: legacy });
      expect(redirect.statusCode).toBe(301);
      expect(redirect.headers.location).toBe('/json/v1/overview.json');
    }
    const profile = JSON.parse(
      (
        await h.t.app.inject({
          method: 'GET',
          url: '/json/v1/releases/23.05.3/targets/ath79/generic/tplink_archer-c7-v2.json',
        })
      ).body,
    );
    expect(profile).toMatchObject({
      metadata_version: 1,
      arch_packages: 'mips_24kc',
      target: 'ath79/generic',
      version_code: 'r23809-234f1a2efa',
      id: 'tplink_archer-c7-v2',
    });
    expect(Array.isArray(profile.images)).toBe(true);
    const list = JSON.parse(
      (await h.t.app.inject({ method: 'GET', url: '/api/v1/profiles/23.05.3/ath79/generic' })).body,
    );
    expect(list.profiles.map((entry: { id: string }) => entry.id)).toEqual(
      expect.arrayContaining(['tplink_archer-c7-v2', '8dev_carambola2']),
    );
    expect(list.profiles.find((entry: { id: string }) => entry.id === 'tplink_archer-c7-v2').title).toContain(
      'Archer C7',
    );
    expect((await h.t.app.inject({ method: 'GET', url: '/api/v1/profiles/23.05.3/nosuch/target' })).statusCode).toBe(
      404,
    );
    const revision = await h.t.app.inject({ method: 'GET', url: '/api/v1/revision/23.05.3/ath79/generic' });
    expect(JSON.parse(revision.body)).toEqual({ revision: 'r23809-234f1a2efa' });
    expect((await h.t.app.inject({ method: 'GET', url: '/api/v1/revision/99.99.9/ath79/generic' })).statusCode).toBe(
      400,
    );
  });
});

describe.skipIf(skip)('the request hash', () => {
  it('is the same for reordered, duplicated and aliased requests, and differs when the build differs', async () => {
    const a = await h.build({ ...base, profile: 'tplink_archer-c7-v2', packages: ['vim', 'luci', 'vim'] });
    const b = await h.build({
      ...base,
      profile: 'tplink,archer-c7-v2',
      packages: ['+luci', 'vim'],
      client: 'other/1',
      extra_field: 'ignored',
    });
    const c = await h.build({ ...base, profile: 'archer-c7-v2', packages: ['luci', 'vim'] });
    const d = await h.build({ ...base, profile: 'tplink_archer-c7-v2', packages: ['luci', 'vim', 'htop'] });
    expect(a.status).toBeLessThan(300);
    expect(b.json.request_hash).toBe(a.json.request_hash);
    expect(c.json.request_hash).toBe(a.json.request_hash);
    expect(d.json.request_hash).not.toBe(a.json.request_hash);
    const done = await h.waitForBuild(a.json.request_hash as string);
    expect(done.json.bin_dir).toBe(a.json.request_hash);
    // The order is not part of the hash, but the build keeps its requester's order (as ASU): echo and PACKAGES.
    expect((done.json.request as Record<string, unknown>).packages).toEqual(['vim', 'luci']);
    expect(done.json.build_cmd_packages).toEqual(['vim', 'luci']);
    expect(done.json.build_cmd as string[]).toContain('PACKAGES=vim luci');
    // x86/64 has one profile, generic: any profile maps to it.
    const x86 = await h.build({ version: '23.05.3', target: 'x86/64', profile: 'some-pc-vendor,model' });
    expect(x86.status, JSON.stringify(x86.json)).toBeLessThan(300);
    expect((x86.json.request as Record<string, unknown>).profile).toBe('generic');
  });

  it('50 simultaneous identical requests share one build', async () => {
    const body = { ...base, profile: 'tplink_archer-a7-v5', packages: ['tcpdump', 'htop'] };
    const answers = await Promise.all(Array.from({ length: 50 }, () => h.build(body)));
    expect(answers.every((answer) => answer.status < 300)).toBe(true);
    const hashes = new Set(answers.map((answer) => answer.json.request_hash));
    expect(hashes.size).toBe(1);
    const hash = [...hashes][0] as string;
    const done = await h.waitForBuild(hash);
    expect(done.status, JSON.stringify(done.json)).toBe(200);
    const results = await h.t.db.selectFrom('asuBuildResults').selectAll().where('requestHash', '=', hash).execute();
    expect(results).toHaveLength(1);
    const requests = await h.t.db.selectFrom('asuRequests').select('outcome').where('requestHash', '=', hash).execute();
    expect(requests.filter((row) => row.outcome === 'miss')).toHaveLength(1);
    expect(requests).toHaveLength(50);
  });
});

describe.skipIf(skip)('errors', () => {
  it('answers unknown version, target and profile with 400 and the reference text', async () => {
    expect((await h.build({ ...base, version: '23.05.99', profile: 'x' })).json.detail).toBe(
      'Unsupported version: 23.05.99',
    );
    // A version of no known branch: ASU's other text.
    expect((await h.build({ ...base, version: '99.01.0', profile: 'x' })).json.detail).toBe(
      'Unsupported branch: 99.01.0',
    );
    const target = await h.build({ ...base, target: 'nosuch/target', profile: 'x' });
    expect(target.status).toBe(400);
    expect(target.json.detail).toMatch(/^Unsupported target: nosuch\/target\. The requested target was either dropped/);
    const profile = await h.build({ ...base, profile: 'no_such_router' });
    expect(profile.status).toBe(400);
    expect(profile.json.detail).toMatch(/^Unsupported profile: no_such_router\./);
    expect(profile.json.status).toBe(400);
    // The field each refusal is about comes from the server, so the UI's form marks it without a table.
    expect([target.json.field, profile.json.field]).toEqual(['target', 'profile']);
    expect((await h.build({ ...base, version: '99.01.0', profile: 'x' })).json.field).toBe('version');
  });

  it('rejects injection attempts in every string with 422, listing where', async () => {
    const attempts: Record<string, unknown>[] = [
      { ...base, profile: 'tplink_archer-c7-v2', packages: ['luci\nvim'] },
      { ...base, profile: 'tplink_archer-c7-v2', packages: ['luci vim'] },
      { ...base, profile: 'tplink_archer-c7-v2', packages: ['$(reboot)'] },
      { ...base, profile: 'tplink_archer-c7-v2', packages: ['--force'] },
      { ...base, profile: '../../etc' },
      { ...base, profile: '-q' },
      { ...base, version: '23.05.3; rm -rf /', profile: 'x' },
      { ...base, target: 'ath79/../../x', profile: 'x' },
      { ...base, profile: 'tplink_archer-c7-v2', version_code: '$(id)' },
      { ...base, profile: 'tplink_archer-c7-v2', repositories: { 'bad name': 'https://example.org/x' } },
      { ...base, profile: 'tplink_archer-c7-v2', repositories: { ok: 'file:///etc' } },
      { ...base, profile: 'tplink_archer-c7-v2', packages_versions: { luci: '1.0 $(x)' } },
      { ...base, profile: 'tplink_archer-c7-v2', filesystem: 'btrfs' },
      { ...base, profile: 'tplink_archer-c7-v2', rootfs_size_mb: 0 },
      { ...base, profile: 'tplink_archer-c7-v2', rootfs_size_mb: 1025 },
      { ...base, profile: 'tplink_archer-c7-v2', packages: 'luci' },
      { target: 'ath79/generic', profile: 'x' },
    ];
    for (const body of attempts) {
      const answer = await h.build(body);
      expect(answer.status, JSON.stringify(body)).toBe(422);
      expect(Array.isArray(answer.json.detail), JSON.stringify(answer.json)).toBe(true);
      const first = (answer.json.detail as { loc: unknown[]; msg: string; type: string }[])[0]!;
      expect(first.loc[0]).toBe('body');
      expect(first.msg).toBeTruthy();
    }
    const empty = await h.t.app.inject({
      method: 'POST',
      url: '/api/v1/build',
      headers: { 'content-type': 'application/json' },
    });
    expect(empty.statusCode).toBe(422);
    const huge = await h.build({
      ...base,
      profile: 'tplink_archer-c7-v2',
      packages: Array.from({ length: 30_000 }, (_, index) => `package-number-${index}`),
    });
    expect(huge.status).toBe(413);
    const tooLongDefaults = await h.build({ ...base, profile: 'tplink_archer-c7-v2', defaults: 'x'.repeat(20_481) });
    expect(tooLongDefaults.status).toBe(422);
  });

  it('404 for an unknown hash, 405 for POST on a hash URL', async () => {
    const missing = await h.status('0'.repeat(64));
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ status: 404, detail: 'could not find provided request hash' });
    expect((await h.status('../../etc/passwd')).status).toBe(404);
    const post = await h.t.app.inject({ method: 'POST', url: `/api/v1/build/${'0'.repeat(64)}`, payload: {} });
    expect(post.statusCode).toBe(405);
    expect((await h.t.app.inject({ method: 'GET', url: `/store/${'0'.repeat(64)}/x.bin` })).statusCode).toBe(404);
  });

  it('reports missing and conflicting packages as lists, caches the user error briefly, and says so', async () => {
    const conflict = await h.build({ ...base, profile: 'tplink_archer-c7-v2', packages: ['dnsmasq-full'] });
    const done = await h.waitForBuild(conflict.json.request_hash as string);
    expect(done.status).toBe(500);
    expect(done.json).toMatchObject({
      status: 500,
      imagebuilder_status: 'failed',
      error_code: 'PACKAGE_CONFLICT',
      error_kind: 'user',
    });
    expect(done.json.conflicting_packages).toEqual(expect.arrayContaining(['dnsmasq', 'dnsmasq-full']));
    expect(String(done.json.detail)).toMatch(/^Error: Impossible package selection: .*conflicts/);
    const again = await h.build({ ...base, profile: 'tplink_archer-c7-v2', packages: ['dnsmasq-full'] });
    expect(again.status).toBe(500);
    const results = await h.t.db
      .selectFrom('asuBuildResults')
      .selectAll()
      .where('requestHash', '=', conflict.json.request_hash as string)
      .execute();
    expect(results).toHaveLength(1);

    const tooBig = await h.build({ ...base, profile: 'tplink_archer-c7-v2', packages: ['huge-package'] });
    const big = await h.waitForBuild(tooBig.json.request_hash as string);
    expect(big.json).toMatchObject({
      error_code: 'IMAGE_TOO_BIG',
      detail: 'Error: Selected packages exceed device storage',
    });

    const revision = await h.build({ ...base, profile: 'tplink_archer-c7-v2', version_code: 'r1-0000000000' });
    const wrong = await h.waitForBuild(revision.json.request_hash as string);
    expect(wrong.json).toMatchObject({ error_code: 'REVISION_MISMATCH' });
  });

  it('never answers a 500 to odd but well-formed input', async () => {
    for (const body of [
      { ...base, profile: 'tplink_archer-c7-v2', packages: [] },
      { ...base, profile: 'tplink_archer-c7-v2', packages_versions: {} },
      { ...base, profile: 'TPLINK_ARCHER-C7-V2' },
      { ...base, profile: 'tplink_archer-c7-v2', version: 'SNAPSHOT' },
      { ...base, profile: 'tplink_archer-c7-v2', version: '23.05-SNAPSHOT' },
      { ...base, target: 'x86/64', profile: 'generic', filesystem: 'ext4' },
    ]) {
      const answer = await h.build(body);
      expect(answer.status, JSON.stringify(answer.json)).toBeLessThan(500);
      expect(answer.json.status).toBe(answer.status);
    }
  });

  it('contradictory package lists are refused before queueing', async () => {
    const answer = await h.build({ ...base, profile: 'tplink_archer-c7-v2', packages: ['luci', '-luci'] });
    expect(answer.status).toBe(422);
    expect(answer.json.detail).toContain('luci');
  });
});

describe.skipIf(skip)('defaults (first-boot script)', () => {
  it('is built into the image but never echoed: only its hash and length', async () => {
    const script = "#!/bin/sh\nuci set wireless.default_radio0.key='super-secret-wifi-key'\nuci commit\n";
    const first = await h.build({ ...base, profile: 'tplink_archer-c7-v2', packages: ['luci'], defaults: script });
    expect(JSON.stringify(first.json)).not.toContain('super-secret');
    const done = await h.waitForBuild(first.json.request_hash as string);
    expect(done.status).toBe(200);
    expect(JSON.stringify(done.json)).not.toContain('super-secret');
    expect(done.json.request).toMatchObject({
      defaults: null,
      defaults_length: script.length,
      defaults_sha256: createHash('sha256').update(script).digest('hex'),
    });
    const row = await h.t.db
      .selectFrom('asuBuilds')
      .selectAll()
      .where('requestHash', '=', first.json.request_hash as string)
      .executeTakeFirstOrThrow();
    expect(row.defaultsSealed).toBeNull();
    expect(JSON.stringify(row)).not.toContain('super-secret');
    // Results with defaults expire quickly (build_defaults_ttl, 30 min by default).
    expect(row.expiresAt!.getTime() - Date.now()).toBeLessThan(31 * 60_000);
    const image = (done.json.images as { name: string; type: string }[]).find(
      (candidate) => candidate.type === 'sysupgrade',
    )!;
    const download = await h.t.app.inject({
      method: 'GET',
      url: `/store/${first.json.request_hash as string}/${image.name}`,
    });
    expect(download.rawPayload.toString('latin1')).toContain('super-secret-wifi-key');
    const file = await h.t.db
      .selectFrom('asuBuildFiles')
      .select('sha256')
      .where('requestHash', '=', first.json.request_hash as string)
      .where('name', '=', image.name)
      .executeTakeFirstOrThrow();
    const metadata = await readStoredFwtoolMetadata(h.t.storage, file.sha256);
    expect(metadata?.supported_devices).toContain('tplink,archer-c7-v2');
  });
});

describe.skipIf(skip)('statistics', () => {
  it('counts requests, hits, misses, successes and failures from the database, also for Prometheus', async () => {
    const summary = JSON.parse((await h.t.app.inject({ method: 'GET', url: '/api/v1/stats/summary' })).body);
    expect(summary.requests).toBe(summary.cache_hits + summary.cache_misses);
    expect(summary.successes).toBeGreaterThan(3);
    expect(summary.failures).toBeGreaterThan(0);
    expect(summary.cache_hits).toBeGreaterThan(0);
    const top = JSON.parse((await h.t.app.inject({ method: 'GET', url: '/api/v1/top-packages' })).body);
    expect(top.packages.map((entry: { name: string }) => entry.name)).toContain('vim');
    const errors = await h.t.app.inject({ method: 'GET', url: '/api/v1/build-errors' });
    expect(errors.body).toContain('PACKAGE_CONFLICT');
    const perProfile = JSON.parse((await h.t.app.inject({ method: 'GET', url: '/api/v1/stats/builds' })).body);
    expect(
      perProfile.builds.some(
        (row: { profile: string; successes: number }) => row.profile === 'tplink_archer-c7-v2' && row.successes > 0,
      ),
    ).toBe(true);
    expect(JSON.parse((await h.t.app.inject({ method: 'GET', url: '/api/v1/stats' })).body)).toHaveProperty(
      'queue_length',
    );
    const metrics = (await h.t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(new RegExp(`fleetflash_image_build_requests_total ${summary.requests}`));
    expect(metrics).toMatch(/fleetflash_image_builds\{status="queued"\} 0/);
  });
});
