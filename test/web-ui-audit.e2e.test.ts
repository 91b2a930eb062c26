import { readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { buildWebUi, launchBrowser, logInPage, screenshotIfFailed } from './helpers/browser.js';
import { makeOrganization, makeUser } from './helpers/factories.js';

/**
 * The audit log in a real Chromium: an organization admin logs in and makes a change in the UI,
 * then finds it on the Audit log page with filters kept in the URL, and downloads it with the
 * "Export CSV" link of the same filters. An operator is not offered the page.
 */

let t: TestApp;
let webDir: string;
let browser: Browser;
let page: Page;
let base: string;

beforeAll(async () => {
  webDir = await buildWebUi();
  t = await createTestApp({ FLEETFLASH_WEB_DIR: webDir });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const berlin = await makeOrganization(t.db, { name: 'Berlin Ops', slug: 'berlin' });
  await makeUser(t.db, { username: 'ada', memberships: [{ organization: berlin, role: 'admin' }] });
  await makeUser(t.db, { username: 'otto', memberships: [{ organization: berlin, role: 'operator' }] });
  browser = await launchBrowser();
}, 180_000);

afterEach((test) => screenshotIfFailed(test, page));

afterAll(async () => {
  await browser?.close();
  await t?.close();
  if (webDir) rmSync(webDir, { recursive: true, force: true });
});

function logIn(username: string): Promise<Page> {
  return logInPage(browser, base, username);
}

/** The main navigation (the dashboard links to pages by the same names). */
function nav(of: Page) {
  return of.getByRole('navigation', { name: 'Main' });
}

describe('the audit log page', () => {
  it('finds a change made in the UI by its filters, kept in the URL, and exports it as CSV', async () => {
    page = await logIn('ada');
    await nav(page).getByRole('link', { name: 'Firmware' }).click();
    await page.getByRole('button', { name: 'New category' }).click();
    await page.getByRole('region', { name: 'New category' }).getByLabel('Name').fill('Audited APs');
    await page.getByRole('button', { name: 'Create category' }).click();
    await page.waitForURL(/\/firmware\/categories\//);

    await nav(page).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log', exact: true }).waitFor();
    await expect.poll(() => page.title()).toBe('Audit log · fleetflash');
    await page.getByLabel('User').fill('ada');
    await page.getByLabel('Action').selectOption({ label: 'category: all' });
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL((url) => url.searchParams.get('action') === 'category.');
    expect(new URL(page.url()).searchParams.get('actor')).toBe('ada');

    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    const row = rows.first();
    expect(await row.getAttribute('data-action')).toBe('category.created');
    expect(await row.textContent()).toContain('created a category');
    expect(await row.getByRole('link', { name: 'Audited APs' }).getAttribute('href')).toMatch(
      /^\/firmware\/categories\//,
    );

    // A reload shows the same filtered list: the filters live in the URL.
    await page.reload();
    await expect.poll(() => page.getByLabel('User').inputValue()).toBe('ada');
    await expect.poll(() => rows.count()).toBe(1);

    // Export CSV carries the same filters and downloads the entry.
    const link = page.getByRole('link', { name: 'Export CSV' });
    const href = new URL((await link.getAttribute('href'))!, base);
    expect(Object.fromEntries(href.searchParams)).toMatchObject({ actor: 'ada', action: 'category.', format: 'csv' });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^fleetflash-audit-log-.*\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^\uFEFF"id","at","actor_type",/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('category.created');
    expect(lines[1]).toContain('Audited APs');
    expect(lines[1]).toContain(',"ada","session",');
  });

  it('is not offered to an operator', async () => {
    const operator = await logIn('otto');
    await nav(operator).getByRole('link', { name: 'Devices' }).waitFor();
    expect(await nav(operator).getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    await operator.context().close();
  });
});
