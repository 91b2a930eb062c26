import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startUpstreamFixture, type UpstreamFixture } from './helpers/asu-upstream.js';
import { buildWebUi, launchBrowser, logInPage, screenshotIfFailed } from './helpers/browser.js';
import { makeUser } from './helpers/factories.js';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';
import { MAKE, XZ, ZSTD, skipWithout } from './helpers/system-tools.js';

const skip = skipWithout(import.meta.url, [MAKE, ZSTD, XZ]);

/**
 * The custom-image form's "Embed the pull agent" choice in a real Chromium: the registration secret field
 * appears with the checkbox, a wrong secret is marked on that field, the right one requests images that embed
 * the agent (the audit entry says so; the build worker is not needed for that).
 */

let upstream: UpstreamFixture | undefined;
let ibDir: string;
let webDir: string;
let h: Harness;
let browser: Browser;
let page: Page;
let base: string;
let buildId: string;
let secret: string;

beforeAll(async () => {
  if (skip) return;
  [webDir, upstream] = await Promise.all([buildWebUi(), startUpstreamFixture()]);
  ibDir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-ib-'));
  chmodSync(ibDir, 0o755);
  h = await createHarness({
    FLEETFLASH_WEB_DIR: webDir,
    FLEETFLASH_IMAGEBUILDER_DIR: ibDir,
    FLEETFLASH_UPSTREAM_URL: upstream.url,
    FLEETFLASH_IMAGEBUILDER_SIGNING_KEY: upstream.publicKey,
  });
  await h.t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(h.t.app.server.address() as AddressInfo).port}`;
  const organization = await h.db
    .selectFrom('organizations')
    .selectAll()
    .where('id', '=', h.organizationId)
    .executeTakeFirstOrThrow();
  await makeUser(h.db, { username: 'ada', memberships: [{ organization, role: 'admin' }] });
  const build = await h.api.post('/api/v1/firmware/build/', {
    category: h.categoryId,
    version: '23.05.3',
    os: 'OpenWrt 23.05.3 r23809-234f1a2efa',
  });
  buildId = build.json().id;
  secret = (await h.api.post(`/api/v1/organizations/${h.organizationId}/registration-secret/`)).json().secret;
  browser = await launchBrowser();
}, 180_000);

afterEach((test) => screenshotIfFailed(test, page));

afterAll(async () => {
  await browser?.close();
  await h?.close();
  await upstream?.close();
  for (const dir of [webDir, ibDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(skip)('custom images that carry the pull agent, in the browser', () => {
  it('asks for the registration secret, marks a wrong one, and requests images with the agent', async () => {
    page = await logInPage(browser, base, 'ada');
    await page.goto(`${base}/firmware/builds/${buildId}`);
    const form = page.getByRole('form', { name: 'Build custom images' });
    await form.getByLabel('Models').fill('ath79/generic tplink_archer-c7-v2');
    const embed = form.getByLabel('Embed the pull agent (routers enroll themselves at first boot)');
    expect(await form.getByText('come back under management').count()).toBe(1);
    expect(await form.getByLabel('Registration secret').count()).toBe(0);
    await embed.check();
    await form.getByLabel('Registration secret').fill('ffr_not-the-secret');
    await form.getByRole('button', { name: 'Build custom images' }).click();
    await expect
      .poll(() => form.locator('.field.has-error').textContent())
      .toContain('not the current registration secret');

    await form.getByLabel('Registration secret').fill(secret);
    await form.getByRole('button', { name: 'Build custom images' }).click();
    await page.getByRole('status').getByText('One image build requested').waitFor();
    const [row] = (await h.api.get(`/api/v1/firmware/build/${buildId}/custom-images/`)).json().results;
    expect(row.profile).toBe('tplink_archer-c7-v2');
    const audit = await h.api.get(`/api/v1/audit-log/?target_type=custom_image&target_id=${row.id}`);
    expect(audit.json().results[0]).toMatchObject({ action: 'custom_image.requested', details: { embed_agent: true } });
    // The secret does not stay in the page once the request is made.
    expect(await form.getByLabel('Registration secret').inputValue()).toBe('');
    expect(await page.content()).not.toContain(secret);
  });
});
