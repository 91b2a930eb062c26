import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OrganizationRow } from '../src/modules/accounts/accounts.table.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { buildWebUi, launchBrowser, logInPage, screenshot, screenshotIfFailed } from './helpers/browser.js';
import { makeBuild, makeCategory, makeImageRow, makeOrganization, makeUser } from './helpers/factories.js';

/**
 * Health checks in a real Chromium: an admin creates a check with two probes on its page, changes it, and
 * launches a mass upgrade that runs it; a single upgrade's form offers only its device's organization's checks
 * (no worker runs: what is under test is what the pages send; test/web-ui.e2e.test.ts runs a chosen check).
 */

let t: TestApp;
let webDir: string;
let browser: Browser;
let page: Page;
let base: string;
let org: OrganizationRow;

beforeAll(async () => {
  webDir = await buildWebUi();
  t = await createTestApp({ FLEETFLASH_WEB_DIR: webDir });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  org = await makeOrganization(t.db, { name: 'Berlin Ops', slug: 'berlin-ops' });
  await makeUser(t.db, { username: 'ops', memberships: [{ organization: org, role: 'admin' }] });
  await t.db
    .insertInto('credentials')
    .values({ organizationId: org.id, name: 'default', username: 'root', passwordEncrypted: 'x', isDefault: true })
    .execute();
  browser = await launchBrowser();
  page = await logInPage(browser, base, 'ops', { viewport: { width: 1280, height: 900 } });
}, 180_000);

afterEach((test) => screenshotIfFailed(test, page));

afterAll(async () => {
  await browser?.close();
  await t?.close();
  if (webDir) rmSync(webDir, { recursive: true, force: true });
});

