import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type Browser, chromium, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/platform/paths.js';
import { bundledChromium } from './bundled-chromium.js';
import { TEST_PASSWORD } from './factories.js';

/**
 * The web UI in a real browser: the UI built with Vite (the same build `npm start` makes), and a
 * Chromium driven by playwright-core — the system's (/usr/bin/chromium, Debian's package) when
 * installed, else the one npm installed (bundled-chromium.ts). FLEETFLASH_TEST_CHROMIUM=bundled
 * forces the npm one, =system the system one; CHROMIUM_PATH names another binary.
 * Screenshots go to test/artifacts/ (ignored by git).
 */

export const ARTIFACTS_DIR = path.join(PROJECT_ROOT, 'test', 'artifacts');
const run = promisify(execFile);

/** Builds the UI into a fresh folder (what FLEETFLASH_WEB_DIR then serves). */
export async function buildWebUi(): Promise<string> {
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-web-'));
  await run(
    process.execPath,
    [
      path.join(PROJECT_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      path.join(PROJECT_ROOT, 'web'),
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    { cwd: PROJECT_ROOT },
  );
  return outDir;
}

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** Which Chromium the browser tests run, and the environment it needs (none for the system's). */
async function chooseChromium(): Promise<{ executablePath: string; env?: Record<string, string> }> {
  if (process.env.CHROMIUM_PATH) return { executablePath: process.env.CHROMIUM_PATH };
  const wanted = process.env.FLEETFLASH_TEST_CHROMIUM;
  if (wanted === 'system' || (wanted !== 'bundled' && existsSync(SYSTEM_CHROMIUM)))
    return { executablePath: SYSTEM_CHROMIUM };
  return bundledChromium();
}

export async function launchBrowser(): Promise<Browser> {
  const { executablePath, env } = await chooseChromium();
  return chromium.launch({
    executablePath,
    ...(env ? { env: { ...process.env, ...env } } : {}),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Saves a full-page screenshot as test/artifacts/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
}

/** Opens a page at `base`, logs in as `username` with the test password and waits for the dashboard. */
export async function logInPage(
  browser: Browser,
  base: string,
  username: string,
  options: { viewport?: { width: number; height: number }; onLoginPage?: (page: Page) => Promise<void> } = {},
): Promise<Page> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel('Username').waitFor();
  await options.onLoginPage?.(page);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor();
  return page;
}

/** For afterEach: a screenshot of the page of a test that failed, named after the test. */
export async function screenshotIfFailed(
  test: { task: { name: string; result?: { state?: string } } },
  page: Page | undefined,
): Promise<void> {
  if (test.task.result?.state !== 'fail' || !page) return;
  await screenshot(page, `failure-${test.task.name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => {});
}
