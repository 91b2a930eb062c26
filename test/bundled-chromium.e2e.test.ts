import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, type BrowserServer, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledChromium } from './helpers/bundled-chromium.js';

/**
 * The Chromium from npm (@sparticuz/chromium) that the browser tests fall back to on a machine
 * without one. Always run, also where /usr/bin/chromium exists, so the fallback cannot rot unseen.
 */

let server: http.Server;
let base: string;
let browserServer: BrowserServer;
let browser: Browser;

beforeAll(async () => {
  server = http.createServer((_request, response) => {
    response.setHeader('content-type', 'text/html; charset=utf-8');
    response.end(
      '<!doctype html><title>fleetflash</title><h1 id="title">Firmware for the fleet</h1><button ' +
        'onclick="this.textContent=\'clicked\'">go</button>',
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const bundled = await bundledChromium();
  browserServer = await chromium.launchServer({
    executablePath: bundled.executablePath,
    env: { ...process.env, ...bundled.env },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  browser = await chromium.connect(browserServer.wsEndpoint());
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await browserServer?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe('the Chromium npm installs', () => {
  it('loads a page over HTTP, runs its script and takes a screenshot', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    await page.getByRole('button', { name: 'go' }).click();
    expect(await page.getByRole('button').textContent()).toBe('clicked');
    expect(await page.title()).toBe('fleetflash');
    expect(await page.locator('#title').textContent()).toBe('Firmware for the fleet');
    // The browser tests save screenshots: rendering works without a GPU or system graphics libraries.
    const png = await page.screenshot();
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(1000);
    await page.close();
  });

  it('uses the NSS libraries shipped in the package, not the system ones', () => {
    const maps = readFileSync(`/proc/${browserServer.process().pid}/maps`, 'utf8');
    const nss = maps.split('\n').filter((line) => line.endsWith('/libnss3.so'));
    expect(nss.length).toBeGreaterThan(0);
    expect(nss.every((line) => line.includes('/node_modules/.cache/fleetflash-chromium/'))).toBe(true);
  });
});
