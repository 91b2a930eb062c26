import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeOrganization, makeToken, makeUser } from './helpers/factories.js';

let t: TestApp;
let webDir: string;
const INDEX =
  '<!doctype html><html><body><div id="root"></div><script type="module" ' +
  'src="/assets/app-1234.js"></script></body></html>';

beforeAll(async () => {
  webDir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-web-test-'));
  mkdirSync(path.join(webDir, 'assets'));
  writeFileSync(path.join(webDir, 'index.html'), INDEX);
  writeFileSync(path.join(webDir, 'assets', 'app-1234.js'), 'console.log("ui")');
  // What the build writes beside each file (web/vite.config.ts), and a source map that must stay private.
  writeFileSync(path.join(webDir, 'assets', 'app-1234.js.br'), brotliCompressSync('console.log("ui")'));
  writeFileSync(path.join(webDir, 'assets', 'app-1234.js.gz'), gzipSync('console.log("ui")'));
  writeFileSync(path.join(webDir, 'assets', 'app-1234.js.map'), '{"version":3,"sources":["secret.tsx"]}');
  t = await createTestApp({ FLEETFLASH_WEB_DIR: webDir });
});

afterAll(async () => {
  await t?.close();
  rmSync(webDir, { recursive: true, force: true });
});

describe('serving the web UI', () => {
  it('answers the UI at / and at its own routes, without a login, and never caches index.html', async () => {
    for (const url of ['/', '/batches/123', '/devices?page=2', '/firmware/builds/abc/upgrade']) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.body).toBe(INDEX);
    }
  });

  it('serves hashed assets publicly, cached for long', async () => {
    const asset = await t.app.inject({ method: 'GET', url: '/assets/app-1234.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toContain('console.log');
    expect(asset.headers['cache-control']).toContain('immutable');
  });

  it("sends the UI's files brotli- or gzip-compressed to browsers that accept it", async () => {
    const brotli = await t.app.inject({
      method: 'GET',
      url: '/assets/app-1234.js',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(brotli.statusCode).toBe(200);
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(brotli.rawPayload).toString()).toBe('console.log("ui")');
    expect(brotli.headers['content-type']).toContain('javascript');
    expect(brotli.headers.vary).toContain('accept-encoding');
    const gzip = await t.app.inject({
      method: 'GET',
      url: '/assets/app-1234.js',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.rawPayload).toString()).toBe('console.log("ui")');
    const plain = await t.app.inject({
      method: 'GET',
      url: '/assets/app-1234.js',
      headers: { 'accept-encoding': 'identity' },
    });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe('console.log("ui")');
  });

  it('never serves a source map, nor index.html in place of a missing asset', async () => {
    for (const url of ['/assets/app-1234.js.map', '/assets/missing-5678.js', '/assets/missing-5678.js.map']) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.body, url).not.toContain('secret.tsx');
      expect(response.headers['content-type'], url).toContain('application/json');
    }
  });

  it('keeps API misses JSON 404s, and the API behind its login', async () => {
    for (const url of ['/api/v1/nothing-here/', '/json/v1/nothing', '/store/x/y']) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type'], url).toContain('application/json');
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/devices/' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/somewhere' })).statusCode).toBe(404);
  });
});

describe('devices summary (dashboard)', () => {
  it("counts the devices of the caller's organizations per firmware and per model", async () => {
    const mine = await makeOrganization(t.db);
    const other = await makeOrganization(t.db);
    const devices = [
      { organizationId: mine.id, os: 'OpenWrt 23.05.3', model: 'A' },
      { organizationId: mine.id, os: 'OpenWrt 23.05.3', model: 'B' },
      { organizationId: mine.id, os: 'OpenWrt 23.05.2', model: 'A' },
      { organizationId: other.id, os: 'OpenWrt 22.03.7', model: 'C' },
    ];
    for (const [index, device] of devices.entries()) {
      await t.db
        .insertInto('devices')
        .values({ ...device, name: `d${index}`, macAddress: `02:00:00:00:00:0${index}` })
        .execute();
    }
    const token = await makeToken(
      t.db,
      await makeUser(t.db, { memberships: [{ organization: mine, role: 'operator' }] }),
    );
    const summary = (
      await t.app.inject({ method: 'GET', url: '/api/v1/devices/summary/', headers: { authorization: token } })
    ).json();
    expect(summary.total).toBe(3);
    expect(summary.by_firmware).toEqual([
      { os: 'OpenWrt 23.05.3', count: 2 },
      { os: 'OpenWrt 23.05.2', count: 1 },
    ]);
    expect(summary.by_model).toEqual([
      { model: 'A', count: 2 },
      { model: 'B', count: 1 },
    ]);
  });
});
