import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { buildWebUi, launchBrowser, logInPage, screenshot, screenshotIfFailed } from './helpers/browser.js';
import { makeOrganization, makeToken, makeUser } from './helpers/factories.js';
import { client, type ApiClient } from './helpers/http.js';

/**
 * Routers behind NAT in a real Chromium: the device list shows and filters how each device is managed,
 * and an agent device's page has the pull agent box with its install command and token actions.
 */

let t: TestApp;
let webDir: string;
let browser: Browser;
let page: Page;
let base: string;
let root: ApiClient;
let agentId: string;

beforeAll(async () => {
  webDir = await buildWebUi();
  t = await createTestApp({ FLEETFLASH_WEB_DIR: webDir });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const organization = await makeOrganization(t.db, { name: 'Behind NAT', slug: 'nat' });
  root = client(t.app, await makeToken(t.db, await makeUser(t.db, { username: 'root', isSuperuser: true })));
  const secret = (await root.post(`/api/v1/organizations/${organization.id}/registration-secret/`)).json().secret;
  const ssh = await root.post('/api/v1/devices/', {
    organization: organization.id,
    name: 'ssh-router',
    mac_address: '02:bb:00:00:00:01',
    management_ip: '127.0.0.1',
  });
  expect(ssh.statusCode).toBe(201);
  const enrolled = await t.app.inject({
    method: 'POST',
    url: '/agent/v1/enroll',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      organization: 'nat',
      secret,
      mac: '02:bb:00:00:00:02',
      board: 'glinet,gl-mt3000',
      model: 'GL.iNet GL-MT3000',
      release: '23.05.2',
      distribution: 'OpenWrt',
      boot_id: 'b1',
      hostname: 'agent-router',
      agent_version: '1.0',
    }).toString(),
  });
  expect(enrolled.statusCode, enrolled.body).toBe(200);
  agentId = /device=(.+)/.exec(enrolled.body)![1]!;
  browser = await launchBrowser();
  page = await logInPage(browser, base, 'root');
}, 180_000);

afterEach((test) => screenshotIfFailed(test, page));

afterAll(async () => {
  await browser?.close();
  await t?.close();
  if (webDir) rmSync(webDir, { recursive: true, force: true });
});

describe('agent-managed devices in the UI', () => {
  it('shows and filters the management mode, and the pull agent box with its command and token actions', async () => {
    await page.goto(`${base}/devices`);
    await page.getByRole('heading', { name: 'Devices', exact: true }).waitFor();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(2);
    await page.getByLabel('Management').selectOption('agent');
    await page.waitForURL((url) => url.searchParams.get('management') === 'agent');
    await page.locator('.table-wrap[aria-busy="true"]').waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('tbody tr td:nth-child(2)').allTextContents()).toEqual(['agent-router']);
    expect(await page.locator('tbody tr').first().textContent()).toContain('pull agent');

    await page.getByRole('link', { name: 'agent-router' }).click();
    await page.getByRole('heading', { name: 'Pull agent' }).waitFor();
    // No SSH facts for a device fleetflash never connects to.
    expect(await page.getByText('SSH host key').count()).toBe(0);
    // The organization's slug arrives with the organization (a superuser is no member: it is fetched).
    await expect
      .poll(() => page.locator('section[aria-labelledby="pull-agent"] pre').textContent())
      .toBe(`wget -qO- ${base}/agent/install.sh | sh -s -- ${base} nat '<registration secret>'`);
    await screenshot(page, 'device-pull-agent');
    await page.getByRole('button', { name: 'Rotate the token' }).click();
    await page.getByText('A new token was issued').waitFor();
    const audit = (await root.get('/api/v1/audit-log/?action=device.agent_token_rotated')).json();
    expect(audit.results.map((entry: { target_id: string }) => entry.target_id)).toEqual([agentId]);

    // Back to SSH: confirmed first; then the pull agent box is gone and the overview says SSH.
    await page.getByRole('button', { name: 'Manage over SSH instead…' }).click();
    await page.getByRole('group', { name: 'Manage over SSH' }).getByRole('button', { name: 'Keep the agent' }).click();
    expect((await root.get(`/api/v1/devices/${agentId}/`)).json().management).toBe('agent');
    await page.getByRole('button', { name: 'Manage over SSH instead…' }).click();
    await page.getByRole('button', { name: 'Manage over SSH', exact: true }).click();
    await page.getByRole('heading', { name: 'Pull agent' }).waitFor({ state: 'detached' });
    expect((await root.get(`/api/v1/devices/${agentId}/`)).json().management).toBe('ssh');
    expect(await page.locator('dd', { hasText: /^SSH$/ }).count()).toBe(1);
  });

  it("shows the organization's install command, its new registration secret only right after it is made", async () => {
    await page.getByRole('link', { name: 'Enroll routers' }).click();
    await page.getByRole('heading', { name: 'Enroll routers' }).waitFor();
    const section = page.getByRole('region', { name: 'Enroll routers of Behind NAT' });
    await expect
      .poll(() => section.locator('pre').textContent())
      .toBe(`wget -qO- ${base}/agent/install.sh | sh -s -- ${base} nat '<registration secret>'`);
    await section.getByRole('button', { name: 'Make a new registration secret for this command' }).click();
    await section.getByText('The secret is shown this once.').waitFor();
    const command = (await section.locator('pre').textContent()) ?? '';
    const secret = /'(ffr_[^']+)'/.exec(command)?.[1];
    expect(secret).toBeDefined();
    // The command works: the secret in it enrolls a router.
    const enrolled = await t.app.inject({
      method: 'POST',
      url: '/agent/v1/enroll',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        organization: 'nat',
        secret: secret!,
        mac: '02:bb:00:00:00:03',
        release: '23.05.2',
        boot_id: 'b3',
        agent_version: '1.0',
      }).toString(),
    });
    expect(enrolled.statusCode, enrolled.body).toBe(200);
    await screenshot(page, 'enroll-routers');
  });
});
