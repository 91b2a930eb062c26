import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BackgroundWork, startBackgroundWork } from '../src/composition.js';
import type { OrganizationRow } from '../src/modules/accounts/accounts.table.js';
import { verifyWebhookSignature } from '../src/modules/notifications/webhook-signature.js';
import { insertEvent } from '../src/platform/events.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { buildWebUi, launchBrowser, logInPage, screenshot, screenshotIfFailed } from './helpers/browser.js';
import { makeOrganization, makeUser } from './helpers/factories.js';
import { startWebhookReceiver, type WebhookReceiver } from './helpers/webhook-receiver.js';

/**
 * Notifications in a real Chromium: an organization admin creates a webhook pointing at a local
 * receiver, copies the secret shown once, presses "Send test"; the receiver gets a delivery whose
 * signature checks out with that secret, and the delivery log shows it delivered. A paused mass
 * upgrade then lights the bell, whose dropdown links to the batch; email choices say email is off.
 */

let t: TestApp;
let work: BackgroundWork;
let receiver: WebhookReceiver;
let webDir: string;
let browser: Browser;
let page: Page;
let base: string;
let org: OrganizationRow;

beforeAll(async () => {
  webDir = await buildWebUi();
  t = await createTestApp({ FLEETFLASH_WEB_DIR: webDir, FLEETFLASH_WEBHOOK_ALLOW_LOOPBACK: 'true' });
  work = await startBackgroundWork(t.resources, { tasks: false, upgrades: false, builds: false, notifications: true });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  receiver = await startWebhookReceiver('/fleetflash-hook');
  org = await makeOrganization(t.db, { name: 'Berlin Ops', slug: 'berlin' });
  await makeUser(t.db, { username: 'berta', memberships: [{ organization: org, role: 'admin' }] });
  browser = await launchBrowser();
  page = await logInPage(browser, base, 'berta');
}, 180_000);

afterEach((test) => screenshotIfFailed(test, page));

afterAll(async () => {
  await browser?.close();
  await work?.stop();
  await receiver?.close();
  await t?.close();
  if (webDir) rmSync(webDir, { recursive: true, force: true });
});

describe('notifications in the web UI', () => {
  it('creates a webhook, sends a test the receiver can verify, and shows it delivered', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    expect(await page.title()).toContain('Webhooks');
    await page.getByLabel('URL').fill(receiver.url);
    await page.getByLabel('Description').fill('ops chat');
    await page.getByLabel('Upgrade failed or aborted').check();
    await page.getByRole('button', { name: 'Create webhook' }).click();
    const secret = (await page.getByTestId('webhook-secret').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => page.getByTestId('webhook-secret').count()).toBe(0);

    const row = page.locator(`tr[data-webhook="${receiver.url}"]`);
    await row.getByText('Mass upgrade paused, Mass upgrade failed, Upgrade failed or aborted').waitFor();
    await row.getByRole('button', { name: 'Send test' }).click();
    const [delivery] = await receiver.waitFor(1);
    expect(delivery!.headers['x-fleetflash-event']).toBe('test');
    expect(
      verifyWebhookSignature(
        secret,
        String(delivery!.headers['x-fleetflash-timestamp']),
        delivery!.body,
        String(delivery!.headers['x-fleetflash-signature']),
      ),
    ).toBe(true);
    expect(JSON.parse(delivery!.body)).toMatchObject({ event: 'test', organization: { slug: 'berlin' } });

    const log = page.getByRole('table', { name: 'Delivery log' });
    await log.locator('tr[data-status="delivered"]').waitFor({ timeout: 15_000 });
    const delivered = log.locator('tr[data-status="delivered"]');
    const cells = await delivered.locator('td').allTextContents();
    expect(cells.slice(0, 2)).toEqual(['Test', 'delivered']);
    // Every attempt is in the log: one, answered 200, with the host it went to.
    await delivered.getByText('1', { exact: true }).click();
    await delivered
      .locator('ol.attempts li')
      .getByText(/HTTP 200 \(\d+ ms, to 127\.0\.0\.1:\d+\)/)
      .waitFor();
    await screenshot(page, 'webhooks');
  });

  it('lights the bell for a paused mass upgrade and links to it', async () => {
    const batchId = '6a1f3a5e-2f7b-4c55-9d7a-0c1e2b3a4d5e';
    const data = { id: batchId, build_version: '23.05.3', status: 'paused', pause_detail: 'Paused: 3 of 5 failed.' };
    await insertEvent(t.db, { type: 'batch', organizationId: org.id, batchId, data });
    // The bell polls every 30 s and on focus: a reload shows the news at once.
    await expect
      .poll(
        async () => {
          await page.reload();
          const bell = page.getByRole('button', { name: /^Notifications, \d+ unread$/ });
          await bell.waitFor();
          return bell.getAttribute('aria-label');
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe('Notifications, 1 unread');
    await page.getByRole('button', { name: 'Notifications, 1 unread' }).click();
    const menu = page.getByRole('region', { name: 'Latest notifications' });
    await menu.getByRole('link', { name: 'Mass upgrade to 23.05.3 paused' }).waitFor();
    await screenshot(page, 'notification-bell');
    await menu.getByRole('link', { name: 'Mass upgrade to 23.05.3 paused' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/batches/${batchId}`);
    await page.getByRole('button', { name: 'Notifications, 0 unread' }).waitFor();

    await page.goto(`${base}/notifications`);
    await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Mass upgrade to 23.05.3 paused' }).waitFor();
    await page.getByText('Email is off on this server').waitFor();
    await page.getByRole('group', { name: 'Email for Berlin Ops' }).getByLabel('Mass upgrade failed').check();
    await page.getByRole('button', { name: 'Save email choices' }).click();
    await page.getByText('Saved.').waitFor();
    const saved = await t.db.selectFrom('notificationEmailPreferences').selectAll().execute();
    expect(saved.map((row) => [row.organizationId, row.events])).toEqual([[org.id, ['batch.failed']]]);
  });

  it('shows a webhook whose circuit is open, and until when nothing is tried', async () => {
    // As the delivery worker leaves it after five failed attempts in a row.
    await t.db
      .updateTable('webhooks')
      .set({ circuitFailures: 5, circuitOpenings: 1, circuitOpenUntil: new Date(Date.now() + 3600_000) })
      .execute();
    await page.goto(`${base}/webhooks`);
    const row = page.locator(`tr[data-webhook="${receiver.url}"]`);
    const badge = row.locator('[data-circuit="open"]');
    await badge.getByText('paused: receiver failing').waitFor();
    expect(await badge.textContent()).toMatch(/no attempts until .+; 5 failed in a row/);
    await t.db
      .updateTable('webhooks')
      .set({ circuitFailures: 0, circuitOpenings: 0, circuitOpenUntil: null })
      .execute();
  });

  it('deactivates a webhook and deletes it after confirming', async () => {
    await page.goto(`${base}/webhooks`);
    const row = page.locator(`tr[data-webhook="${receiver.url}"]`);
    await row.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('region', { name: /^Change the webhook/ });
    await edit.getByLabel('Active (deliveries are sent)').uncheck();
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await row.getByText('off', { exact: true }).waitFor();
    await row.getByRole('button', { name: 'Delete' }).click();
    await row.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByText(`Deleted the webhook to ${receiver.url}.`).waitFor();
    expect(await t.db.selectFrom('webhooks').selectAll().execute()).toEqual([]);
  });
});
