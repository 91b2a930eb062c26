import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/platform/paths.js';
import { createTestApp, type TestApp } from './helpers/app.js';

/**
 * The web UI's API types are generated from the server's OpenAPI document (openapi-typescript) and
 * committed. This test regenerates them and fails when the committed file is out of date;
 * `npm run gen:api` writes it.
 */
const SCHEMA_FILE = path.join(PROJECT_ROOT, 'web', 'src', 'api', 'schema.d.ts');

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t?.close();
});

describe('the web UI API client', () => {
  it('is generated from the current OpenAPI document', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/api/v1/docs/openapi.json' })).json();
    const generated =
      `// Generated from the server's OpenAPI document by \`npm run gen:api\`: do not ` +
      `edit.\n${astToString(await openapiTS(document))}`;
    if (process.env.UPDATE_API_CLIENT === '1') writeFileSync(SCHEMA_FILE, generated);
    expect(readFileSync(SCHEMA_FILE, 'utf8'), 'web/src/api/schema.d.ts is out of date: run npm run gen:api').toBe(
      generated,
    );
  });
});
