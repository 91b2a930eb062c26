import { chmodSync, createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackgroundWork } from '../src/composition.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { APK_VERSION, imagebuilderArchiveName, writeUpstreamMirror } from './helpers/asu-upstream.js';
import { MAKE, XZ, ZSTD, skipWithout } from './helpers/system-tools.js';

/**
 * docs/operations.md, "A local mirror": a folder laid out like downloads.openwrt.org, served by any
 * static file server, with image_builds.upstream_url (and signing_key) pointing at it. The folder is
 * written as plain files; the server below knows nothing of OpenWrt (paths to files, 404 otherwise),
 * as `python3 -m http.server` or `npx http-server` would serve them.
 */

const skip = skipWithout(import.meta.url, [MAKE, ZSTD, XZ]);

let mirrorDir: string;
let ibDir: string;
let server: http.Server;
let files: string[];
let t: TestApp;
let work: Awaited<ReturnType<typeof startBackgroundWork>>;
const served: string[] = [];

/** A plain static file server: GET/HEAD of a file under `root`, with its length and mtime; 404 for the rest. */
function serveStatic(root: string): http.Server {
  return http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://mirror').pathname);
    served.push(pathname);
    const file = path.join(root, path.normalize(pathname));
    if (!file.startsWith(`${root}${path.sep}`)) return void res.writeHead(404).end();
    stat(file).then(
      (info) => {
        if (!info.isFile()) return void res.writeHead(404).end();
        res.writeHead(200, { 'content-length': info.size, 'last-modified': info.mtime.toUTCString() });
        if (req.method === 'HEAD') return void res.end();
        createReadStream(file).pipe(res);
      },
      () => void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n'),
    );
  });
}

beforeAll(async () => {
  if (skip) return;
  mirrorDir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-mirror-'));
  ibDir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-ib-'));
  chmodSync(ibDir, 0o755);
  const mirror = await writeUpstreamMirror(mirrorDir, { apk: true });
  files = mirror.files;
  // 23.05 as on the download server: the feed's index.json is v1 (names with their ABI suffix) and an opkg
  // Packages file lies beside it. Here the packages feed names vim "vim20240101" (ABIVersion 20240101).
  const feed = path.join(mirrorDir, 'releases', '23.05.3', 'packages', 'mips_24kc', 'packages');
  const v2 = JSON.parse(await readFile(path.join(feed, 'index.json'), 'utf8')) as { packages: Record<string, string> };
  const { vim, ...others } = v2.packages;
  const v1 = { ...others, vim20240101: vim! };
  await writeFile(path.join(feed, 'index.json'), JSON.stringify({ architecture: 'mips_24kc', packages: v1 }));
  await writeFile(
    path.join(feed, 'Packages'),
    Object.entries(v1)
      .map(([name, version]) =>
        name === 'vim20240101'
          ? `Package: ${name}\nVersion: ${version}\nABIVersion: 20240101\nArchitecture: mips_24kc\n`
          : `Package: ${name}\nVersion: ${version}\nArchitecture: mips_24kc\n`,
      )
      .join('\n'),
  );
  server = serveStatic(mirrorDir);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  // The settings docs/operations.md names: the mirror's URL and the key that signed its sha256sums.
  t = await createTestApp({
    FLEETFLASH_UPSTREAM_URL: `http://127.0.0.1:${port}`,
    FLEETFLASH_IMAGEBUILDER_SIGNING_KEY: mirror.publicKey,
    FLEETFLASH_IMAGEBUILDER_DIR: ibDir,
  });
  work = await startBackgroundWork(t.resources, { tasks: false, upgrades: false, builds: true });
});

afterAll(async () => {
  await work?.stop();
  await t?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  for (const dir of [mirrorDir, ibDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

async function waitForBuild(hash: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const answer = await t.app.inject({ method: 'GET', url: `/api/v1/build/${hash}` });
    if (answer.statusCode !== 202) return { status: answer.statusCode, json: answer.json() };
    if (Date.now() > deadline) throw new Error(`build ${hash} still running`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(skip)('a local mirror folder served by a plain static file server', () => {
  it('holds the files the operations guide lists, for an opkg-era and an apk-era release', () => {
    for (const file of [
      '/.versions.json',
      '/releases/23.05.3/.targets.json',
      '/releases/23.05.3/targets/ath79/generic/profiles.json',
      '/releases/23.05.3/targets/ath79/generic/sha256sums',
      '/releases/23.05.3/targets/ath79/generic/sha256sums.sig',
      '/releases/23.05.3/targets/ath79/generic/openwrt-imagebuilder-23.05.3-ath79-generic.Linux-x86_64.tar.xz',
      '/releases/23.05.3/targets/ath79/generic/packages/index.json',
      '/releases/23.05.3/packages/mips_24kc/base/index.json',
      '/releases/23.05.3/packages/mips_24kc/luci/index.json',
      '/releases/23.05.3/packages/mips_24kc/packages/index.json',
      `/releases/${APK_VERSION}/targets/ath79/generic/${imagebuilderArchiveName(APK_VERSION, 'ath79/generic')}`,
      `/releases/${APK_VERSION}/targets/ath79/generic/kmods/6.12.57-1-f00dcafe/index.json`,
    ])
      expect(files).toContain(file);
  });

  it('builds an opkg-era and an apk-era image through fleetflash, the images download from /store', async () => {
    for (const version of ['23.05.3', APK_VERSION]) {
      const answer = await t.app.inject({
        method: 'POST',
        url: '/api/v1/build',
        payload: { version, target: 'ath79/generic', profile: 'tplink,archer-c7-v2', packages: ['luci'] },
      });
      expect(answer.statusCode, answer.body).toBeLessThan(300);
      const done = await waitForBuild(answer.json().request_hash);
      expect(done.status, JSON.stringify(done.json)).toBe(200);
      const image = (done.json.images as { name: string; type: string }[]).find((item) => item.type === 'sysupgrade')!;
      const download = await t.app.inject({ method: 'GET', url: `/store/${done.json.bin_dir}/${image.name}` });
      expect(download.statusCode).toBe(200);
      expect(download.rawPayload.length).toBeGreaterThan(4096);
    }
    // A v1 index.json is not taken at its word: vim is known from the Packages file, without its ABI suffix.
    const vim = await t.app.inject({
      method: 'POST',
      url: '/api/v1/build',
      payload: { version: '23.05.3', target: 'ath79/generic', profile: '8dev_carambola2', packages: ['vim'] },
    });
    expect(vim.statusCode, vim.body).toBeLessThan(300);
    expect((await waitForBuild(vim.json().request_hash)).json.manifest).toMatchObject({ vim: '9.0-3' });
    expect(served).toContain('/releases/23.05.3/packages/mips_24kc/packages/Packages');
    // Everything came from the folder: the signed checksums, then each archive once.
    expect(served).toContain('/releases/23.05.3/targets/ath79/generic/sha256sums.sig');
    expect(
      served.filter((item) => item.endsWith(`openwrt-imagebuilder-${APK_VERSION}-ath79-generic.Linux-x86_64.tar.zst`)),
    ).toHaveLength(1);
  });
});
