import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { SIMULATED_BOARDS } from '../simulator/fleet.js';
import { startUpstreamFixture, type UpstreamFixture } from './helpers/asu-upstream.js';
import { makeSysupgradeImage } from './helpers/firmware-file.js';
import { makeToken, makeUser } from './helpers/factories.js';
import { multipart } from './helpers/http.js';
import { startServer, type ServerProcess } from './helpers/process.js';
import { startTestS3, type TestS3 } from './helpers/s3.js';
import { openStream, type OpenStream } from './helpers/sse.js';
import { MAKE, skipWithout, ZSTD } from './helpers/system-tools.js';
import { createHarness, FAST_UPGRADE_SETTINGS, TARGET_RELEASE, type Harness } from './helpers/upgrade-harness.js';

/**
 * Many nodes, as on different machines: two `fleetflash api` and two `fleetflash worker` processes,
 * each with a data folder of its own (no shared disk), on one PostgreSQL server started apart from
 * them (the test run's) and one object store (s3rver standing in for a real one). Their DATABASE_URL
 * and the direct FLEETFLASH_DATABASE_LISTEN_URL carry different application names, as a pooler and
 * the server itself would: every LISTEN must arrive on the direct one.
 */

const skipBuilds = skipWithout(import.meta.url, [MAKE, ZSTD]);

const POOLED = 'fleetflash-through-pooler';
const DIRECT = 'fleetflash-direct';

let s3: TestS3;
let upstream: UpstreamFixture;
let h: Harness;
let token: string;
const dataDirs: string[] = [];
const apis: ServerProcess[] = [];
const workers: ServerProcess[] = [];

function withApplicationName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('application_name', name);
  return parsed.toString();
}

function privateFolder(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  // Builds may run as `nobody` when the tests run as root: the folder must be traversable.
  chmodSync(dir, 0o755);
  dataDirs.push(dir);
  return dir;
}

function nodeEnv(): Record<string, string> {
  return {
    ...FAST_UPGRADE_SETTINGS,
    ...s3.env(),
    LOG_LEVEL: 'info',
    DATABASE_URL: withApplicationName(h.t.database.url, POOLED),
    FLEETFLASH_DATABASE_LISTEN_URL: withApplicationName(h.t.database.url, DIRECT),
    FLEETFLASH_DATA_DIR: privateFolder('fleetflash-node-'),
    FLEETFLASH_SECRET_KEY: 'test-secret-key-of-at-least-32-characters',
    FLEETFLASH_UPSTREAM_URL: upstream.url,
    FLEETFLASH_IMAGEBUILDER_DIR: privateFolder('fleetflash-node-ib-'),
    FLEETFLASH_IMAGEBUILDER_SIGNING_KEY: upstream.publicKey,
    FLEETFLASH_BUILD_RETRY_DELAY: '0.05',
    // Two operations at a time per worker: a batch of eight needs both of them.
    FLEETFLASH_UPGRADE_CONCURRENCY: '2',
  };
}

async function call(node: ServerProcess, method: string, url: string, body?: unknown) {
  const response = await fetch(`${node.url}${url}`, {
    method,
    headers: { authorization: token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) };
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  s3 = await startTestS3();
  upstream = await startUpstreamFixture({});
  // The in-process harness only sets up the fixture (organization, credentials, routers); the nodes are processes.
  h = await createHarness(s3.env());
  token = await makeToken(h.db, await makeUser(h.db, { isSuperuser: true }));
  // One node first: the others then start from tsx's warm compile cache rather than all compiling at once.
  apis.push(await startServer(nodeEnv(), 'api'));
  const others = await Promise.all([
    startServer(nodeEnv(), 'api'),
    startServer(nodeEnv(), 'worker'),
    startServer(nodeEnv(), 'worker'),
  ]);
  apis.push(others[0]!);
  workers.push(others[1]!, others[2]!);
}, 90_000);

