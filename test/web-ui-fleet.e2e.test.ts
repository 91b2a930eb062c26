import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OrganizationRow } from '../src/modules/accounts/accounts.table.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { buildWebUi, launchBrowser, logInPage, screenshot, screenshotIfFailed } from './helpers/browser.js';
import { makeBuild, makeCategory, makeImageRow, makeOrganization, makeToken, makeUser } from './helpers/factories.js';
import { client, type ApiClient } from './helpers/http.js';

/**
 * The operator's everyday view of a fleet in a real Chromium: the device list found by part of its
 * firmware and model, sorted by a column, a page size chosen, all of it in the URL (a reload shows
 * the same list); a superuser switching to any organization; page titles; a new category going to
 * the organization looked at; builds and images showing how many images and devices they have.
 */

let t: TestApp;
let webDir: string;
let browser: Browser;
let page: Page;
let base: string;
let root: ApiClient;
let berlin: OrganizationRow;
let paris: OrganizationRow;
let loginTitle: string;

const OLD_OS = 'OpenWrt 22.03.5 r20134-5f15225c1e';
const NEW_OS = 'OpenWrt 23.05.2 r23630-842932a63d';
const LOCATIONS = ['Mitte', 'Kreuzberg', 'Pankow'];

beforeAll(async () => {
  webDir = await buildWebUi();
  t = await createTestApp({ FLEETFLASH_WEB_DIR: webDir });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  berlin = await makeOrganization(t.db, { name: 'Berlin Ops', slug: 'berlin' });
  paris = await makeOrganization(t.db, { name: 'Paris Ops', slug: 'paris' });
  // A superuser who belongs to no organization: before, the switcher offered only "All organizations".
  const superuser = await makeUser(t.db, { username: 'root', isSuperuser: true });
  root = client(t.app, await makeToken(t.db, superuser));
  for (let i = 1; i <= 30; i += 1) {
    const created = await root.post('/api/v1/devices/', {
      organization: berlin.id,
      name: `ber-${String(i).padStart(2, '0')}`,
      mac_address: `02:be:00:00:00:${i.toString(16).padStart(2, '0')}`,
      model: i % 2 ? 'TP-Link Archer C7 v2' : 'GL.iNet GL-MT3000',
      os: i % 3 ? NEW_OS : OLD_OS,
      location: LOCATIONS[i % 3]!,
    });
    expect(created.statusCode).toBe(201);
  }
  for (let i = 1; i <= 3; i += 1) {
    await root.post('/api/v1/devices/', {
      organization: paris.id,
      name: `par-${i}`,
      mac_address: `02:fa:00:00:00:0${i}`,
      model: 'TP-Link Archer C7 v2',
      os: NEW_OS,
    });
  }
  browser = await launchBrowser();
  page = await logInPage(browser, base, 'root', {
    onLoginPage: async (login: Page) => {
      loginTitle = await login.title();
    },
  });
}, 180_000);

afterEach((test) => screenshotIfFailed(test, page));

afterAll(async () => {
  await browser?.close();
  await t?.close();
  if (webDir) rmSync(webDir, { recursive: true, force: true });
});

/** The names in the device table, once it has settled. */
async function shownNames(): Promise<string[]> {
  await page.locator('.table-wrap[aria-busy="true"]').waitFor({ state: 'detached' });
  // The first column holds the selection checkboxes; the names come second.
  return page.locator('tbody tr td:nth-child(2)').allTextContents();
}

/** What the API answers for the same list: the names the page must show. */
async function expectedNames(query: string): Promise<string[]> {
  const answer = (await root.get(`/api/v1/devices/?${query}`)).json();
  return answer.results.map((device: { name: string }) => device.name);
}

describe('the device list as a fleet view', () => {
  it('finds firmware and model by a part, sorts by a column, pages by a chosen size, all kept in the URL', async () => {
    await page.getByRole('link', { name: 'Devices' }).click();
    await page.getByRole('heading', { name: 'Devices', exact: true }).waitFor();
    await expect.poll(() => page.title()).toBe('Devices · fleetflash');

    await page.getByLabel('Firmware', { exact: true }).fill('23.05.2');
    await page.getByLabel('Firmware', { exact: true }).press('Enter');
    await page.waitForURL((url) => url.searchParams.get('os') === '23.05.2');
    await page.getByLabel('Model', { exact: true }).fill('archer c7');
    await page.getByLabel('Model', { exact: true }).press('Enter');
    await page.waitForURL((url) => url.searchParams.get('model') === 'archer c7');
    // Odd numbers not divisible by 3 in Berlin (10), and Paris' three.
    await expect.poll(() => page.locator('.pagination').textContent()).toContain('13 in all');

    await page.getByRole('button', { name: 'Sort by Location' }).click();
    await page.waitForURL((url) => url.searchParams.get('ordering') === 'location');
    await page.getByRole('button', { name: 'Sort by Location, descending' }).click();
    await page.waitForURL((url) => url.searchParams.get('ordering') === '-location');
    const query = 'os=23.05.2&model=archer%20c7&ordering=-location&page_size=25';
    await expect.poll(shownNames).toEqual(await expectedNames(query));
    expect(await page.getByRole('columnheader', { name: /Location/ }).getAttribute('aria-sort')).toBe('descending');

    // Without filters, 33 devices: 25 a page by default, all of them at 50 a page.
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForURL((url) => !url.searchParams.has('os') && url.searchParams.get('ordering') === '-location');
    await expect.poll(async () => (await shownNames()).length).toBe(25);
    await page.getByLabel('Per page').selectOption('50');
    await page.waitForURL((url) => url.searchParams.get('page_size') === '50');
    await expect.poll(async () => (await shownNames()).length).toBe(33);

    await page.getByLabel('Model', { exact: true }).fill('MT3000');
    await page.getByLabel('Model', { exact: true }).press('Enter');
    await page.waitForURL((url) => url.searchParams.get('model') === 'MT3000');
    const before = await expectedNames('model=MT3000&ordering=-location&page_size=50');
    expect(before).toHaveLength(15);
    await expect.poll(shownNames).toEqual(before);
    await screenshot(page, 'devices-fleet-view');

    // A reload (or the link shared) shows the same list, filters and sort.
    const url = page.url();
    await page.reload();
    await page.getByRole('heading', { name: 'Devices', exact: true }).waitFor();
    expect(page.url()).toBe(url);
    await expect.poll(shownNames).toEqual(before);
    expect(await page.getByLabel('Model', { exact: true }).inputValue()).toBe('MT3000');
    expect(await page.getByLabel('Per page').inputValue()).toBe('50');
    expect(await page.getByRole('columnheader', { name: /Location/ }).getAttribute('aria-sort')).toBe('descending');

    // A link with a field the list cannot sort by says which ones it can.
    await page.goto(`${base}/devices?ordering=secret`);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('use name, mac_address, model');
  });
});

