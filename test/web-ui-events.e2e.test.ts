import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebUi, launchBrowser } from './helpers/browser.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeOrganization, makeUser, TEST_PASSWORD } from './helpers/factories.js';

/**
 * The UI's live events when the server ends the stream because access was taken away: the page
 * does not sit there silently, it notices the session is gone and asks for a login.
 */

let t: TestApp;
let webDir: string;
let browser: Browser;
let base: string;

beforeAll(async () => {
  webDir = await buildWebUi();
  t = await createTestApp({ FLEETFLASH_WEB_DIR: webDir });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
  if (webDir) rmSync(webDir, { recursive: true, force: true });
});

describe('live events in the web UI', () => {
  it('goes to the login page when the server ends the stream because the session ended elsewhere', async () => {
    const organization = await makeOrganization(t.db);
    const user = await makeUser(t.db, { memberships: [{ organization, role: 'admin' }] });
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      const streamOpened = page.waitForResponse(
        (response) => response.url().includes('/api/v1/events/') && response.status() === 200,
      );
      await page.goto(`${base}/login`);
      await page.getByLabel('Username').fill(user.username);
      await page.getByLabel('Password').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(`${base}/`);
      await streamOpened;
      // The session ends without this page taking part (another tab logged out, an admin acted).
      await t.db.deleteFrom('sessions').where('userId', '=', user.id).execute();
      await page.waitForURL((url) => url.pathname === '/login', { timeout: 10_000 });
      await page.getByLabel('Username').waitFor();
      expect(new URL(page.url()).pathname).toBe('/login');
    } finally {
      await context.close();
    }
  });
});
