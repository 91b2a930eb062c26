import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OrganizationRow } from '../src/modules/accounts/accounts.table.js';
import type { BuildRow, ImageRow } from '../src/modules/firmware/firmware.table.js';
import { evaluateBatch } from '../src/modules/upgrades/batch-controller.js';
import { normalizeRollout } from '../src/modules/upgrades/rollout-policy.js';
import type { BatchStatus, OperationStatus } from '../src/modules/upgrades/upgrades.table.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { buildWebUi, launchBrowser, logInPage, screenshot, screenshotIfFailed } from './helpers/browser.js';
import { makeBuild, makeCategory, makeImageRow, makeOrganization, makeToken, makeUser } from './helpers/factories.js';
import { type ApiClient, client } from './helpers/http.js';

/**
 * Mass upgrades an operator can act on, in a real Chromium: failures grouped by reason with counts,
 * "Show these" and "Retry these" (only that group is retried), failed upgrades with a finished bar,
 * the pause message naming its rule, the dry run per model with its downgrades and a Launch button
 * that stays in view, the confirmation of a single upgrade, and a build's own mass upgrades.
 * Operations are seeded as rows (no worker runs): what is under test is what the pages show and do.
 */

let t: TestApp;
let webDir: string;
let browser: Browser;
let page: Page;
let base: string;
let api: ApiClient;
let org: OrganizationRow;
let target: BuildRow;
let targetC7: ImageRow;

const C7 = { boardName: 'tplink,archer-c7-v2', model: 'TP-Link Archer C7 v2' };
const AR300M = { boardName: 'glinet,gl-ar300m', model: 'GL.iNet GL-AR300M' };
const AR300M_TYPE = 'ath79-nand-glinet_gl-ar300m-nor-squashfs-sysupgrade.bin';
const OLD_OS = 'OpenWrt 22.03.5 r20134-5f15225c1e';
const NEWER_OS = 'OpenWrt 24.10.0 r28427-6df0e3d02a';
const TARGET_OS = 'OpenWrt 23.05.3 r23809-234f1a2efa';