describe('small things that add up', () => {
  it('names each page in the browser tab', async () => {
    expect(loginTitle).toBe('Log in · fleetflash');
    await page.goto(`${base}/batches`);
    await expect.poll(() => page.title()).toBe('Mass upgrades · fleetflash');
    await page.goto(`${base}/tokens`);
    await expect.poll(() => page.title()).toBe('API tokens · fleetflash');
  });

  it("lets a superuser switch to any organization, and lists only that organization's devices", async () => {
    await page.goto(`${base}/devices`);
    const switcher = page.getByLabel('Organization', { exact: true });
    await expect
      .poll(async () => switcher.locator('option').allTextContents())
      .toEqual(['All organizations', 'Berlin Ops', 'Paris Ops']);
    await switcher.selectOption({ label: 'Paris Ops' });
    await expect.poll(shownNames).toEqual(['par-1', 'par-2', 'par-3']);
    await page.reload();
    expect(await page.getByLabel('Organization', { exact: true }).inputValue()).toBe('paris');
    await expect.poll(shownNames).toEqual(['par-1', 'par-2', 'par-3']);
  });

  it('creates a category in the organization looked at, not as shared', async () => {
    await page.getByLabel('Organization', { exact: true }).selectOption({ label: 'Berlin Ops' });
    await page.getByRole('link', { name: 'Firmware' }).click();
    await page.getByRole('heading', { name: 'Firmware', exact: true }).waitFor();
    await expect.poll(() => page.title()).toBe('Firmware · fleetflash');
    await page.getByRole('button', { name: 'New category' }).click();
    const form = page.getByRole('region', { name: 'New category' });
    await expect.poll(() => form.getByLabel('Organization').inputValue()).toBe(berlin.id);
    await form.getByLabel('Name').fill('Berlin APs');
    await page.getByRole('button', { name: 'Create category' }).click();
    await page.waitForURL(/\/firmware\/categories\//);
    await expect.poll(() => page.title()).toBe('Berlin APs · fleetflash');
    const category = await t.db
      .selectFrom('firmwareCategories')
      .select('organizationId')
      .where('name', '=', 'Berlin APs')
      .executeTakeFirstOrThrow();
    expect(category.organizationId).toBe(berlin.id);
  });

  it('shows how many images a build has and how many devices run it and each image', async () => {
    const category = await makeCategory(t.db, { organizationId: berlin.id, name: 'Counted' });
    const build = await makeBuild(t.db, { categoryId: category.id, version: '23.05.2', os: NEW_OS });
    const c7 = await makeImageRow(t.db, { buildId: build.id, type: 'ath79-c7-sysupgrade.bin' });
    await makeImageRow(t.db, { buildId: build.id, type: 'mediatek-mt3000-sysupgrade.bin' });
    const devices = await t.db.selectFrom('devices').select('id').where('organizationId', '=', berlin.id).execute();
    await t.db
      .insertInto('deviceFirmwares')
      .values(devices.slice(0, 3).map((device) => ({ deviceId: device.id, imageId: c7.id, installed: true })))
      .execute();

    await page.goto(`${base}/firmware/categories/${category.id}`);
    const row = page.locator('tbody tr', { hasText: '23.05.2' });
    await expect.poll(() => row.locator('td.numeric').allTextContents()).toEqual(['2', '3']);
    expect(await page.getByRole('columnheader', { name: 'Images' }).count()).toBe(1);
    await row.getByRole('link', { name: '23.05.2' }).click();
    await page.waitForURL(/\/firmware\/builds\//);
    await expect.poll(() => page.title()).toBe('Counted 23.05.2 · fleetflash');
    const images = page.locator('tbody tr[data-image-type]');
    await images.first().waitFor();
    expect(await page.locator('tr[data-image-type="ath79-c7-sysupgrade.bin"] td.numeric').textContent()).toBe('3');
    expect(await page.locator('tr[data-image-type="mediatek-mt3000-sysupgrade.bin"] td.numeric').textContent()).toBe(
      '0',
    );
    await screenshot(page, 'build-with-counts');
  });
});
