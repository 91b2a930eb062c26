import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/platform/errors.js';
import { PROJECT_ROOT } from '../src/platform/paths.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeToken, makeUser } from './helpers/factories.js';
import { client, type ApiClient } from './helpers/http.js';

let t: TestApp;
let api: ApiClient;
let authorization: string;

beforeAll(async () => {
  t = await createTestApp();
  authorization = await makeToken(t.db, await makeUser(t.db, { isSuperuser: true }));
  api = client(t.app, authorization);
});
afterAll(async () => {
  await t.close();
});

describe('bad input never gets a 500', () => {
  it('answers malformed JSON with 400 InvalidJson', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/firmware/category/',
      headers: { authorization, 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('InvalidJson');
  });

  it('answers an empty JSON body with 400 and a hint', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/firmware/category/',
      headers: { authorization, 'content-type': 'application/json' },
      payload: '',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('InvalidJson');
  });

  it('answers an unsupported content type with 415', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/firmware/category/',
      headers: { authorization, 'content-type': 'text/xml' },
      payload: '<category/>',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().code).toBe('UnsupportedMediaType');
  });

  it('answers a JSON body over 1 MiB with 413', async () => {
    const response = await api.post('/api/v1/firmware/category/', {
      name: 'x',
      description: 'y'.repeat(1024 * 1024 + 10),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().code).toBe('PayloadTooLarge');
  });

  it('answers wrong types and missing fields with 400 listing every field', async () => {
    const response = await api.post('/api/v1/organizations/', { slug: 42, is_active: 'perhaps' });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('ValidationFailed');
    expect(Object.keys(response.json().fields).sort()).toEqual(['is_active', 'name', 'slug']);
    expect(response.json().detail).toContain('name');
  });

  it('answers a malformed id in the path with 400 and an unknown one with 404', async () => {
    const malformed = await api.get('/api/v1/firmware/build/not-a-uuid/');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().fields).toEqual({ id: 'Must be a UUID.' });
    const unknown = await api.get('/api/v1/firmware/build/00000000-0000-4000-8000-000000000000/');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({
      code: 'BuildNotFound',
      detail: 'firmware build 00000000-0000-4000-8000-000000000000 not found',
    });
  });

  it('answers an unknown route with a JSON 404 that points to the docs', async () => {
    const response = await api.get('/api/v1/nothing-here/');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'RouteNotFound', detail: expect.stringContaining('/api/v1/docs/') });
  });

  it('turns an unexpected error into a 500 with the request id, not the internals', async () => {
    const app = await createTestApp();
    try {
      await app.database.close();
      // The pool is gone: any query fails in an unplanned way.
      const response = await client(app.app, authorization).get('/api/v1/firmware/build/');
      expect(response.statusCode).toBeGreaterThanOrEqual(500);
      expect(response.json().detail).not.toMatch(/pool|kysely|stack/i);
    } finally {
      await app.app.close();
    }
  });
});

describe('operations endpoints', () => {
  it("echoes the request id, taking the client's X-Request-Id when given", async () => {
    const generated = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const given = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'trace-42' } });
    expect(given.headers['x-request-id']).toBe('trace-42');
  });

  it('reports health, checking the database', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', database: 'ok', version: 'test' });
  });

  it('reports 503 when the database is gone', async () => {
    const broken = await createTestApp();
    try {
      await broken.database.close();
      const response = await broken.app.inject({ method: 'GET', url: '/healthz' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ status: 'unavailable', database: 'unavailable' });
    } finally {
      await broken.app.close();
    }
  });

  it('exposes Prometheus metrics, including request durations by route', async () => {
    await api.get('/api/v1/firmware/category/');
    const response = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.body).toContain('fleetflash_process_cpu_user_seconds_total');
    expect(response.body).toMatch(
      new RegExp(
        String.raw`fleetflash_http_request_duration_seconds_count\{route="\/api\/v1\/firmware\/category\/",` +
          String.raw`method="GET",status="200"\} \d+`,
      ),
    );
  });
});

describe('OpenAPI', () => {
  it('documents every route with its responses, and serves Swagger UI', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/api/v1/docs/openapi.json' })).json();
    expect(document.openapi).toMatch(/^3\./);
    const documented = new Set<string>();
    for (const [url, operations] of Object.entries(document.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(operations)) documented.add(`${method.toUpperCase()} ${url.replace(/\/$/, '')}`);
    }
    const registered = routeList(t);
    expect(registered.length).toBeGreaterThan(30);
    for (const route of registered) {
      const openapiPath = route.url.replace(/:(\w+)/g, '{$1}');
      const key = `${route.method} ${openapiPath.replace(/\/$/, '')}`;
      expect(documented.has(key), `${key} is missing from the OpenAPI document`).toBe(true);
      const operation = document.paths[openapiPath][route.method.toLowerCase()];
      expect(Object.keys(operation.responses ?? {}).length, `${key} has no response schema`).toBeGreaterThan(0);
    }
    const ui = await t.app.inject({ method: 'GET', url: '/api/v1/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger');
  });

  it('documents every error code in docs/api.md', () => {
    const doc = readFileSync(path.join(PROJECT_ROOT, 'docs', 'api.md'), 'utf8');
    for (const code of Object.keys(ERROR_CODES)) expect(doc, code).toContain(`\`${code}\``);
  });
});

/** The API routes as registered (documentation routes and Fastify's automatic HEAD twins left out). */
function routeList(app: TestApp): { method: string; url: string }[] {
  return app.routes.filter(
    (route) => !route.hidden && !route.url.startsWith('/api/v1/docs') && route.method !== 'HEAD',
  );
}
