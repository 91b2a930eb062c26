import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type Browser, chromium, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/platform/paths.js';

/**
 * The web UI in a real browser: the UI built with Vite (the same build `npm start` makes), and
 * Debian's Chromium driven by playwright-core. Screenshots go to test/artifacts/ (ignored by git).
 */

export const ARTIFACTS_DIR = path.join(PROJECT_ROOT, 'test', 'artifacts');
const run = promisify(execFile);

/** Builds the UI into a fresh folder (what FLEETFLASH_WEB_DIR then serves). */
export async function buildWebUi(): Promise<string> {
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-web-'));
  await run(process.execPath, [path.join(PROJECT_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', path.join(PROJECT_ROOT, 'web'), '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: PROJECT_ROOT });
  return outDir;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Saves a full-page screenshot as test/artifacts/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
}
