import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBackgroundWork } from '../../src/composition.js';
import type { BuildDispatcher } from '../../src/modules/imagebuilder/build-dispatcher.js';
import { startUpstreamFixture, type UpstreamFixture, type UpstreamFixtureOptions } from './asu-upstream.js';
import { createTestApp, type TestApp } from './app.js';

export interface ImageBuildHarness {
  upstream: UpstreamFixture;
  t: TestApp;
  dispatcher: BuildDispatcher | null;
  /** Answers `POST /api/v1/build` as a router client would (no login). */
  build(
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; headers: Record<string, unknown>; json: Record<string, unknown> }>;
  status(hash: string): Promise<{ status: number; headers: Record<string, unknown>; json: Record<string, unknown> }>;
  /** Polls until the build is no longer 202. */
  waitForBuild(hash: string, timeoutMs?: number): Promise<{ status: number; json: Record<string, unknown> }>;
  close(): Promise<void>;
}

/**
 * The real application and build worker against the fixture upstream (a local HTTP server with a
 * synthetic ImageBuilder). The ImageBuilder folder is traversable, so builds can run as `nobody`
 * when the tests run as root, as they would in production.
 */
export async function createImageBuildHarness(
  options: {
    env?: Record<string, string>;
    worker?: boolean;
    buildDelayMs?: number;
    signingKey?: 'fixture' | 'other';
    /** Also publish ASU's test release (1.2.3, testtarget/testsubtarget, testprofile). */
    asuTestRelease?: boolean;
    /** Also serve 22.03.5 upstream (see startUpstreamFixture). */
    oldRelease?: boolean;
    /** Also serve 24.10.0 upstream (see startUpstreamFixture). */
    newRelease?: boolean;
    /** What the fixture upstream publishes besides its defaults (the apk-era release, ImageBuilder quirks). */
    upstream?: UpstreamFixtureOptions;
  } = {},
): Promise<ImageBuildHarness> {
  const upstream = await startUpstreamFixture({
    ...options.upstream,
    buildDelayMs: options.buildDelayMs ?? 0,
    asuTestRelease: options.asuTestRelease ?? false,
    oldRelease: options.oldRelease ?? false,
    newRelease: options.newRelease ?? false,
  });
  const ibDir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-ib-'));
  chmodSync(ibDir, 0o755);
  const t = await createTestApp({
    FLEETFLASH_UPSTREAM_URL: upstream.url,
    FLEETFLASH_IMAGEBUILDER_DIR: ibDir,
    FLEETFLASH_IMAGEBUILDER_SIGNING_KEY: options.signingKey === 'other' ? upstream.otherPublicKey : upstream.publicKey,
    FLEETFLASH_BUILD_RETRY_DELAY: '0.05',
    ...options.env,
  });
  const work =
    options.worker === false
      ? null
      : await startBackgroundWork(t.resources, { tasks: false, upgrades: false, builds: true });
  const dispatcher = work?.builds ?? null;
  const parse = (response: { statusCode: number; headers: Record<string, unknown>; body: string }) => ({
    status: response.statusCode,
    headers: response.headers,
    json: response.body ? (JSON.parse(response.body) as Record<string, unknown>) : {},
  });
  const harness: ImageBuildHarness = {
    upstream,
    t,
    dispatcher,
    build: async (body, headers = {}) =>
      parse(
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/build',
          payload: body as object,
          headers: { 'content-type': 'application/json', ...headers },
        }),
      ),
    status: async (hash) => parse(await t.app.inject({ method: 'GET', url: `/api/v1/build/${hash}` })),
    async waitForBuild(hash, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const answer = await harness.status(hash);
        if (answer.status !== 202) return answer;
        if (Date.now() > deadline)
          throw new Error(
            `build ${hash} still ${String(answer.json.detail)}/${String(answer.json.imagebuilder_status)} ` +
              `after ${timeoutMs} ms`,
          );
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async close() {
      await work?.stop();
      await t.close();
      await upstream.close();
      rmSync(ibDir, { recursive: true, force: true });
    },
  };
  return harness;
}