describe('health checks in the web UI', () => {
  it("creates and changes a check, makes it a category's default, and launches a mass upgrade with it", async () => {
    await page.getByRole('link', { name: 'Health checks' }).click();
    await page.getByRole('heading', { name: 'New health check for Berlin Ops' }).waitFor();
    await page.getByText('No health checks: upgrades end at proof of boot').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Router works');
    // The first probe is the documented WAN example; add a second.
    await page.getByRole('button', { name: 'Add a probe' }).click();
    const second = page.getByRole('group', { name: 'Probe 2' });
    await second.getByLabel('Probe name').fill('dnsmasq runs');
    await second.getByLabel('Command').fill('pidof dnsmasq');
    await page.getByRole('button', { name: 'Create health check' }).click();
    await page.getByText('Created health check “Router works”.').waitFor();
    const row = page.locator('tr[data-health-check="Router works"]');
    await row.waitFor();
    expect(await row.textContent()).toContain(`WAN up: ubus call network.interface.wan status | grep -q '"up": true'`);
    expect(await row.textContent()).toContain('dnsmasq runs: pidof dnsmasq (5 s)');
    await screenshot(page, 'health-checks');

    await row.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('region', { name: 'Change health check “Router works”' });
    await edit.getByRole('group', { name: 'Probe 2' }).getByLabel('Timeout (s)').fill('20');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.waitFor({ state: 'detached' });
    await expect.poll(async () => row.textContent()).toContain('dnsmasq runs: pidof dnsmasq (20 s)');
    const [check] = await t.db.selectFrom('healthChecks').selectAll().where('organizationId', '=', org.id).execute();
    expect(check!.probes).toEqual([
      { name: 'WAN up', command: `ubus call network.interface.wan status | grep -q '"up": true'`, timeout_seconds: 10 },
      { name: 'dnsmasq runs', command: 'pidof dnsmasq', timeout_seconds: 20 },
    ]);

    // A build, an image and a device of its board running the category: a mass upgrade to launch.
    const category = await makeCategory(t.db, { organizationId: org.id, name: 'Routers' });
    const old = await makeBuild(t.db, { categoryId: category.id, version: '22.03.5', os: 'OpenWrt 22.03.5 r1-a' });
    const oldImage = await makeImageRow(t.db, { buildId: old.id });
    const build = await makeBuild(t.db, { categoryId: category.id, version: '23.05.3', os: 'OpenWrt 23.05.3 r2-b' });
    await makeImageRow(t.db, { buildId: build.id });
    const device = await t.db
      .insertInto('devices')
      .values({
        organizationId: org.id,
        name: 'c7-1',
        macAddress: `02:${randomBytes(5).toString('hex').match(/../g)!.join(':')}`,
        boardName: 'tplink,archer-c7-v2',
        model: 'TP-Link Archer C7 v2',
        os: 'OpenWrt 22.03.5 r1-a',
        managementIp: '192.0.2.10',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('deviceFirmwares')
      .values({ deviceId: device.id, imageId: oldImage.id, installed: true })
      .execute();

    // The category's default, chosen on its page.
    await page.goto(`${base}/firmware/categories/${category.id}`);
    await page.getByTestId('category-health-check').waitFor();
    expect(await page.getByTestId('category-health-check').textContent()).toBe('None');
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await page.getByLabel('Default health check').selectOption({ label: 'Router works' });
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(async () => page.getByTestId('category-health-check').textContent()).toBe('Router works');
    const saved = await t.db.selectFrom('firmwareCategories').select('healthCheckId').where('id', '=', category.id);
    expect((await saved.executeTakeFirstOrThrow()).healthCheckId).toBe(check!.id);

    await page.goto(`${base}/firmware/builds/${build.id}/upgrade`);
    await page.getByText(/^1 device to upgrade/).waitFor();
    const choice = page.getByLabel('Health check');
    await expect
      .poll(async () => (await choice.locator('option').allTextContents()).join('|'))
      .toBe("The category's default|None|Router works (2 probes)");
    await choice.selectOption({ label: 'Router works (2 probes)' });
    await page.getByRole('button', { name: 'Launch mass upgrade' }).click();
    await page.waitForURL(/\/batches\/[0-9a-f-]+$/);
    const batch = await t.db
      .selectFrom('batchUpgradeOperations')
      .selectAll()
      .where('buildId', '=', build.id)
      .executeTakeFirstOrThrow();
    expect(batch.healthCheck).toMatchObject({ id: check!.id, name: 'Router works' });
    const operation = await t.db
      .selectFrom('upgradeOperations')
      .selectAll()
      .where('batchId', '=', batch.id)
      .executeTakeFirstOrThrow();
    expect(operation.healthCheck).toMatchObject({ id: check!.id, probes: check!.probes });
    await page.goto(`${base}/operations/${operation.id}`);
    const shown = page.getByTestId('operation-health-check');
    await shown.waitFor();
    expect(await shown.textContent()).toBe('Router works: WAN up, dnsmasq runs');
  });

  it("offers a single upgrade only the checks of its device's organization, and sends the choice", async () => {
    const other = await makeOrganization(t.db, { name: 'Munich Ops', slug: 'munich-ops' });
    for (const [organizationId, name] of [
      [org.id, 'Berlin gateway'],
      [other.id, 'Munich gateway'],
    ] as const)
      await t.db
        .insertInto('healthChecks')
        .values({
          organizationId,
          name,
          probes: JSON.stringify([{ name: 'gateway answers', command: 'ping -c 1 192.0.2.1', timeout_seconds: 5 }]),
        })
        .execute();
    const category = await makeCategory(t.db, { organizationId: org.id, name: 'Gateways' });
    const build = await makeBuild(t.db, { categoryId: category.id, version: '23.05.4', os: 'OpenWrt 23.05.4 r3-c' });
    const image = await makeImageRow(t.db, { buildId: build.id });
    const device = await t.db
      .insertInto('devices')
      .values({
        organizationId: org.id,
        name: 'gw-single',
        macAddress: `02:${randomBytes(5).toString('hex').match(/../g)!.join(':')}`,
        boardName: 'tplink,archer-c7-v2',
        managementIp: '192.0.2.11',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    // A superuser sees every organization's checks: the form still offers only the device's.
    await makeUser(t.db, { username: 'root-ui', isSuperuser: true });
    const root = await logInPage(browser, base, 'root-ui');
    try {
      await root.goto(`${base}/devices/${device.id}`);
      await root.getByRole('tab', { name: 'Firmware' }).click();
      await root.getByLabel('Image').selectOption(image.id);
      const choice = root.getByLabel('Health check');
      await expect
        .poll(async () => (await choice.locator('option').allTextContents()).join('|'))
        .toMatch(/^The category's default\|None\|(.+ \(\d probes?\)\|)*Berlin gateway \(1 probe\)/);
      expect(await choice.locator('option').allTextContents()).not.toContain('Munich gateway (1 probe)');
      await choice.selectOption({ label: 'None' });
      await root.getByRole('button', { name: 'Upgrade', exact: true }).click();
      const confirmation = root.getByRole('group', { name: 'Confirm the upgrade' });
      expect(await confirmation.getByTestId('upgrade-health-check').textContent()).toBe('None');
      await confirmation.getByRole('button', { name: 'Start the upgrade' }).click();
      await root.waitForURL(/\/operations\//);
      const shown = root.getByTestId('operation-health-check');
      await shown.waitFor();
      expect(await shown.textContent()).toBe('none');
      const operation = await t.db
        .selectFrom('upgradeOperations')
        .select('healthCheck')
        .where('deviceId', '=', device.id)
        .executeTakeFirstOrThrow();
      expect(operation.healthCheck).toBeNull();
    } finally {
      await root.close();
    }
  });
});
