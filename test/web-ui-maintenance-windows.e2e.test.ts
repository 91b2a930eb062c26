import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OrganizationRow } from '../src/modules/accounts/accounts.table.js';
import { evaluateBatch } from '../src/modules/upgrades/batch-controller.js';
import { normalizeRollout } from '../src/modules/upgrades/rollout-policy.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { buildWebUi, launchBrowser, logInPage, screenshot, screenshotIfFailed } from './helpers/browser.js';
import { makeBuild, makeCategory, makeImageRow, makeOrganization, makeUser } from './helpers/factories.js';

/**
 * Maintenance windows in a real Chromium: an admin creates a window on its page; a mass upgrade whose
 * devices wait for it says how many wait on its page, and an upgrade's page says when the window opens.
 * The waiting operations are seeded as rows (no worker runs; test/upgrade-windows.e2e.test.ts runs them).
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
  browser = await launchBrowser();
  page = await logInPage(browser, base, 'ops', { viewport: { width: 1280, height: 900 } });
}, 180_000);

afterEach((test) => screenshotIfFailed(test, page));

afterAll(async () => {
  await browser?.close();
  await t?.close();
  if (webDir) rmSync(webDir, { recursive: true, force: true });
});

/** A mass upgrade of three devices: one done, two waiting for the window until it opens. */
async function batchWaitingFor(windowId: string): Promise<{ batchId: string; waitingId: string }> {
  const build = await makeBuild(t.db, { categoryId: (await makeCategory(t.db, { organizationId: org.id })).id });
  const image = await makeImageRow(t.db, { buildId: build.id });
  const batch = await t.db
    .insertInto('batchUpgradeOperations')
    .values({
      buildId: build.id,
      buildVersion: build.version,
      organizationId: org.id,
      status: 'in-progress',
      rollout: JSON.stringify(normalizeRollout({}, { maxConcurrent: 10 })),
      stageSizes: [3],
      maxConcurrent: 10,
      startedAt: new Date(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const ids: string[] = [];
  for (const [index, waiting] of [false, true, true].entries()) {
    const device = await t.db
      .insertInto('devices')
      .values({
        organizationId: org.id,
        name: `branch-${index + 1}`,
        macAddress: `02:${randomBytes(5).toString('hex').match(/../g)!.join(':')}`,
        groupName: 'night-shift',
        managementIp: '192.0.2.10',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const operation = await t.db
      .insertInto('upgradeOperations')
      .values({
        deviceId: device.id,
        imageId: image.id,
        imageSha256: image.sha256,
        batchId: batch.id,
        status: waiting ? 'pending' : 'success',
        progress: waiting ? 0 : 100,
        nextAttemptAt: new Date(Date.now() + 86_400_000),
        finishedAt: waiting ? null : new Date(),
        ...(waiting ? { waitingWindowId: windowId, windowOpensAt: new Date('2026-12-04T00:00:00Z') } : {}),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (waiting) ids.push(operation.id);
  }
  await evaluateBatch(t.db, batch.id);
  return { batchId: batch.id, waitingId: ids[0]! };
}

describe('maintenance windows in the web UI', () => {
  it('creates a window; the batch page counts upgrades waiting for it, its upgrade page the opening', async () => {
    await page.getByRole('link', { name: 'Maintenance windows' }).click();
    await page.getByRole('heading', { name: 'New maintenance window for Berlin Ops' }).waitFor();
    await page.getByText('No maintenance windows: devices upgrade at any hour').waitFor();
    await page.getByLabel('Name').fill('Night');
    await page.getByLabel('Time zone').fill('Europe/Berlin');
    await page.getByLabel('Closes').fill('04:00');
    await page.getByLabel('Device groups').fill('night-shift, warehouses');
    await page.getByRole('button', { name: 'Create window' }).click();
    await page.getByText('Created maintenance window “Night”.').waitFor();
    const row = page.locator('tr[data-window="Night"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('Mon–Fri 01:00–04:00');
    expect(await row.textContent()).toContain('Europe/Berlin');
    expect(await row.textContent()).toContain('groups: night-shift, warehouses');
    await screenshot(page, 'maintenance-windows');

    const [window] = await t.db
      .selectFrom('maintenanceWindows')
      .selectAll()
      .where('organizationId', '=', org.id)
      .execute();
    expect(window).toMatchObject({ name: 'Night', timeZone: 'Europe/Berlin', groups: ['night-shift', 'warehouses'] });

    const { batchId, waitingId } = await batchWaitingFor(window!.id);
    await page.goto(`${base}/batches/${batchId}`);
    const waiting = page.getByTestId('waiting-for-window');
    await waiting.waitFor();
    expect(await waiting.textContent()).toBe('2 waiting for a maintenance window');
    await screenshot(page, 'batch-waiting-for-window');

    await page.goto(`${base}/operations/${waitingId}`);
    const wait = page.getByTestId('window-wait');
    await wait.waitFor();
    expect(await wait.textContent()).toContain('maintenance window “Night”, opens 2026-12-04 01:00 Europe/Berlin');
  });

  it("lets an admin start a single upgrade now, ignoring the device's maintenance window", async () => {
    const build = await makeBuild(t.db, { categoryId: (await makeCategory(t.db, { organizationId: org.id })).id });
    const image = await makeImageRow(t.db, { buildId: build.id });
    const device = await t.db
      .insertInto('devices')
      .values({
        organizationId: org.id,
        name: 'night-gw',
        macAddress: '02:00:00:00:03:01',
        boardName: 'tplink,archer-c7-v2',
        managementIp: '192.0.2.10',
        groupName: 'night-shift',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const credentials = await page.request.post(`${base}/api/v1/credentials/`, {
      data: { name: 'default', username: 'root', password: 'secret12', is_default: true },
      headers: { origin: base },
    });
    expect(credentials.status(), await credentials.text()).toBe(201);
    await page.goto(`${base}/devices/${device.id}`);
    await page.getByRole('tab', { name: 'Firmware' }).click();
    await page.getByLabel('Image').selectOption(image.id);
    await page.getByLabel('Start now, ignoring the maintenance window').check();
    await page.getByRole('button', { name: 'Upgrade', exact: true }).click();
    const confirmation = page.getByRole('group', { name: 'Confirm the upgrade' });
    expect(await confirmation.getByTestId('upgrade-window').textContent()).toBe('ignored: starts now');
    await confirmation.getByRole('button', { name: 'Start the upgrade' }).click();
    await page.waitForURL(/\/operations\//);
    const operation = await t.db
      .selectFrom('upgradeOperations')
      .select(['imageId', 'ignoreMaintenanceWindow'])
      .where('deviceId', '=', device.id)
      .executeTakeFirstOrThrow();
    expect(operation).toEqual({ imageId: image.id, ignoreMaintenanceWindow: true });
  });

  it('refuses a time zone the server does not know, naming the field', async () => {
    await page.goto(`${base}/maintenance-windows`);
    await page.getByLabel('Name').fill('Mars');
    await page.getByLabel('Time zone').fill('Mars/Olympus_Mons');
    await page.getByRole('button', { name: 'Create window' }).click();
    await page.getByText('unknown time zone').waitFor();
    expect(await page.locator('tr[data-window="Mars"]').count()).toBe(0);
  });

  it("offers a mass upgrade only the windows of its build's organization", async () => {
    // The user now administers a second organization too, whose window the list of windows includes.
    const other = await makeOrganization(t.db, { name: 'Lisbon Ops', slug: 'lisbon-ops' });
    const user = await t.db.selectFrom('users').select('id').where('username', '=', 'ops').executeTakeFirstOrThrow();
    await t.db.insertInto('memberships').values({ organizationId: other.id, userId: user.id, role: 'admin' }).execute();
    for (const [organizationId, name, timeZone] of [
      [org.id, 'Berlin early', 'Europe/Berlin'],
      [other.id, 'Lisbon nights', 'Europe/Lisbon'],
    ] as const) {
      await t.db
        .insertInto('maintenanceWindows')
        .values({
          organizationId,
          name,
          timeZone,
          schedule: JSON.stringify([{ days: ['mon'], start: '01:00', end: '05:00' }]),
          groups: [],
          locations: [],
        })
        .execute();
    }
    const build = await makeBuild(t.db, { categoryId: (await makeCategory(t.db, { organizationId: org.id })).id });
    await page.goto(`${base}/firmware/builds/${build.id}/upgrade`);
    const field = page.getByLabel('Maintenance window');
    await field.locator('option', { hasText: 'Berlin early (Europe/Berlin)' }).waitFor({ state: 'attached' });
    const offered = await field.locator('option').allTextContents();
    expect(offered).toContain('Berlin early (Europe/Berlin)');
    expect(offered).not.toContain('Lisbon nights (Europe/Lisbon)');
  });
});
