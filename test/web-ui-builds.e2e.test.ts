import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BackgroundWork, startBackgroundWork } from '../src/composition.js';
import { startUpstreamFixture, type UpstreamFixture } from './helpers/asu-upstream.js';
import { buildWebUi, launchBrowser, screenshot, screenshotIfFailed } from './helpers/browser.js';
import { makeUser, TEST_PASSWORD } from './helpers/factories.js';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';
import { MAKE, XZ, ZSTD, skipWithout } from './helpers/system-tools.js';

const skip = skipWithout('web-ui-builds.e2e.test.ts, custom builds', [MAKE, ZSTD, XZ]);

/** Custom image builds and API tokens in a real Chromium, against the fixture upstream. */

let upstream: UpstreamFixture | undefined;
let ibDir: string;
let webDir: string;
let h: Harness;
let builds: BackgroundWork;
let browser: Browser;
let page: Page;
let base: string;

beforeAll(async () => {
  // Without make and zstd only the custom builds are skipped: the token tests need no upstream.
  [webDir, upstream] = await Promise.all([buildWebUi(), skip ? undefined : startUpstreamFixture()]);
  ibDir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-ib-'));
  chmodSync(ibDir, 0o755);
  h = await createHarness({
    FLEETFLASH_WEB_DIR: webDir,
    FLEETFLASH_IMAGEBUILDER_DIR: ibDir,
    ...(upstream
      ? { FLEETFLASH_UPSTREAM_URL: upstream.url, FLEETFLASH_IMAGEBUILDER_SIGNING_KEY: upstream.publicKey }
      : {}),
  });
  builds = await startBackgroundWork(h.t.resources, { tasks: false, upgrades: false, builds: true });
  await h.t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(h.t.app.server.address() as AddressInfo).port}`;
  const organization = await h.db
    .selectFrom('organizations')
    .selectAll()
    .where('id', '=', h.organizationId)
    .executeTakeFirstOrThrow();
  await makeUser(h.db, { username: 'bob', memberships: [{ organization, role: 'admin' }] });
  await h.api.post('/api/v1/firmware/build/', {
    category: h.categoryId,
    version: '23.05.3',
    os: 'OpenWrt 23.05.3 r23809-234f1a2efa',
  });
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel('Username').fill('bob');
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
}, 180_000);

afterEach((test) => screenshotIfFailed(test, page));

afterAll(async () => {
  await browser?.close();
  await builds?.stop();
  await h?.close();
  await upstream?.close();
  for (const dir of [webDir, ibDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(skip)('custom builds in the browser', () => {
  it(
    'picks a model by name, adds a package, builds, offers the download and attaches the image to a firmware ' +
      'build',
    async () => {
      await page.getByRole('link', { name: 'Custom builds' }).click();
      await page.getByLabel('Version').selectOption('23.05.3');
      await page.getByLabel('Target').selectOption('ath79/generic');
      await page.getByLabel('Model', { exact: true }).fill('Archer C7');
      await page.getByRole('radio', { name: /tplink_archer-c7-v2/ }).check();
      await page.getByLabel('Add package').fill('vim');
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await page.getByRole('button', { name: 'Request build' }).click();
      const download = page.getByRole('link', { name: /tplink_archer-c7-v2-squashfs-sysupgrade\.bin$/ });
      await download.waitFor({ timeout: 30_000 });
      const href = (await download.getAttribute('href'))!;
      expect((await page.request.get(`${base}${href}`)).status()).toBe(200);
      await screenshot(page, 'custom-build');
      await page.getByLabel('Firmware build').selectOption({ index: 1 });
      await page.getByRole('button', { name: 'Attach', exact: true }).click();
      await page
        .getByText(/attached/i)
        .first()
        .waitFor({ timeout: 30_000 });
      const attached = await h.db.selectFrom('firmwareCustomImages').select(['status', 'profile']).execute();
      expect(attached).toEqual([{ status: 'attached', profile: 'tplink_archer-c7-v2' }]);
    },
  );
});

describe('API tokens in the browser', () => {
  it('creates a token shown once, which then works, and revokes it', async () => {
    await page.getByRole('link', { name: 'API tokens' }).click();
    await page.getByLabel('Name').fill('monitoring');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = (await page.locator('.secret').textContent())!.trim();
    expect(secret.length).toBeGreaterThan(20);
    const ok = await fetch(`${base}/api/v1/auth/me`, { headers: { authorization: `Bearer ${secret}` } });
    expect(ok.status).toBe(200);
    await screenshot(page, 'tokens');
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Revoke' }).first().click();
    await page.getByRole('button', { name: 'Yes, revoke' }).click();
    await expect
      .poll(
        async () => (await fetch(`${base}/api/v1/auth/me`, { headers: { authorization: `Bearer ${secret}` } })).status,
      )
      .toBe(401);
  });
});
