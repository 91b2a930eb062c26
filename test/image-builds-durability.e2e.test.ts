import { afterEach, describe, expect, it } from 'vitest';
import { makeToken, makeUser } from './helpers/factories.js';
import { createImageBuildHarness, type ImageBuildHarness } from './helpers/image-builds.js';
import { startServer, type ServerProcess } from './helpers/process.js';
import { MAKE, XZ, ZSTD, skipWithout } from './helpers/system-tools.js';

const skip = skipWithout(import.meta.url, [MAKE, ZSTD, XZ]);

let h: ImageBuildHarness | null = null;
const workers: ServerProcess[] = [];

afterEach(async () => {
  for (const worker of workers.splice(0)) await worker.stop();
  await h?.close();
  h = null;
});

const request = { target: 'ath79/generic', version: '23.05.3', profile: 'tplink_archer-c7-v2', packages: ['luci'] };

async function waitForStage(harness: ImageBuildHarness, hash: string, stage: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await harness.status(hash)).json.imagebuilder_status !== stage) {
    if (Date.now() > deadline) throw new Error(`build never reached ${stage}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function workerEnv(harness: ImageBuildHarness, extra: Record<string, string> = {}): Record<string, string> {
  const settings = harness.t.config.imageBuilds;
  return {
    DATABASE_URL: harness.t.database.url,
    FLEETFLASH_DATA_DIR: harness.t.config.dataDir,
    FLEETFLASH_SECRET_KEY: 'test-secret-key-of-at-least-32-characters',
    FLEETFLASH_UPSTREAM_URL: settings.upstreamUrl,
    FLEETFLASH_IMAGEBUILDER_DIR: settings.imagebuilderDir,
    FLEETFLASH_IMAGEBUILDER_SIGNING_KEY: settings.signingKey ?? '',
    FLEETFLASH_BUILD_LEASE: '1',
    ...extra,
  };
}

describe.skipIf(skip)('builds survive their worker', () => {
  it('a worker killed mid-build: another worker takes the build over after the lease and finishes it', async () => {
    h = await createImageBuildHarness({ worker: false, buildDelayMs: 2500 });
    const first = await startServer(workerEnv(h), 'worker');
    workers.push(first);
    const hash = (await h.build(request)).json.request_hash as string;
    await waitForStage(h, hash, 'building_image');
    await new Promise<void>((resolve) => {
      first.child.once('exit', () => resolve());
      first.child.kill('SIGKILL');
    });
    workers.splice(workers.indexOf(first), 1);
    workers.push(await startServer(workerEnv(h), 'worker'));
    const done = await h.waitForBuild(hash, 60_000);
    expect(done.status, JSON.stringify(done.json)).toBe(200);
    const row = await h.t.db
      .selectFrom('asuBuilds')
      .select(['attempts', 'worker'])
      .where('requestHash', '=', hash)
      .executeTakeFirstOrThrow();
    expect(row.attempts).toBe(2);
    const results = await h.t.db
      .selectFrom('asuBuildResults')
      .select('status')
      .where('requestHash', '=', hash)
      .execute();
    expect(results.map((result) => result.status)).toEqual(['success']);
  });

  it('a worker stopped gracefully hands its build back without using up an attempt', async () => {
    h = await createImageBuildHarness({ worker: false, buildDelayMs: 2000 });
    const first = await startServer(workerEnv(h), 'worker');
    const hash = (await h.build(request)).json.request_hash as string;
    await waitForStage(h, hash, 'building_image');
    // Started: the answer shows the stage, and (as ASU) no queue_position, which LuCI would show as "Queued…".
    const running = await h.status(hash);
    expect(running.status).toBe(202);
    expect(running.json).toMatchObject({ detail: 'started', imagebuilder_status: 'building_image' });
    expect(running.json).not.toHaveProperty('queue_position');
    expect(running.headers['x-queue-position']).toBe('0');
    expect(await first.stop()).toBe(0);
    const row = await h.t.db
      .selectFrom('asuBuilds')
      .select(['status', 'attempts'])
      .where('requestHash', '=', hash)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'queued', attempts: 0 });
    workers.push(await startServer(workerEnv(h), 'worker'));
    expect((await h.waitForBuild(hash, 60_000)).status).toBe(200);
    const final = await h.t.db
      .selectFrom('asuBuilds')
      .select('attempts')
      .where('requestHash', '=', hash)
      .executeTakeFirstOrThrow();
    expect(final.attempts).toBe(1);
  });
});

describe.skipIf(skip)('limits of one build', () => {
  it('stops a build at the wall-clock limit (infrastructure error: retried, then failed)', async () => {
    h = await createImageBuildHarness({
      buildDelayMs: 5000,
      env: { FLEETFLASH_BUILD_TIMEOUT: '1', FLEETFLASH_BUILD_MAX_ATTEMPTS: '1' },
    });
    const started = Date.now();
    const done = await h.waitForBuild((await h.build(request)).json.request_hash as string);
    expect(done.json).toMatchObject({ error_code: 'TIMEOUT', error_kind: 'infrastructure' });
    expect(Date.now() - started).toBeLessThan(4500);
  });

  it('refuses a build that writes more than the output limit', async () => {
    h = await createImageBuildHarness({ env: { FLEETFLASH_BUILD_MAX_OUTPUT_SIZE: '1024' } });
    const done = await h.waitForBuild((await h.build(request)).json.request_hash as string);
    expect(done.json).toMatchObject({ error_code: 'OUTPUT_TOO_LARGE', error_kind: 'user' });
  });
});

describe.skipIf(skip)('live build progress', () => {
  it('streams every stage of a build on /api/v1/events/?build=<hash>', async () => {
    h = await createImageBuildHarness({ buildDelayMs: 300 });
    const token = await makeToken(h.t.db, await makeUser(h.t.db));
    await h.t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = h.t.app.server.address() as { port: number };
    const hash = (await h.build({ ...request, packages: ['vim'] })).json.request_hash as string;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 30_000);
    const response = await fetch(`http://127.0.0.1:${address.port}/api/v1/events/?build=${hash}&last_event_id=0`, {
      headers: { authorization: token },
      signal: controller.signal,
    });
    const stages: string[] = [];
    const reader = response.body!.getReader();
    let buffer = '';
    try {
      while (!stages.includes('done')) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += new TextDecoder().decode(value);
        for (const match of buffer.matchAll(/event: build\ndata: (.*)\n/g)) {
          const stage = (JSON.parse(match[1]!) as { imagebuilder_status: string }).imagebuilder_status;
          if (stages.at(-1) !== stage && !stages.includes(stage)) stages.push(stage);
        }
      }
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
    expect(stages).toEqual([
      'queued',
      'init',
      'container_setup',
      'validate_revision',
      'validate_manifest',
      'building_image',
      'done',
    ]);
  });

  it('lets only a superuser drop a cached result', async () => {
    h = await createImageBuildHarness();
    const hash = (await h.build(request)).json.request_hash as string;
    await h.waitForBuild(hash);
    const user = await makeToken(h.t.db, await makeUser(h.t.db));
    expect(
      (await h.t.app.inject({ method: 'DELETE', url: `/api/v1/build/${hash}`, headers: { authorization: user } }))
        .statusCode,
    ).toBe(403);
    const admin = await makeToken(h.t.db, await makeUser(h.t.db, { isSuperuser: true }));
    expect(
      (await h.t.app.inject({ method: 'DELETE', url: `/api/v1/build/${hash}`, headers: { authorization: admin } }))
        .statusCode,
    ).toBe(204);
    expect((await h.status(hash)).status).toBe(404);
    expect((await h.build(request)).status).toBe(202);
  });
});
