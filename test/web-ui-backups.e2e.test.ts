import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Fleet, SIMULATED_BOARDS } from '../simulator/fleet.js';
import { buildWebUi, launchBrowser, screenshot } from './helpers/browser.js';
import { makeUser, TEST_PASSWORD } from './helpers/factories.js';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';

/**
 * Configuration backups in a real Chromium: listed on the device page for an operator, downloaded by an admin,
 * restored by an admin from the device page, and restored for the failed devices of a mass upgrade.
 */

let h: Harness;
let webDir: string;
let browser: Browser;
let page: Page;
let admin: Page;
let base: string;

beforeAll(async () => {
  webDir = await buildWebUi();
  h = await createHarness({ FLEETFLASH_WEB_DIR: webDir });
  await h.t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(h.t.app.server.address() as AddressInfo).port}`;
  await h.startWorker();
  const organization = { id: h.organizationId } as never;
  await makeUser(h.db, { username: 'watcher', memberships: [{ organization, role: 'operator' }] });
  await makeUser(h.db, { username: 'keeper', memberships: [{ organization, role: 'admin' }] });
  browser = await launchBrowser();
  page = await logIn('watcher');
  admin = await logIn('keeper');
}, 180_000);

async function logIn(username: string): Promise<Page> {
  const opened = await (
    await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true })
  ).newPage();
  await opened.goto(`${base}/login`);
  await opened.getByLabel('Username').fill(username);
  await opened.getByLabel('Password').fill(TEST_PASSWORD);
  await opened.getByRole('button', { name: 'Log in' }).click();
  await opened.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor();
  return opened;
}

async function operationStatus(id: string): Promise<string> {
  return (await h.api.get(`/api/v1/firmware/upgrade-operation/${id}/`)).json().status;
}

afterEach(async (test) => {
  if (test.task.result?.state === 'fail' && page)
    await screenshot(page, `failure-${test.task.name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => {});
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
  if (webDir) rmSync(webDir, { recursive: true, force: true });
});

