import { connect } from 'node:net';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggerOptions } from '../src/platform/logger.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeBuild } from './helpers/factories.js';

let t: TestApp;
let baseUrl: string;
const logLines: Record<string, unknown>[] = [];

beforeAll(async () => {
  const logStream = new PassThrough();
  let pending = '';
  logStream.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) if (line) logLines.push(JSON.parse(line) as Record<string, unknown>);
  });
  t = await createTestApp(
    { FLEETFLASH_IMAGE_BUILDS_ENABLED: 'true', FLEETFLASH_UPSTREAM_URL: 'http://127.0.0.1:9' },
    { logStream },
  );
  baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await t?.close();
});

/** Sends raw bytes and reads the whole answer (the server closes the connection after it). */
function rawRequest(text: string): Promise<{ status: number; headers: string; body: string }> {
  const { port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const answer = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = answer.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), headers: head, body });
    });
    socket.end(text);
  });
}

describe('errors Fastify and Node answer before any route runs', () => {
  it('a malformed percent-encoding is a 400 InvalidUrl in the API shape', async () => {
    const response = await fetch(`${baseUrl}/api/v1/firmware/build/%zz/`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/json');
    const body = (await response.json()) as { detail: string; code: string };
    expect(body.code).toBe('InvalidUrl');
    expect(body.detail).toContain('%25');
  });

  it('a path parameter over 100 characters is a 414 UriTooLong in the API shape', async () => {
    const response = await t.app.inject({ method: 'GET', url: `/api/v1/firmware/build/${'a'.repeat(101)}/` });
    expect(response.statusCode).toBe(414);
    expect(response.json()).toEqual({ code: 'UriTooLong', detail: expect.stringContaining('100 characters') });
  });

  it("keeps ASU's own error shape on the ASU paths", async () => {
    const response = await t.app.inject({ method: 'GET', url: `/api/v1/build/${'f'.repeat(101)}` });
    expect(response.statusCode).toBe(414);
    expect(response.json()).toMatchObject({ status: 414, code: 'UriTooLong', detail: expect.any(String) });
  });

  it('oversized headers are a 431 HeadersTooLarge with a JSON body', async () => {
    const answer = await rawRequest(
      `GET /api/v1/devices/ HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`,
    );
    expect(answer.status).toBe(431);
    expect(answer.headers.toLowerCase()).toContain('content-type: application/json');
    expect(JSON.parse(answer.body)).toEqual({ code: 'HeadersTooLarge', detail: expect.stringContaining('16 KiB') });
  });

  it('an unparsable request is a 400 MalformedRequest with a JSON body', async () => {
    const answer = await rawRequest('GET /api/v1/devices/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n');
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'MalformedRequest' });
  });

  it('raw answers carry the security headers every answer carries', async () => {
    for (const text of [
      `GET /api/v1/devices/ HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`,
      'GET /api/v1/devices/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n',
    ]) {
      const headers = (await rawRequest(text)).headers.toLowerCase();
      expect(headers).toContain('x-frame-options: deny');
      expect(headers).toContain('x-content-type-options: nosniff');
      expect(headers).toContain('referrer-policy: same-origin');
      expect(headers).toMatch(/content-security-policy: [^\r]*frame-ancestors 'none'/);
    }
  });
});

describe('access log', () => {
  it('never writes a credential sent in the query string', async () => {
    const build = await makeBuild(t.db);
    const secrets = ['fft_querysecret1', 'fft_querysecret2', 'apikeysecret3', 'sessionsecret4'];
    const response = await fetch(
      `${baseUrl}/api/v1/firmware/build/${build.id}/image/` +
        `?token=${secrets[0]}&access_token=${secrets[1]}&api_key=${secrets[2]}&page=1&sessionid=${secrets[3]}`,
    );
    expect(response.status).toBe(401);
    await response.arrayBuffer();
    const line = await waitForLogLine((entry) => entry.msg === 'request' && String(entry.url).includes(build.id));
    for (const secret of secrets) expect(JSON.stringify(logLines)).not.toContain(secret);
    expect(line.url).toBe(
      `/api/v1/firmware/build/${build.id}/image/` +
        '?token=[redacted]&access_token=[redacted]&api_key=[redacted]&page=1&sessionid=[redacted]',
    );
  });
});

describe('access log: tokens under any name', () => {
  it(
    'never writes a value holding an API token, also percent-encoded inside another parameter or in the ' + 'path',
    async () => {
      const build = await makeBuild(t.db);
      const secrets = [
        'fft_nestedsecret1',
        'fft_plainsecret2',
        'fft_baresecret3',
        'fft_doublesecret4',
        'fft_pathsecret5',
      ];
      const query =
        `next=${encodeURIComponent(`/devices?token=${secrets[0]}`)}&q=${secrets[1]}&page=2&${secrets[2]}` +
        `&r=${encodeURIComponent(encodeURIComponent(secrets[3]!))}`;
      await (await fetch(`${baseUrl}/api/v1/firmware/build/${build.id}/image/?${query}`)).arrayBuffer();
      await (await fetch(`${baseUrl}/api/v1/firmware/build/${secrets[4]}/`)).arrayBuffer();
      const line = await waitForLogLine(
        (entry) =>
          entry.msg === 'request' && String(entry.url).includes(build.id) && String(entry.url).includes('next='),
      );
      await waitForLogLine(
        (entry) => entry.msg === 'request' && String(entry.url).startsWith('/api/v1/firmware/build/[redacted]'),
      );
      for (const secret of secrets) expect(JSON.stringify(logLines)).not.toContain(secret.slice(4));
      expect(line.url).toBe(
        `/api/v1/firmware/build/${build.id}/image/?next=[redacted]&q=[redacted]&page=2&[redacted]&r=[redacted]`,
      );
    },
  );

  it("the logger redacts the URL of every request it is given, as Fastify's own error lines give it", () => {
    const lines: string[] = [];
    const logger = pino(loggerOptions('info'), { write: (line: string) => lines.push(line) });
    logger.error(
      {
        req: {
          method: 'GET',
          url: '/api/v1/devices/?next=%2Fx%3Ftoken%3Dfft_serializersecret&page=1',
          headers: { authorization: 'x' },
        },
      },
      'request errored',
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('serializersecret');
    expect(JSON.parse(lines[0]!).req).toMatchObject({ method: 'GET', url: '/api/v1/devices/?next=[redacted]&page=1' });
  });
});

describe('request ids', () => {
  it('keeps a plain client X-Request-Id and replaces anything else', async () => {
    const kept = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'trace-1.2_abc' } });
    expect(kept.headers['x-request-id']).toBe('trace-1.2_abc');
    for (const sent of ['a'.repeat(65), 'has space', 'new\u2028line', 'x;y']) {
      const response = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': sent } });
      expect(response.headers['x-request-id'], sent).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

async function waitForLogLine(match: (entry: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const found = logLines.find(match);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('no such log line');
}
