import { readdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildWebUi, launchBrowser, screenshot, screenshotIfFailed } from './helpers/browser.js';
import { makeUser, TEST_PASSWORD } from './helpers/factories.js';
import { makeSysupgradeImage } from './helpers/firmware-file.js';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';
import { SIMULATED_BOARDS } from '../simulator/fleet.js';

/**
 * The operator's journey of the seeds' quickstart, in a real Chromium against a real server (the
 * app listening on a port, real PostgreSQL, an upgrade worker, simulated routers over SSH): log in,
 * create a category and a build, upload an image, upgrade one router from its Firmware tab and
 * watch the live log, cancel a pending upgrade, mass-upgrade ten routers and watch the progress
 * bar reach 100 % — never reloading a page.
 */

let h: Harness;
let webDir: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let base: string;
let buildId: string;
/** What Chromium reports about Content-Security-Policy violations on any page of the journey. */
const cspViolations: string[] = [];
const board = SIMULATED_BOARDS[0]!;
const OS = 'OpenWrt 23.05.3 r23809-234f1a2efa';

beforeAll(async () => {
  webDir = await buildWebUi();
  h = await createHarness({ FLEETFLASH_WEB_DIR: webDir });
  await h.startWorker();
  await h.t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(h.t.app.server.address() as AddressInfo).port}`;
  const organization = await h.db
    .selectFrom('organizations')
    .selectAll()
    .where('id', '=', h.organizationId)
    .executeTakeFirstOrThrow();
  await makeUser(h.db, { username: 'alice', memberships: [{ organization, role: 'admin' }] });
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  context.on('console', (message) => {
    if (/content security policy/i.test(message.text()))
      cspViolations.push(`${message.location().url}: ${message.text()}`);
  });
}, 180_000);

afterEach((test) => screenshotIfFailed(test, page));

afterAll(async () => {
  await browser?.close();
  await h?.close();
  if (webDir) rmSync(webDir, { recursive: true, force: true });
});

describe('the web UI in a real browser', () => {
  it('asks for a login, and logs in', async () => {
    await page.goto(`${base}/firmware`);
    await page.getByLabel('Username').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await screenshot(page, 'login');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByLabel('Username').fill('alice');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/password/i);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${base}/firmware`);
    await page.getByRole('button', { name: 'New category' }).waitFor();
  });

  it('creates a category and a build', async () => {
    await page.getByRole('button', { name: 'New category' }).click();
    await page.getByLabel('Name').fill('Office routers');
    await page.getByLabel('Description').fill('Routers of the offices');
    await page.getByRole('button', { name: 'Create category' }).click();
    await page.waitForURL(/\/firmware\/categories\//);
    await page.getByRole('button', { name: 'New build' }).click();
    await page.getByLabel('Version').fill('23.05.3');
    await page.getByLabel('OS identifier').fill(OS);
    await page.getByLabel('Changelog').fill('Security fixes.');
    await page.getByRole('button', { name: 'Create build' }).click();
    await page.waitForURL(/\/firmware\/builds\/[0-9a-f-]{36}$/);
    buildId = new URL(page.url()).pathname.split('/').at(-1)!;
    await page.getByText('Security fixes.').waitFor();
    await screenshot(page, 'build');
  });

  it('uploads an image and shows what it parsed', async () => {
    const image = makeSysupgradeImage({
      payloadSize: 256 * 1024,
      supportedDevices: [board.boardName],
      target: board.target,
      board: board.boardName.replace(',', '_'),
      version: '23.05.3',
      revision: 'r23809-234f1a2efa',
    });
    await page.getByLabel('Image file').setInputFiles({
      name: `openwrt-23.05.3-${board.imageType}`,
      mimeType: 'application/octet-stream',
      buffer: image,
    });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByRole('cell', { name: board.imageType }).first().waitFor();
    await page.getByText(board.boardName).first().waitFor();
    const images = await h.api.get(`/api/v1/firmware/build/${buildId}/image/`);
    expect(images.json().count).toBe(1);
    await screenshot(page, 'build-with-image');
  });

  it('upgrades one router from its Firmware tab and streams the log to success', async () => {
    const { deviceId, router } = await h.addRouter({ name: 'office-gw-01' });
    await page.getByRole('link', { name: 'Devices' }).click();
    await page.getByRole('link', { name: 'office-gw-01' }).click();
    await page.getByRole('tab', { name: 'Firmware' }).click();
    await page.getByLabel('Image').selectOption({ index: 1 });
    await screenshot(page, 'device-firmware');
    await page.getByRole('button', { name: 'Upgrade', exact: true }).click();
    // A single upgrade asks first, showing what the device runs now and what it gets.
    const confirmation = page.getByRole('group', { name: 'Confirm the upgrade' });
    await expect(confirmation.getByTestId('upgrade-target').textContent()).resolves.toMatch(/23\.05\.3/);
    await confirmation.getByRole('button', { name: 'Start the upgrade' }).click();
    await page.waitForURL(/\/operations\//);
    const log = page.getByRole('log', { name: 'Upgrade log' });
    await page.locator('[data-status="success"]').first().waitFor({ timeout: 60_000 });
    await expect(log.textContent()).resolves.toMatch(/23\.05\.3/);
    expect(await page.getByRole('progressbar', { name: 'Upgrade progress' }).getAttribute('aria-valuenow')).toBe('100');
    expect(router.state.release.version).toBe('23.05.3');
    expect((await h.api.get(`/api/v1/devices/${deviceId}/`)).json().os).toBe(OS);
    await screenshot(page, 'operation');
  });

  it('cancels a pending upgrade', async () => {
    await h.stopWorker();
    try {
      await h.addRouter({ name: 'office-ap-02' });
      await page.getByRole('link', { name: 'Devices' }).click();
      await page.getByRole('link', { name: 'office-ap-02' }).click();
      await page.getByRole('tab', { name: 'Firmware' }).click();
      await page.getByLabel('Image').selectOption({ index: 1 });
      await page.getByRole('button', { name: 'Upgrade', exact: true }).click();
      await page.getByRole('button', { name: 'Start the upgrade' }).click();
      await page.waitForURL(/\/operations\//);
      await page.locator('[data-status="pending"]').first().waitFor();
      await page.getByRole('button', { name: 'Cancel upgrade' }).click();
      await page.locator('[data-status="cancelled"]').first().waitFor();
      const operationId = new URL(page.url()).pathname.split('/').at(-1)!;
      expect((await h.api.get(`/api/v1/firmware/upgrade-operation/${operationId}/`)).json().status).toBe('cancelled');
    } finally {
      await h.startWorker();
    }
  });

  it('mass-upgrades ten routers and the progress bar reaches 100 % without a reload', async () => {
    for (let index = 0; index < 10; index += 1) await h.addRouter({ name: `branch-${index}` });
    await page.goto(`${base}/firmware/builds/${buildId}`);
    await page.getByRole('link', { name: 'Mass upgrade…', exact: true }).click();
    await page.waitForURL(/\/upgrade$/);
    await page.getByLabel('Also devices not on a build of this category').check();
    await page.getByText(/^11 devices to upgrade/).waitFor();
    // The stage preview follows the rollout chosen on the page: what the launch will run.
    await page.getByLabel('Canary devices').fill('2');
    await page.getByLabel('Stage growth factor').fill('3');
    const stages = page.getByRole('list', { name: 'Planned stages' });
    // A locator, not a string predicate: the Content-Security-Policy forbids evaluating strings in the page.
    await expect
      .poll(() => page.locator('[aria-label="Planned stages"]').textContent(), { timeout: 15_000 })
      .toBe('Stage 0 (canary): 2 devicesStage 1: 6 devicesStage 2: 3 devices');
    expect(await stages.getByRole('listitem').allTextContents()).toEqual([
      'Stage 0 (canary): 2 devices',
      'Stage 1: 6 devices',
      'Stage 2: 3 devices',
    ]);
    await page.getByText('Planned with the rollout settings below, exactly as the launch will run them.').waitFor();
    await screenshot(page, 'mass-upgrade-confirmation');
    await page.getByRole('button', { name: 'Launch mass upgrade' }).click();
    await page.waitForURL(/\/batches\//);
    const reloads: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) reloads.push(frame.url());
    });
    const bar = page.getByRole('progressbar', { name: 'Mass upgrade progress' });
    // A browser-side expression (the test code itself has no DOM types).
    // A selector, not a string predicate: the page's CSP forbids the eval Playwright would run it with.
    await page.waitForSelector('[aria-label="Mass upgrade progress"][aria-valuenow="100"]', { timeout: 90_000 });
    expect(await bar.getAttribute('aria-valuenow')).toBe('100');
    expect(reloads).toEqual([]);
    const launched = (await h.api.get(`/api/v1/firmware/batch-upgrade-operation/?build=${buildId}`)).json().results[0];
    expect(launched.stages.map((stage: { size: number }) => stage.size)).toEqual([2, 6, 3]);
    await page.getByText(/^Skipped devices do not count as failures/).waitFor();
    await screenshot(page, 'batch');
  });

  it('shows the dashboard, the device list and the batches at phone width', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await screenshot(page, 'dashboard');
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${base}/devices`);
    await phone.getByRole('link', { name: 'branch-0' }).waitFor();
    const overflow = await phone.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(1);
    await screenshot(phone, 'devices-phone');
    await phone.goto(`${base}/batches`);
    await phone.getByRole('progressbar').first().waitFor();
    await screenshot(phone, 'batches-phone');
    await phone.close();
  });

  it('runs the whole journey and the API docs within the Content-Security-Policy', async () => {
    const docs = await context.newPage();
    await docs.goto(`${base}/api/v1/docs/`);
    await docs.getByRole('heading', { name: /fleetflash API/ }).waitFor();
    // Swagger UI draws only the operations near the viewport: the first group's (api-docs.e2e.test.ts checks all).
    await docs.getByText('/healthz').first().waitFor();
    await screenshot(docs, 'api-docs');
    await docs.close();
    expect(cspViolations).toEqual([]);
  });

  it('is served compressed, without source maps', async () => {
    const files = readdirSync(`${webDir}/assets`);
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
    const script = files.find((file) => file.endsWith('.js'))!;
    expect(files).toContain(`${script}.br`);
    const response = await fetch(`${base}/assets/${script}`, { headers: { 'accept-encoding': 'br' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-encoding')).toBe('br');
  });

  it('upgrades one router with a health check chosen on its Firmware tab; a failing probe fails it', async () => {
    const { deviceId } = await h.addRouter({ name: 'office-gw-03', faults: { probeFails: 'network.interface.wan' } });
    const created = await h.api.post('/api/v1/health-checks/', {
      organization: h.organizationId,
      name: 'WAN works',
      probes: [{ name: 'WAN up', command: 'ubus call network.interface.wan status', timeout_seconds: 5 }],
    });
    expect(created.statusCode, created.body).toBe(201);
    await page.goto(`${base}/devices/${deviceId}`);
    await page.getByRole('tab', { name: 'Firmware' }).click();
    await page.getByLabel('Image').selectOption({ index: 1 });
    const choice = page.getByLabel('Health check');
    await expect
      .poll(async () => (await choice.locator('option').allTextContents()).join('|'))
      .toBe("The category's default|None|WAN works (1 probe)");
    await choice.selectOption({ label: 'WAN works (1 probe)' });
    await page.getByRole('button', { name: 'Upgrade', exact: true }).click();
    const confirmation = page.getByRole('group', { name: 'Confirm the upgrade' });
    expect(await confirmation.getByTestId('upgrade-health-check').textContent()).toBe('WAN works');
    await confirmation.getByRole('button', { name: 'Start the upgrade' }).click();
    await page.waitForURL(/\/operations\//);
    const operationId = new URL(page.url()).pathname.split('/').at(-1)!;
    await page.locator('[data-status="failed"]').first().waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('operation-health-check').textContent()).toBe('WAN works: WAN up');
    const operation = (await h.api.get(`/api/v1/firmware/upgrade-operation/${operationId}/`)).json();
    expect(operation).toMatchObject({
      status: 'failed',
      error_code: 'health-check-failed',
      health_check: { id: created.json().id, name: 'WAN works' },
    });
    await expect(page.getByRole('log', { name: 'Upgrade log' }).textContent()).resolves.toContain(
      'simulated probe failure',
    );
  });
});