describe('configuration backups in the web UI', () => {
  it('lists the backup taken before an upgrade and downloads it as a valid gzip tar', async () => {
    const { router, deviceId } = await h.addRouter({ name: 'ui-router' });
    const releaseBefore = router.describe().os;
    const { imageId } = await h.addImage();
    expect((await h.waitForEnd(await h.upgrade(deviceId, imageId))).status).toBe('success');

    await page.goto(`${base}/devices/${deviceId}`);
    await page.getByRole('tab', { name: 'Backups' }).click();
    const table = page.getByRole('table', { name: /Configuration backups, newest first/ });
    await table.waitFor();
    const rows = table.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    await expect.poll(() => rows.first().textContent()).toContain(releaseBefore);
    // The tab is in the URL: a reload shows it again.
    await page.reload();
    await page.getByRole('table', { name: /Configuration backups/ }).waitFor();

    // An operator may read the list, neither download (the archive holds the router's secrets) nor restore.
    await page.getByText("Admins only (holds the router's secrets)").waitFor();
    expect(await page.getByRole('link', { name: /Download the backup of/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Restore the backup of/ }).count()).toBe(0);

    await admin.goto(`${base}/devices/${deviceId}?tab=backups`);
    const link = admin.getByRole('link', { name: /Download the backup of/ });
    const [download] = await Promise.all([admin.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^backup-ui-router-\d{8}T\d{6}\.tar\.gz$/);
    const archive = readFileSync((await download.path())!);
    const listing = execFileSync('tar', ['-tzf', '-'], { input: archive }).toString().trim().split('\n');
    expect(listing).toContain('etc/config/system');
  });

  it('lets an admin restore a backup, after a confirmation, and shows the restore running to success', async () => {
    const { router, deviceId } = await h.addRouter({ name: 'ui-restore' });
    const { imageId } = await h.addImage();
    expect((await h.waitForEnd(await h.upgrade(deviceId, imageId))).status).toBe('success');
    await admin.goto(`${base}/devices/${deviceId}?tab=backups`);
    await admin.getByRole('button', { name: /Restore the backup of/ }).click();
    const confirm = admin.getByRole('group', { name: 'Confirm the restore' });
    await confirm.getByText('reboots the device').waitFor();
    await confirm.getByRole('button', { name: 'Restore and reboot' }).click();
    await admin.getByRole('heading', { name: 'Configuration restore of ui-restore' }).waitFor();
    const operationId = new URL(admin.url()).pathname.split('/').pop()!;
    await expect.poll(() => operationStatus(operationId), { timeout: 30_000 }).toBe('success');
    expect(router.state.restoreCount).toBe(1);
  });

  it('restores the backup of a router behind NAT through its pull agent, from the same page', async () => {
    const registration = await h.api.post(`/api/v1/organizations/${h.organizationId}/registration-secret/`);
    const fleet = new Fleet({
      count: 1,
      seed: 77,
      mode: 'agent',
      boards: [SIMULATED_BOARDS[0]!],
      namePrefix: 'ui-nat',
      rebootMs: 200,
      release: { distribution: 'OpenWrt', version: '23.05.2', revision: 'r23630-842932a63d' },
      register: { url: base, organization: h.organizationSlug, secret: registration.json().secret },
    });
    await fleet.start();
    try {
      const agent = fleet.agents[0]!;
      const { imageId } = await h.addImage();
      expect((await h.waitForEnd(await h.upgrade(agent.deviceId!, imageId), 60_000)).status).toBe('success');
      await admin.goto(`${base}/devices/${agent.deviceId}?tab=backups`);
      await admin.getByRole('button', { name: /Restore the backup of/ }).click();
      await admin
        .getByRole('group', { name: 'Confirm the restore' })
        .getByRole('button', { name: 'Restore and reboot' })
        .click();
      await admin.getByRole('heading', { name: 'Configuration restore of ui-nat-0001' }).waitFor();
      const operationId = new URL(admin.url()).pathname.split('/').pop()!;
      await expect.poll(() => operationStatus(operationId), { timeout: 60_000 }).toBe('success');
      expect(agent.state.restoreCount).toBe(1);
      const { log } = (await h.api.get(`/api/v1/firmware/upgrade-operation/${operationId}/`)).json();
      expect(log).toContain("Restore job published for the device's agent");
    } finally {
      await fleet.stop();
    }
  });

  it("restores the failed devices' backups from the mass upgrade page", async () => {
    const { router, deviceId } = await h.addRouter({ name: 'ui-failing', faults: { returnsOldRelease: true } });
    const { buildId } = await h.addImage();
    const launched = await h.api.post(`/api/v1/firmware/build/${buildId}/upgrade/`, {
      upgrade_all: true,
      devices: [deviceId],
    });
    const batchId = launched.json().batch as string;
    const [operation] = (await h.api.get(`/api/v1/firmware/device/${deviceId}/upgrade-operation/`)).json().results;
    expect((await h.waitForEnd(operation.id)).status).toBe('failed');

    await admin.goto(`${base}/batches/${batchId}`);
    await admin.getByRole('button', { name: 'Restore the pre-upgrade backup of the failed devices' }).click();
    await admin.getByRole('button', { name: 'Restore the backups' }).click();
    await admin.getByText('1 restore queued').waitFor();
    const link = admin.getByRole('link', { name: 'Restore of ui-failing' });
    const restoreId = (await link.getAttribute('href'))!.split('/').pop()!;
    await expect.poll(() => operationStatus(restoreId), { timeout: 30_000 }).toBe('success');
    expect(router.state.restoreCount).toBe(1);
  });

  it('says so when the device has no backup yet', async () => {
    const { deviceId } = await h.addRouter();
    await page.goto(`${base}/devices/${deviceId}?tab=backups`);
    await page.getByText('No configuration backup yet').waitFor();
  });
});
