import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImageBuildHarness, type ImageBuildHarness } from './helpers/image-builds.js';
import { MAKE, XZ, ZSTD, skipWithout } from './helpers/system-tools.js';

const skip = skipWithout(import.meta.url, [MAKE, ZSTD, XZ]);

let h: ImageBuildHarness;

beforeAll(async () => {
  // No worker: builds stay queued, so limits and queue positions can be observed.
  h = await createImageBuildHarness({
    worker: false,
    env: {
      FLEETFLASH_BUILD_CLIENT_RATE_LIMIT: '2',
      FLEETFLASH_BUILD_CLIENT_RATE_WINDOW: '600',
      FLEETFLASH_BUILD_MAX_QUEUED: '3',
      FLEETFLASH_REPOSITORY_ALLOW_LIST: 'https://feeds.example.org/openwrt',
      FLEETFLASH_MAX_PACKAGES: '50',
    },
  });
});

afterAll(async () => {
  await h?.close();
});

const request = { target: 'ath79/generic', version: '23.05.3', profile: 'tplink_archer-c7-v2' };

async function buildFrom(address: string, body: Record<string, unknown>) {
  const response = await h.t.app.inject({
    method: 'POST',
    url: '/api/v1/build',
    payload: body,
    remoteAddress: address,
  });
  return {
    status: response.statusCode,
    headers: response.headers,
    json: JSON.parse(response.body) as Record<string, unknown>,
  };
}

describe.skipIf(skip)('limits', () => {
  it(
    'limits new builds per client and window with 429 and Retry-After; joining or cached requests are not ' + 'limited',
    async () => {
      expect((await buildFrom('10.0.0.1', { ...request, packages: ['vim'] })).status).toBe(202);
      expect((await buildFrom('10.0.0.1', { ...request, packages: ['htop'] })).status).toBe(202);
      const third = await buildFrom('10.0.0.1', { ...request, packages: ['tcpdump'] });
      expect(third.status).toBe(429);
      expect(third.json.code).toBe('RATE_LIMITED');
      const wait = Number(third.headers['retry-after']);
      expect(wait).toBeGreaterThan(590);
      expect(wait).toBeLessThanOrEqual(600);
      // The same build again is not a new build: it joins the queued one.
      expect((await buildFrom('10.0.0.1', { ...request, packages: ['vim'] })).status).toBe(202);
    },
  );

  it('answers 529 with Retry-After when the queue is full, for everyone', async () => {
    expect((await buildFrom('10.0.0.2', { ...request, packages: ['luci'] })).status).toBe(202);
    const full = await buildFrom('10.0.0.3', { ...request, packages: ['luci-ssl'] });
    expect(full.status).toBe(529);
    expect(full.json).toMatchObject({ status: 529, title: 'Server overloaded', code: 'SERVER_OVERLOADED' });
    expect(String(full.json.detail)).toMatch(/^server overload, queue contains too many build requests: 3/);
    expect(Number(full.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('refuses defaults when the server does not allow them, and repositories off the allow list', async () => {
    const defaults = await buildFrom('10.0.0.4', { ...request, defaults: 'echo hello' });
    expect(defaults.status).toBe(400);
    expect(defaults.json.detail).toBe('Handling `defaults` not enabled on server');
    const repository = await buildFrom('10.0.0.4', {
      ...request,
      repositories: { extra: 'https://evil.example.org/openwrt/x' },
    });
    expect(repository.status).toBe(400);
    expect(repository.json.detail).toBe('Repository not allowed: https://evil.example.org/openwrt/x');
  });

  it('refuses more packages than max_packages with 422', async () => {
    const answer = await buildFrom('10.0.0.5', {
      ...request,
      packages: Array.from({ length: 51 }, (_, index) => `p${index}`),
    });
    expect(answer.status).toBe(422);
    expect((answer.json.detail as { loc: unknown[] }[])[0]!.loc).toEqual(['body', 'packages']);
  });
});
