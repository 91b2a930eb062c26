import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE } from './helpers/asu-upstream.js';
import { createImageBuildHarness, type ImageBuildHarness } from './helpers/image-builds.js';
import { MAKE, XZ, ZSTD, skipWithout } from './helpers/system-tools.js';

/**
 * A router on 22.03.5 (r20134) with kmod-nft-nat6 and firewall installed upgrades to 23.05 (r23809), across
 * r20282 where kmod-nft-nat6 was merged into kmod-nft-nat. Each client does what it does (reference §7; owut's
 * `files/owut`, auc 0.3.2's `auc.c`, LuCI's attended-sysupgrade view) against the listening server: reads the
 * documents it reads, applies `package_changes` as it does, sends its request shape, polls its way and
 * downloads and checks the image.
 */

const skip = skipWithout(import.meta.url, [MAKE, ZSTD, XZ]);

type Changes = { source?: string; target?: string; revision: number; mandatory?: boolean }[];
type Image = { name: string; type: string; filesystem: string; sha256: string };
type Answer = { status: number; headers: Headers; json: Record<string, unknown> };

const ROUTER = {
  board_name: 'tplink,archer-c7-v2',
  release: { version: '22.03.5', revision: 'r20134-5f15225c1e', target: 'ath79/generic' },
  rootfs_type: 'squashfs',
  /** rpc-sys packagelist {all: false}: packages no other installed package depends on. */
  topLevel: ['base-files', 'busybox', 'dropbear', 'firewall', 'firewall4', 'kmod-nft-nat6', 'luci', 'ppp', 'uci'],
  /** Installed as dependencies (with the top level and the defaults: rpc-sys packagelist {all: true}). */
  dependencies: ['kmod-nft-nat', 'libc', 'libgcc'],
};

let h: ImageBuildHarness;
let server: string;
/** The router's installed packages, name → version, from the 22.03.5 package indexes. */
let installed: Record<string, string>;