async function device(fields: { name: string; os?: string; boardName?: string; model?: string }) {
  return t.db
    .insertInto('devices')
    .values({
      organizationId: org.id,
      name: fields.name,
      macAddress: `02:${randomBytes(5).toString('hex').match(/../g)!.join(':')}`,
      boardName: fields.boardName ?? C7.boardName,
      model: fields.model ?? C7.model,
      os: fields.os ?? OLD_OS,
      managementIp: '192.0.2.10',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

async function install(deviceId: string, imageId: string) {
  await t.db.insertInto('deviceFirmwares').values({ deviceId, imageId, installed: true }).execute();
}

async function batch(status: BatchStatus, rollout = {}) {
  return t.db
    .insertInto('batchUpgradeOperations')
    .values({
      buildId: target.id,
      buildVersion: target.version,
      organizationId: org.id,
      status,
      rollout: JSON.stringify(normalizeRollout(rollout, { maxConcurrent: 10 })),
      stageSizes: [20],
      maxConcurrent: 10,
      startedAt: new Date(),
      finishedAt: ['success', 'failed', 'cancelled'].includes(status) ? new Date() : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** An operation on a device of its own, on a board no image fits (so it stays out of every dry run). */
async function operation(batchId: string, status: OperationStatus, errorCode: string | null, name: string) {
  const { id: deviceId } = await device({ name, boardName: 'example,out-of-scope', model: 'Other' });
  await t.db
    .insertInto('upgradeOperations')
    .values({
      deviceId,
      imageId: targetC7.id,
      imageSha256: targetC7.sha256,
      batchId,
      status,
      errorCode: errorCode as never,
      progress: status === 'success' ? 100 : 40,
      nextAttemptAt: new Date(Date.now() + 86_400_000),
      finishedAt: ['pending', 'in-progress'].includes(status) ? null : new Date(),
    })
    .execute();
}

let failedBatch: string;
let pausedBatch: string;
let newerDevice: string;

beforeAll(async () => {
  webDir = await buildWebUi();
  t = await createTestApp({ FLEETFLASH_WEB_DIR: webDir });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  org = await makeOrganization(t.db, { name: 'Berlin Ops', slug: 'berlin' });
  const admin = await makeUser(t.db, { username: 'ops', memberships: [{ organization: org, role: 'admin' }] });
  api = client(t.app, await makeToken(t.db, admin));
  await t.db
    .insertInto('credentials')
    .values({ organizationId: org.id, name: 'default', username: 'root', passwordEncrypted: 'x', isDefault: true })
    .execute();

  const category = await makeCategory(t.db, { organizationId: org.id, name: 'Routers' });
  const old = await makeBuild(t.db, { categoryId: category.id, version: '22.03.5', os: OLD_OS });
  const oldC7 = await makeImageRow(t.db, { buildId: old.id });
  const arImage = { type: AR300M_TYPE, label: AR300M.model, boards: [AR300M.boardName] };
  const oldAr = await makeImageRow(t.db, { buildId: old.id, ...arImage });
  target = await makeBuild(t.db, { categoryId: category.id, version: '23.05.3', os: TARGET_OS });
  targetC7 = await makeImageRow(t.db, { buildId: target.id });
  await makeImageRow(t.db, { buildId: target.id, ...arImage });

  // A fleet long enough that the dry run runs far below the window.
  for (let index = 1; index <= 40; index += 1)
    await install((await device({ name: `c7-${String(index).padStart(2, '0')}` })).id, oldC7.id);
  for (let index = 1; index <= 5; index += 1)
    await install((await device({ name: `ar-${index}`, ...AR300M })).id, oldAr.id);
  newerDevice = (await device({ name: 'c7-newer', os: NEWER_OS })).id;
  await install(newerDevice, oldC7.id);
  for (const name of ['c7-done-1', 'c7-done-2']) await install((await device({ name, os: TARGET_OS })).id, targetC7.id);

  failedBatch = (await batch('failed')).id;
  for (let index = 1; index <= 3; index += 1) await operation(failedBatch, 'failed', 'unreachable', `down-${index}`);
  for (let index = 1; index <= 2; index += 1) await operation(failedBatch, 'failed', 'auth-failed', `locked-${index}`);
  await operation(failedBatch, 'aborted', 'no-address', 'lost-1');
  // Waiting after an unreachable attempt: it has the code but is no failure, so "Show these" must leave it out.
  await operation(failedBatch, 'pending', 'unreachable', 'waiting-1');
  for (let index = 1; index <= 2; index += 1) await operation(failedBatch, 'success', null, `fine-${index}`);

  pausedBatch = (await batch('in-progress', { failure_threshold_percent: 20, failure_threshold_min_decided: 10 })).id;
  for (let index = 1; index <= 7; index += 1) await operation(pausedBatch, 'success', null, `p-ok-${index}`);
  for (let index = 1; index <= 3; index += 1) await operation(pausedBatch, 'failed', 'unreachable', `p-bad-${index}`);
  await operation(pausedBatch, 'pending', null, 'p-wait');
  await evaluateBatch(t.db, pausedBatch);

  browser = await launchBrowser();
  page = await logInPage(browser, base, 'ops', { viewport: { width: 1280, height: 800 } });
}, 180_000);

afterEach((test) => screenshotIfFailed(test, page));

afterAll(async () => {
  await browser?.close();
  await t?.close();
  if (webDir) rmSync(webDir, { recursive: true, force: true });
});

const failures = () => page.getByRole('table', { name: 'Failures by reason' });
const groupRow = (reason: string) => failures().locator(`tr[data-reason="${reason}"]`);

describe('a mass upgrade with failures', () => {
  it('groups failures by reason with counts, and shows one group in the upgrades list, kept in the URL', async () => {
    await page.goto(`${base}/batches/${failedBatch}`);
    await failures().waitFor();
    const reasons: (string | null)[] = [];
    for (const row of await failures().locator('tbody tr').all()) reasons.push(await row.getAttribute('data-reason'));
    expect(reasons).toEqual(['unreachable', 'auth-failed', 'no-address']);
    expect(await groupRow('unreachable').locator('td').first().textContent()).toBe('3');
    expect(await groupRow('auth-failed').locator('td').first().textContent()).toBe('2');
    expect(await groupRow('no-address').locator('td').first().textContent()).toBe('1');
    await screenshot(page, 'batch-failures');

    await groupRow('unreachable').getByRole('link', { name: 'Show the upgrades that failed with unreachable' }).click();
    await page.waitForURL((url) => url.searchParams.get('reason') === 'unreachable');
    const rows = page.locator('section:has(#batch-operations) tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    expect((await rows.allTextContents()).every((text) => text.includes('unreachable'))).toBe(true);
    // A failed upgrade's bar is finished: full, and says how it ended.
    const bar = rows.first().getByRole('progressbar');
    expect(await bar.getAttribute('aria-valuenow')).toBe('100');
    expect(await bar.getAttribute('data-outcome')).toBe('failed');
    expect(await bar.textContent()).toBe('failed');

    await page.getByRole('button', { name: 'Sort by Stage' }).click();
    await page.waitForURL((url) => url.searchParams.get('ordering') === 'stage,status');
    await page.reload();
    await expect.poll(() => rows.count()).toBe(3);
    expect(await page.getByLabel('Failed with', { exact: true }).inputValue()).toBe('unreachable');
    await page.getByLabel('Status', { exact: true }).selectOption('success');
    await page.waitForURL((url) => url.searchParams.get('status') === 'success');
    await page.getByText('No upgrade matches the search, status and reason').waitFor();
  });

  it('retries only the group asked for', async () => {
    await page.goto(`${base}/batches/${failedBatch}`);
    await groupRow('auth-failed')
      .getByRole('button', { name: 'Retry the 2 upgrades that failed with auth-failed' })
      .click();
    await groupRow('auth-failed').waitFor({ state: 'detached' });
    expect(await groupRow('unreachable').locator('td').first().textContent()).toBe('3');
    const answer = (await api.get(`/api/v1/firmware/batch-upgrade-operation/${failedBatch}/`)).json();
    expect(answer.failure_reasons).toEqual({ unreachable: 3, 'no-address': 1 });
    expect(answer.counts).toMatchObject({ pending: 3, failed: 3, aborted: 1, success: 2 });
    const retries = await t.db
      .selectFrom('upgradeOperations as o')
      .innerJoin('upgradeOperations as old', 'old.id', 'o.retryOf')
      .select('old.errorCode')
      .where('o.batchId', '=', failedBatch)
      .execute();
    expect(retries.map((row) => row.errorCode)).toEqual(['auth-failed', 'auth-failed']);
  });

  it('names the rule that paused a mass upgrade, with its figures', async () => {
    await page.goto(`${base}/batches/${pausedBatch}`);
    await page.getByText(/^Paused by the failure threshold: 3 of 10 decided devices failed \(30 % > 20 %/).waitFor();
  });
});

describe('the dry run', () => {
  it('shows per model which image each gets, marks downgrades, and keeps Launch in view', async () => {
    await page.goto(`${base}/firmware/builds/${target.id}/upgrade`);
    await page.getByText(/^45 devices to upgrade/).waitFor();
    const models = page.getByRole('table', { name: 'Devices to upgrade per model' });
    const modelRow = (model: string) => models.locator(`tr[data-model="${model}"]`);
    expect(await modelRow(C7.model).locator('td').allTextContents()).toEqual([
      `TP-Link Archer C7 v2ath79-generic-tplink_archer-c7-v2-squashfs-sysupgrade.bin`,
      '40',
      'none',
    ]);
    expect(await modelRow(AR300M.model).locator('td').nth(1).textContent()).toBe('5');

    // The Launch button is at the bottom of the window though the page goes on far below it.
    const launch = page.getByRole('button', { name: 'Launch mass upgrade' });
    const box = (await launch.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(800);
    expect((await page.getByRole('heading', { name: /devices? skipped/ }).boundingBox())!.y).toBeGreaterThan(800);
    await page.getByRole('heading', { name: /devices? skipped/ }).scrollIntoViewIfNeeded();
    expect((await launch.boundingBox())!.y + box.height).toBeLessThanOrEqual(800);

    await page.getByLabel('Also downgrade devices on a newer release').check();
    await page.getByText(/^46 devices to upgrade/).waitFor();
    await expect.poll(() => modelRow(C7.model).locator('td').nth(1).textContent()).toBe('41');
    expect(await modelRow(C7.model).locator('td').nth(2).textContent()).toBe('1 downgrade');
    await page.getByText('1 device would go back to an older OpenWrt release').waitFor();
    await screenshot(page, 'mass-upgrade-per-model');
  });
});

describe('a single upgrade', () => {
  it('asks for confirmation with the current firmware, the new image and a downgrade warning', async () => {
    await page.goto(`${base}/devices/${newerDevice}`);
    await page.getByRole('tab', { name: 'Firmware' }).click();
    await page.getByLabel('Image').selectOption({ label: `23.05.3 — ${C7.model} (${targetC7.type})` });
    await page.getByRole('button', { name: 'Upgrade', exact: true }).click();
    const confirmation = page.getByRole('group', { name: 'Confirm the upgrade' });
    expect(await confirmation.getByTestId('upgrade-current').textContent()).toContain(NEWER_OS);
    expect(await confirmation.getByTestId('upgrade-target').textContent()).toContain('23.05.3');
    await confirmation.getByRole('alert').getByText('Downgrade:').waitFor();
    await screenshot(page, 'upgrade-confirmation');

    await confirmation.getByRole('button', { name: 'Back' }).click();
    await confirmation.waitFor({ state: 'detached' });
    const none = await t.db.selectFrom('upgradeOperations').select('id').where('deviceId', '=', newerDevice).execute();
    expect(none).toEqual([]);

    await page.getByRole('button', { name: 'Upgrade', exact: true }).click();
    await page.getByRole('button', { name: 'Start the upgrade' }).click();
    await page.waitForURL(/\/operations\//);
    const started = await t.db
      .selectFrom('upgradeOperations')
      .select('imageId')
      .where('deviceId', '=', newerDevice)
      .execute();
    expect(started).toEqual([{ imageId: targetC7.id }]);
  });
});

describe('the build page and the list of mass upgrades', () => {
  it('lists the build’s mass upgrades with status and progress, and how many devices run it', async () => {
    await page.goto(`${base}/firmware/builds/${target.id}`);
    const table = page.getByRole('table', { name: 'Mass upgrades to 23.05.3' });
    await table.waitFor();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(2);
    expect(await table.locator('[data-status]').allTextContents()).toEqual(
      expect.arrayContaining(['paused', 'in-progress']),
    );
    expect(await page.locator('#build-device-count').textContent()).toBe('2 devices');
    await screenshot(page, 'build-batches');
    await table.getByRole('link').first().click();
    await page.waitForURL(/\/batches\/[0-9a-f-]+$/);

    await page.goto(`${base}/batches?build=${target.id}&status=paused`);
    const list = page.locator('tbody tr');
    await expect.poll(() => list.count()).toBe(1);
    expect(await page.getByLabel('Build', { exact: true }).inputValue()).toBe(target.id);
    await page.getByLabel('Status', { exact: true }).selectOption('');
    await expect.poll(() => list.count()).toBe(2);
    await screenshot(page, 'batches-filtered');
    await page.getByLabel('Created from').fill('2000-01-01');
    await page.getByLabel('Created to').fill('2000-01-02');
    await page.waitForURL((url) => url.searchParams.get('to') === '2000-01-02');
    await page.getByText('No mass upgrade with these filters.').waitFor();
  });
});