afterAll(async () => {
  await Promise.all([...apis, ...workers].map((node) => node.stop()));
  await h?.close();
  await upstream?.close();
  await s3?.close();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

describe('two api and two worker processes on one PostgreSQL and one object store', () => {
  it('open every LISTEN on the direct connection, none through the pooled one', async () => {
    const sessions = await until('every listener connected', 20_000, async () => {
      const { rows } = await sql<{ applicationName: string; query: string }>`
        SELECT application_name, query FROM pg_stat_activity WHERE datname = current_database()
          AND application_name IN (${POOLED}, ${DIRECT})`.execute(h.db);
      // Two API nodes (the event feed) and two workers (upgrades, image builds).
      const listening = rows.filter((row) => /^LISTEN /i.test(row.query));
      return listening.length >= 2 + 2 * 2 ? rows : undefined;
    });
    const listening = sessions.filter((row) => /^LISTEN /i.test(row.query));
    expect(new Set(listening.map((row) => row.applicationName))).toEqual(new Set([DIRECT]));
    expect(sessions.some((row) => row.applicationName === POOLED)).toBe(true);
  });

  it('serve through API node B an image uploaded through API node A', async () => {
    const [a, b] = apis as [ServerProcess, ServerProcess];
    const build = await call(a, 'POST', '/api/v1/firmware/build/', {
      category: h.categoryId,
      version: `${TARGET_RELEASE.version}-many-nodes`,
      os: `OpenWrt ${TARGET_RELEASE.version} r99999-many`,
    });
    expect(build.status, build.text).toBe(201);
    const board = SIMULATED_BOARDS[0]!;
    const content = makeSysupgradeImage({
      payloadSize: 256 * 1024,
      supportedDevices: [board.boardName],
      target: board.target,
      board: board.boardName.replace(',', '_'),
      version: TARGET_RELEASE.version,
      revision: 'r99999-many',
    });
    const body = multipart([
      { name: 'file', fileName: `openwrt-${TARGET_RELEASE.version}-${board.imageType}`, content },
    ]);
    const uploaded = await fetch(`${a.url}/api/v1/firmware/build/${build.json().id}/image/`, {
      method: 'POST',
      headers: { authorization: token, ...body.headers },
      body: body.payload,
    });
    expect(uploaded.status).toBe(201);
    const image = (await uploaded.json()) as { id: string };
    const download = await fetch(`${b.url}/api/v1/firmware/build/${build.json().id}/image/${image.id}/download/`, {
      headers: { authorization: token },
    });
    expect(download.status).toBe(200);
    expect(
      createHash('sha256')
        .update(Buffer.from(await download.arrayBuffer()))
        .digest('hex'),
    ).toBe(createHash('sha256').update(content).digest('hex'));
  });

  it('run a mass upgrade on both workers, with its live events on both API nodes', async () => {
    const [a, b] = apis as [ServerProcess, ServerProcess];
    await h.newCategory();
    const old = await h.addImage();
    const devices = [];
    for (let index = 0; index < 8; index += 1) {
      const added = await h.addRouter({ rebootMs: 300 });
      await h.markInstalled(added.deviceId, old.imageId);
      devices.push(added);
    }
    const target = await h.addImage();
    const streams: OpenStream[] = [];
    try {
      for (const node of apis) streams.push(await openStream(`${node.url}/api/v1/events/`, { authorization: token }));
      for (const stream of streams) expect(stream.status).toBe(200);
      const launched = await call(a, 'POST', `/api/v1/firmware/build/${target.buildId}/upgrade/`, {});
      expect(launched.status, launched.text).toBe(201);
      const batchId = launched.json().batch as string;
      const batchDone = (messages: { event: string; data: Record<string, unknown> | undefined }[]) =>
        messages.some((m) => m.event === 'batch' && m.data?.id === batchId && m.data?.status === 'success');
      await Promise.all(streams.map((stream, i) => stream.waitFor(batchDone, 60_000, `batch success on API ${i}`)));
      const batch = await call(b, 'GET', `/api/v1/firmware/batch-upgrade-operation/${batchId}/`);
      expect(batch.json()).toMatchObject({ status: 'success' });
      for (const stream of streams) {
        const operations = new Set(stream.messages.filter((m) => m.event === 'operation').map((m) => m.data?.id));
        expect(operations.size).toBeGreaterThanOrEqual(devices.length);
      }
    } finally {
      for (const stream of streams) stream.close();
    }
    for (const { router } of devices) expect(router.flashCount).toBe(1);
    // Each worker logs which operations it ran: both took part.
    for (const worker of workers) {
      const ended = worker.output().match(/"msg":"upgrade operation run ended"/g) ?? [];
      expect(ended.length, worker.output()).toBeGreaterThanOrEqual(1);
    }
  }, 80_000);

  it.skipIf(skipBuilds)(
    'build an image on either worker and serve its files from both API nodes',
    async () => {
      const [a, b] = apis as [ServerProcess, ServerProcess];
      const request = { target: 'ath79/generic', version: '23.05.3', profile: 'tplink,archer-c7-v2', packages: [] };
      const started = await call(a, 'POST', '/api/v1/build', request);
      expect([200, 202], started.text).toContain(started.status);
      const hash = started.json().request_hash as string;
      const done = await until('the build', 60_000, async () => {
        const answer = await call(b, 'GET', `/api/v1/build/${hash}`);
        return answer.status === 202 ? undefined : answer;
      });
      expect(done.status, done.text).toBe(200);
      // The worker that ran it says so in its log (the row forgets its worker once done).
      const ranIt = await until('the log line of the build', 5_000, async () => {
        const found = workers.filter((worker) => worker.output().includes(`"build":"${hash}"`));
        return found.length > 0 ? found : undefined;
      });
      expect(ranIt.length).toBe(1);
      const images = done.json().images as { name: string; sha256: string }[];
      expect(images.length).toBeGreaterThan(0);
      for (const node of apis) {
        for (const image of images) {
          const file = await fetch(`${node.url}/store/${hash}/${image.name}`);
          expect(file.status).toBe(200);
          expect(
            createHash('sha256')
              .update(Buffer.from(await file.arrayBuffer()))
              .digest('hex'),
          ).toBe(image.sha256);
        }
      }
    },
    70_000,
  );
});