async function call(pathname: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(`${server}${pathname}`, init);
  const text = init.method === 'HEAD' ? '' : await response.text();
  return {
    status: response.status,
    headers: response.headers,
    json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

async function document<T>(pathname: string): Promise<T> {
  const answer = await call(pathname);
  expect(answer.status, pathname).toBe(200);
  return answer.json as T;
}

/** The package versions of a release as owut and auc read them: the target's index.json and the arch index. */
async function availableVersions(dir: string, target: string, arch: string): Promise<Record<string, string>> {
  const [archIndex, targetIndex] = await Promise.all([
    document<Record<string, string>>(`/json/v1/${dir}/packages/${arch}-index.json`),
    document<{ packages: Record<string, string> }>(`/json/v1/${dir}/targets/${target}/index.json`),
  ]);
  return { ...archIndex, ...targetIndex.packages };
}

function post(body: unknown, userAgent: string): Promise<Answer> {
  return call('/api/v1/build', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': userAgent },
    body: JSON.stringify(body),
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls a build every 50 ms (for at most a minute) until it is no longer 202, as each client does:
 * owut asks HEAD (never 405; a 202 carries X-Imagebuilder-Status) and GETs once it is done; auc GETs
 * with its User-Agent and expects every 202 to say queued or started; any other client GETs.
 */
async function pollBuild(first: Answer, client: 'owut' | 'auc' | 'other' = 'other'): Promise<Answer> {
  const build = `/api/v1/build/${first.json.request_hash as string}`;
  let answer = first;
  for (let polls = 0; answer.status === 202; polls += 1) {
    expect(polls, 'polls of 50 ms: a minute').toBeLessThan(1200);
    if (client === 'auc') expect(['queued', 'started']).toContain(answer.json.detail);
    await sleep(50);
    if (client === 'owut') {
      const head = await call(build, { method: 'HEAD' });
      expect(head.status).not.toBe(405);
      if (head.status === 202) {
        expect(head.headers.get('x-imagebuilder-status')).toBeTruthy();
        answer = head;
      } else answer = await call(build);
    } else if (client === 'auc') answer = await call(build, { headers: { 'user-agent': 'auc/0.3.2-1' } });
    else answer = await call(build);
  }
  return answer;
}

/** Downloads `/store/<bin_dir>/<name>` and checks length and sha256 as auc and owut do (LuCI compares sha256). */
async function downloadImage(binDir: string, image: Image): Promise<Buffer> {
  const response = await fetch(`${server}/store/${binDir}/${image.name}`);
  expect(response.status).toBe(200);
  const body = Buffer.from(await response.arrayBuffer());
  expect(body.length).toBeGreaterThan(0);
  expect(Number(response.headers.get('content-length'))).toBe(body.length);
  expect(createHash('sha256').update(body).digest('hex')).toBe(image.sha256);
  return body;
}

beforeAll(async () => {
  h = await createImageBuildHarness({
    oldRelease: true,
    newRelease: true,
    env: { FLEETFLASH_BUILD_CLIENT_MAX_QUEUED: '1000', FLEETFLASH_BUILD_CLIENT_RATE_LIMIT: '1000' },
  });
  server = await h.t.app.listen({ host: '127.0.0.1', port: 0 });
  const { release } = ROUTER;
  const profile = await document<{ default_packages: string[]; device_packages: string[]; arch_packages: string }>(
    `/json/v1/releases/${release.version}/targets/${release.target}/${ROUTER.board_name.replace(',', '_')}.json`,
  );
  const old = await availableVersions(`releases/${release.version}`, release.target, profile.arch_packages);
  const names = [...profile.default_packages, ...profile.device_packages, ...ROUTER.topLevel, ...ROUTER.dependencies];
  installed = Object.fromEntries([...new Set(names)].map((name) => [name, old[name]!]));
});

afterAll(async () => {
  await h?.close();
});

// ---------------------------------------------------------------------------------------------
// owut: overview.json, upstream profiles.json, the two indexes; changes with revision <= the target's.

interface OwutPlan {
  version: string;
  versionCode: string;
  profile: string;
  topLevel: Record<string, string>;
  /** Installed packages the target version lacks: owut stops ("cannot upgrade"). */
  missing: string[];
  images: Image[];
}

async function owutPlan(versionTo: string, changes?: Changes): Promise<OwutPlan> {
  const overview = await document<{
    upstream_url: string;
    branches: Record<string, { path: string; versions: string[]; package_changes: Changes }>;
  }>('/json/v1/overview.json');
  const branch = overview.branches[versionTo]!;
  // `-V 23.05`: a branch name stands for its latest release.
  const version = [...branch.versions].filter((v) => !/snapshot/i.test(v)).sort((a, b) => (a < b ? 1 : -1))[0]!;
  const dir = branch.path.replace('{version}', version);
  const { target } = ROUTER.release;
  const upstream = await fetch(`${overview.upstream_url}/${dir}/targets/${target}/profiles.json`);
  expect(upstream.status).toBe(200);
  const platform = (await upstream.json()) as {
    version_code: string;
    arch_packages: string;
    profiles: Record<string, { images: Image[] }>;
  };
  const profile = ROUTER.board_name.replace(',', '_');
  expect(platform.profiles).toHaveProperty(profile);
  const available = await availableVersions(dir, target, platform.arch_packages);
  const revision = Number(/^r(\d+)-/.exec(platform.version_code)![1]);

  const db = new Map(Object.keys(installed).map((name) => [name, ROUTER.topLevel.includes(name)]));
  for (const change of changes ?? branch.package_changes) {
    if (change.revision > revision) continue;
    if (change.target) {
      if (change.source && db.has(change.source)) {
        db.delete(change.source);
        if (!db.has(change.target)) db.set(change.target, true);
      }
    } else if (change.source && db.has(change.source)) db.delete(change.source);
  }
  const missing = [...db.keys()].filter((name) => !['kernel', 'libc'].includes(name) && !(name in available));
  const topLevel = [...db].filter(([, top]) => top).map(([name]) => name);
  return {
    version,
    versionCode: platform.version_code,
    profile,
    topLevel: Object.fromEntries(topLevel.map((name) => [name, available[name]!])),
    missing,
    images: platform.profiles[profile]!.images,
  };
}

// ---------------------------------------------------------------------------------------------
// auc 0.3.2 (`auc -b 23.05 -y`): branches.json, per-version board JSON, changes after the running
// revision, then after each branch's branch_off_rev, up to the target branch.

interface AucBranch {
  name: string;
  enabled: boolean;
  path: string;
  path_packages: string;
  versions: string[];
  targets: Record<string, string>;
  branch_off_rev?: number;
  snapshot?: boolean;
  package_changes?: Changes;
}

interface AucPlan {
  version: string;
  versionCode: string;
  packagesVersions: Record<string, string>;
  /** "installed package X cannot be found in remote list" / "new package X …": auc refuses without -f. */
  notFound: string[];
}

async function aucPlan(targetBranch: string, changesOf?: (branch: AucBranch) => Changes): Promise<AucPlan> {
  const branches = await document<AucBranch[]>('/json/v1/branches.json');
  const { release } = ROUTER;
  const usable = branches
    .filter((b) => b.enabled && b.name && b.path && b.path_packages && b.versions && b.targets?.[release.target])
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const versionCodes = new Map<string, string>();
  for (const branch of usable) {
    for (const version of branch.versions) {
      const dir = branch.path.replace('{version}', version);
      const board = await call(
        `/json/v1/${dir}/targets/${release.target}/${ROUTER.board_name.replace(/,/g, '_')}.json`,
      );
      const json = board.json as { metadata_version?: number; arch_packages?: string; images?: Image[] };
      if (board.status === 200 && json.metadata_version === 1 && json.arch_packages && json.images)
        versionCodes.set(version, board.json.version_code as string);
    }
  }
  const running = usable.find((b) => release.version.startsWith(b.name))!;
  const wanted = usable.find((b) => b.name === targetBranch)!;
  const version = wanted.versions.filter((v) => versionCodes.has(v)).sort((a, b) => (a < b ? 1 : -1))[0]!;
  const runningRevision = Number(/^r(\d+)/.exec(release.revision)![1]);

  const selected: Changes = [];
  let covered = runningRevision;
  for (const branch of usable.slice(usable.indexOf(running), usable.indexOf(wanted) + 1)) {
    const from = branch === running ? runningRevision : covered;
    for (const change of changesOf ? changesOf(branch) : (branch.package_changes ?? []))
      if (change.revision === 0 || change.revision > from) selected.push(change);
    if (branch.branch_off_rev) covered = branch.branch_off_rev;
  }
  const dir = wanted.path.replace('{version}', version);
  const remote = await availableVersions(dir, release.target, wanted.targets[release.target]!);
  // -y: every change that concerns an installed package is applied.
  const rename = (name: string): string | null => {
    let current: string | null = name;
    for (const change of selected) {
      if (!change.source || change.source !== current) continue;
      current = change.target ?? null;
      if (!current) break;
    }
    return current;
  };
  const builtin = ['libc', 'librt', 'libpthread', 'kernel'];
  const notFound: string[] = [];
  for (const name of Object.keys(installed)) {
    if (builtin.includes(name)) continue;
    const renamed = rename(name);
    if (renamed && !(renamed in remote)) notFound.push(renamed);
  }
  const additions = selected.filter((change) => !change.source).map((change) => change.target!);
  for (const name of additions) if (!(name in remote)) notFound.push(name);
  const packagesVersions: Record<string, string> = {};
  for (const name of ROUTER.topLevel) {
    const renamed = builtin.includes(name) ? null : rename(name);
    if (renamed && renamed in remote) packagesVersions[renamed] = remote[renamed]!;
  }
  for (const name of additions) if (name in remote) packagesVersions[name] = remote[name]!;
  return { version, versionCode: versionCodes.get(version)!, packagesVersions, notFound };
}

/** The table as fleetflash served it before: a removed package as `{target}` (which owut and auc read as "add it"). */
const asOldTable = (changes: Changes): Changes =>
  changes.map((change) =>
    change.target ? change : { target: change.source!, revision: change.revision, mandatory: change.mandatory! },
  );

// ---------------------------------------------------------------------------------------------

describe.skipIf(skip)('an upgrade from 22.03 to 23.05 across r20282, as each ASU client does it', () => {
  it('the fixture upstream has 22.03.5 (r20134) with kmod-nft-nat6, which 23.05.3 (r23809) lacks', () => {
    expect(installed['kmod-nft-nat6']).toBe('5.10.176-1');
    expect(FIXTURE.versionCodes['22.03.5']).toBe('r20134-5f15225c1e');
    expect(FIXTURE.packages['kmod-nft-nat6']!.versions).not.toHaveProperty('23.05.3');
  });

  it('overview.json and branches.json carry package_changes with the entries, fields and order of ASU', async () => {
    const overview = await document<{ branches: Record<string, { package_changes: Changes }> }>(
      '/json/v1/overview.json',
    );
    expect(overview.branches['22.03']!.package_changes).toEqual([
      { source: 'firewall', target: 'firewall4', revision: 18611 },
    ]);
    expect(overview.branches['23.05']!.package_changes).toEqual([
      { source: 'firewall', target: 'firewall4', revision: 18611 },
      { source: 'kmod-nft-nat6', revision: 20282, mandatory: true },
      { source: 'libustream-wolfssl', target: 'libustream-mbedtls', revision: 21994 },
      { source: 'px5g-wolfssl', target: 'px5g-mbedtls', revision: 21994 },
      { source: 'wpad-basic-wolfssl', target: 'wpad-basic-mbedtls', revision: 21994 },
    ]);
    const branches = await document<AucBranch[]>('/json/v1/branches.json');
    for (const branch of branches)
      expect(branch.package_changes).toEqual(overview.branches[branch.name]!.package_changes);
    expect(branches.map((branch) => [branch.name, branch.branch_off_rev])).toEqual([
      ['24.10', 27990],
      ['23.05', 23069],
      ['22.03', 19160],
    ]);
  });

  it('owut: drops kmod-nft-nat6, sends packages_versions and version_code, polls with HEAD, checks image', async () => {
    const plan = await owutPlan('23.05');
    expect(plan.missing).toEqual([]);
    expect(plan).toMatchObject({ version: '23.05.3', versionCode: 'r23809-234f1a2efa' });
    expect(Object.keys(plan.topLevel)).not.toContain('kmod-nft-nat6');
    // owut applies every change up to the target revision: firewall → firewall4 too.
    expect(Object.keys(plan.topLevel)).not.toContain('firewall');
    const first = await post(
      {
        client: 'owut/2025.05.12~8353c4e9-r1',
        target: ROUTER.release.target,
        profile: plan.profile,
        version: plan.version,
        version_code: plan.versionCode,
        filesystem: ROUTER.rootfs_type,
        diff_packages: true,
        packages_versions: plan.topLevel,
      },
      'owut/2025.05.12~8353c4e9-r1',
    );
    expect([200, 202], JSON.stringify(first.json)).toContain(first.status);
    const answer = await pollBuild(first, 'owut');
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    const done = answer.json;
    expect((done.request as { version_code: string }).version_code).toBe(plan.versionCode);
    expect(done.version_code).toBe(plan.versionCode);
    const image = (done.images as Image[]).find((i) => i.filesystem === ROUTER.rootfs_type && i.type === 'sysupgrade')!;
    await downloadImage(done.bin_dir as string, image);
    const manifest = done.manifest as Record<string, string>;
    for (const [name, version] of Object.entries(plan.topLevel)) expect(manifest[name], name).toBe(version);
    expect(manifest).not.toHaveProperty('kmod-nft-nat6');
  });

  it('auc: drops kmod-nft-nat6, sends packages_versions, no client (User-Agent auc/0.3.2-1), polls GET', async () => {
    const plan = await aucPlan('23.05');
    expect(plan.notFound).toEqual([]);
    expect(plan).toMatchObject({ version: '23.05.3', versionCode: 'r23809-234f1a2efa' });
    expect(plan.packagesVersions).not.toHaveProperty('kmod-nft-nat6');
    // auc takes only the changes after the running revision: firewall (r18611) stays, 23.05 still has it.
    expect(plan.packagesVersions).toHaveProperty('firewall');
    const first = await post(
      {
        version: plan.version,
        version_code: plan.versionCode,
        target: ROUTER.release.target,
        filesystem: ROUTER.rootfs_type,
        profile: ROUTER.board_name.replace(/,/g, '_'),
        diff_packages: true,
        packages_versions: plan.packagesVersions,
      },
      'auc/0.3.2-1',
    );
    expect([200, 202], JSON.stringify(first.json)).toContain(first.status);
    const answer = await pollBuild(first, 'auc');
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    const done = answer.json;
    expect((done.request as { client: unknown }).client).toBeNull();
    const image = (done.images as Image[]).find((i) => i.filesystem === ROUTER.rootfs_type && i.type === 'sysupgrade')!;
    await downloadImage(done.bin_dir as string, image);
    expect(done.manifest).toHaveProperty('firewall');
    expect(done.manifest).not.toHaveProperty('kmod-nft-nat6');
  });

  it(
    'LuCI: sends the installed top-level names unchanged (kmod-nft-nat6 too) with the board name; the server ' +
      'drops what was removed upstream and the answer shows it',
    async () => {
      // LuCI asks the legacy path, follows the redirect, and offers 23.05 as a newer branch (advanced mode).
      const legacy = await fetch(`${server}/api/overview`);
      expect(legacy.status).toBe(200);
      const overview = (await legacy.json()) as { latest: string[] };
      expect(overview.latest).toContain('23.05.3');
      const packages = [...ROUTER.topLevel].sort();
      const first = await post(
        {
          client: 'luci/git-23.093.57104-ce5a5c5',
          profile: ROUTER.board_name,
          target: ROUTER.release.target,
          version: '23.05.3',
          packages,
          diff_packages: true,
          filesystem: ROUTER.rootfs_type,
        },
        'Mozilla/5.0 (X11; Linux x86_64)',
      );
      expect([200, 202], JSON.stringify(first.json)).toContain(first.status);
      const answer = await pollBuild(first);
      expect(answer.status, JSON.stringify(answer.json)).toBe(200);
      const done = answer.json;
      const request = done.request as { packages: string[]; profile: string };
      expect(request.profile).toBe('tplink_archer-c7-v2');
      expect(request.packages).toEqual(packages.filter((name) => name !== 'kmod-nft-nat6'));
      const makeImage = (done.build_cmd as string[]).find((arg) => arg.startsWith('PACKAGES='))!;
      expect(makeImage.split(/[= ]/)).not.toContain('kmod-nft-nat6');
      expect(makeImage).toContain('firewall');
      const image = (done.images as Image[]).find(
        (i) => i.filesystem === ROUTER.rootfs_type && i.type === 'sysupgrade',
      )!;
      await downloadImage(done.bin_dir as string, image);
      expect(done.manifest).not.toHaveProperty('kmod-nft-nat6');
      expect(done.manifest).toHaveProperty('firewall');
    },
  );

  it('with the table as served before (kmod-nft-nat6 as a target), owut and auc refuse this upgrade', async () => {
    const owut = await owutPlan(
      '23.05',
      asOldTable([
        { source: 'firewall', target: 'firewall4', revision: 18611 },
        { source: 'kmod-nft-nat6', revision: 20282, mandatory: true },
      ]),
    );
    expect(owut.missing).toEqual(['kmod-nft-nat6']);
    const auc = await aucPlan('23.05', (branch) => asOldTable(branch.package_changes ?? []));
    expect(auc.notFound).toEqual(expect.arrayContaining(['kmod-nft-nat6']));
    // Forced (auc -f) with kmod-nft-nat6 pinned, the server refuses before queueing and says why.
    const forced = await post(
      {
        version: auc.version,
        version_code: auc.versionCode,
        target: ROUTER.release.target,
        profile: ROUTER.board_name.replace(/,/g, '_'),
        diff_packages: true,
        packages_versions: { ...auc.packagesVersions, 'kmod-nft-nat6': installed['kmod-nft-nat6']! },
      },
      'auc/0.3.2-1',
    );
    expect(forced.status).toBe(422);
    expect(forced.headers.get('x-unknown-package')).toBe('kmod-nft-nat6');
    expect(forced.json.detail).toContain('kmod-nft-nat6 was dropped at r20282');
  });
});

describe.skipIf(skip)("ASU's server-side package rules (build-package-rules.json) in a build", () => {
  it('drops -en translations before checking and building; request and build_cmd show it; one hash', async () => {
    const body = {
      client: 'luci/git-23.093.57104-ce5a5c5',
      profile: ROUTER.board_name,
      target: ROUTER.release.target,
      version: '23.05.3',
      packages: ['luci', 'luci-i18n-base-en', 'vim'],
      diff_packages: false,
    };
    const first = await post(body, 'Mozilla/5.0');
    expect([200, 202], JSON.stringify(first.json)).toContain(first.status);
    const hash = first.json.request_hash as string;
    const answer = await pollBuild(first);
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    expect((answer.json.request as { packages: string[] }).packages).toEqual(['luci', 'vim']);
    expect(answer.json.build_cmd as string[]).toContain('PACKAGES=luci vim');
    expect(answer.json.build_cmd_packages).toEqual(['luci', 'vim']);
    // The same list without the translation builds the same image: the same hash, served from the cache.
    const without = await post({ ...body, packages: ['luci', 'vim'] }, 'Mozilla/5.0');
    expect(without.status).toBe(200);
    expect(without.json.request_hash).toBe(hash);
  });

  it('on 24.10 mediatek: auc becomes owut, fitblk is added, the opkg language pack is renamed', async () => {
    const first = await post(
      {
        client: 'luci/git-23.093.57104-ce5a5c5',
        profile: 'glinet,gl-mt3000',
        target: 'mediatek/filogic',
        version: '24.10.0',
        packages: ['auc', 'luci', 'luci-i18n-opkg-de', 'luci-i18n-base-en'],
        diff_packages: false,
      },
      'Mozilla/5.0',
    );
    expect([200, 202], JSON.stringify(first.json)).toContain(first.status);
    const answer = await pollBuild(first);
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    // In ASU's order: auc leaves its place and owut comes after, additions last, renames in place.
    const built = ['luci', 'luci-i18n-package-manager-de', 'owut', 'fitblk'];
    expect((answer.json.request as { packages: string[] }).packages).toEqual(built);
    expect(answer.json.build_cmd as string[]).toContain(`PACKAGES=${built.join(' ')}`);
    expect(Object.keys(answer.json.manifest as object)).toEqual(expect.arrayContaining(built));
  });
});
