import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, screenshotIfFailed } from './helpers/browser.js';
import { createTestApp, type TestApp } from './helpers/app.js';

/**
 * The API reference (Swagger UI at /api/v1/docs/) in a real Chromium: with every group open, each
 * operation of the OpenAPI document is drawn and the page logs no error. Once a page lists 150 or
 * more groups and operations (ours does), Swagger UI draws only the rows near the viewport, so the
 * test scrolls from top to bottom and collects the operations drawn on the way.
 */

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
/** `<method> <path>` of the operation blocks in the DOM now (a string: the test code has no DOM types). */
const DRAWN_OPERATIONS = `[...document.querySelectorAll('.opblock')].map((block) => {
  const method = [...block.classList].find((name) => /^opblock-[a-z]+$/.test(name)).slice('opblock-'.length);
  return method + ' ' + block.querySelector('.opblock-summary-path').getAttribute('data-path');
})`;
const AT_BOTTOM = 'window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 1';
const NEXT_FRAMES = 'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))';

let t: TestApp;
let base: string;
let browser: Browser;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console error: ${message.text()}`);
  });
});

afterEach((test) => screenshotIfFailed(test, page));

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** `<method> <path>` of every operation of the document Swagger UI loads. */
async function documentedOperations(): Promise<string[]> {
  const document = (await t.app.inject({ method: 'GET', url: '/api/v1/docs/json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((method) => HTTP_METHODS.has(method))
      .map((method) => `${method} ${path}`),
  );
}

/** Scrolls from the top of the page to its bottom, half a screen at a time; returns every operation drawn. */
async function scrollThroughOperations(): Promise<Set<string>> {
  const drawn = new Set<string>();
  for (let step = 0; step < 1000; step += 1) {
    await page.evaluate(NEXT_FRAMES);
    for (const operation of await page.evaluate<string[]>(DRAWN_OPERATIONS)) drawn.add(operation);
    if (await page.evaluate<boolean>(AT_BOTTOM)) return drawn;
    await page.mouse.wheel(0, 450);
  }
  throw new Error('the API docs page never reached its bottom');
}

describe('the API docs in a real browser', () => {
  it('draws every operation of the OpenAPI document, every group open, without an error', async () => {
    const operations = await documentedOperations();
    // Enough to make Swagger UI draw only what is near the viewport: what this test is written for.
    expect(operations.length).toBeGreaterThan(130);
    await page.goto(`${base}/api/v1/docs/`);
    await page.getByRole('heading', { name: /fleetflash API/ }).waitFor();
    await page.locator('.opblock').first().waitFor();
    await screenshot(page, 'api-docs-top');
    const drawn = await scrollThroughOperations();
    expect([...drawn].sort()).toEqual([...operations].sort());
    expect(drawn.size).toBe(operations.length);
    await screenshot(page, 'api-docs-bottom');
    expect(errors).toEqual([]);
  });

  it('opens an operation from a deep link though it lies far below the first screen', async () => {
    // The page is at its bottom (the test above): the last operation and its link are drawn.
    const last = page.locator('.opblock').last();
    // Swagger UI's ids hold CSS escapes (a backslash before each parenthesis): doubled for an attribute selector.
    const id = (await last.getAttribute('id'))?.replaceAll('\\', '\\\\');
    const link = await last.locator('.opblock-summary-path a').getAttribute('href');
    expect(link).toMatch(/^#\/.+\/.+/);
    const linked = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // Page errors only: on any deep link holding an underscore (every generated operation id does), Swagger UI
    // logs a console error that underscores for spaces are deprecated, though our links use %20.
    linked.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
    try {
      await linked.goto(`${base}/api/v1/docs/${link}`);
      // Opened (its parameters and responses shown) and scrolled into view.
      await linked.locator(`[id="${id}"].is-open .responses-wrapper`).waitFor();
      expect(await linked.locator(`[id="${id}"]`).isVisible()).toBe(true);
      expect(await linked.evaluate<number>('window.scrollY')).toBeGreaterThan(1000);
    } finally {
      await linked.close();
    }
    expect(errors).toEqual([]);
  });
});
