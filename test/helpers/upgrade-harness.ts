import type { Kysely } from 'kysely';
import { startBackgroundWork } from '../../src/composition.js';
import type { UpgradeDispatcher } from '../../src/modules/upgrades/upgrade-dispatcher.js';
import type { Database } from '../../src/database.js';
import type { Clock } from '../../src/platform/clock.js';
import { SimulatedRouter, type Faults } from '../../simulator/router.js';
import { SIMULATED_BOARDS, type BoardSpec } from '../../simulator/fleet.js';
import { createTestApp, type TestApp } from './app.js';
import { makeOrganization, makeToken, makeUser } from './factories.js';
import { makeBareImage, makeSysupgradeImage } from './firmware-file.js';
import { client, type ApiClient } from './http.js';
import { startServer, type ServerProcess } from './process.js';

/**
 * An app, an upgrade worker and simulated routers, with every wait shrunk to milliseconds.
 * `env` overrides settings (e.g. retry options) for a test.
 */

export const FAST_UPGRADE_SETTINGS: Record<string, string> = {
  FLEETFLASH_OPENWRT_CONNECT_TIMEOUT: '2',
  FLEETFLASH_OPENWRT_COMMAND_TIMEOUT: '5',
  FLEETFLASH_OPENWRT_RECONNECT_DELAY: '0.05',
  FLEETFLASH_OPENWRT_RECONNECT_RETRY_DELAY: '0.05',
  FLEETFLASH_OPENWRT_RECONNECT_MAX_RETRIES: '40',
  FLEETFLASH_OPENWRT_UPGRADE_TIMEOUT: '5',
  FLEETFLASH_RETRY_BACKOFF: '0.05',
  FLEETFLASH_RETRY_BACKOFF_MAX: '0.2',
  FLEETFLASH_RETRY_JITTER: 'false',
  FLEETFLASH_TASK_TIMEOUT: '30',
  FLEETFLASH_UPGRADE_POLL_INTERVAL: '0.05',
  FLEETFLASH_UPGRADE_LEASE: '2',
};

export const TARGET_RELEASE = { version: '23.05.3' };

export interface Harness {
  t: TestApp;
  api: ApiClient;
  db: Kysely<Database>;
  organizationId: string;
  organizationSlug: string;
  categoryId: string;
  dispatcher: UpgradeDispatcher | null;
  routers: SimulatedRouter[];
  /** Starts an upgrade worker; `clock` is the time its maintenance-window decisions read (default: the system's). */
  startWorker(options?: { clock?: Clock }): Promise<UpgradeDispatcher>;
  stopWorker(): Promise<void>;
  /**
   * Listens on 127.0.0.1 (pull agents and fetch reach the server over real HTTP) and makes a registration
   * secret for the organization (what agents enroll with).
   */
  listenForAgents(): Promise<{ base: string; secret: string }>;
  /** A simulated router registered as a device of the organization. */
  addRouter(options?: {
    faults?: Faults;
    board?: BoardSpec;
    memTotalKb?: number;
    password?: string;
    rebootMs?: number;
    os?: string;
    location?: string;
    group?: string;
    name?: string;
  }): Promise<{ router: SimulatedRouter; deviceId: string }>;
  /** A build with the target release, and an image for the board (with OpenWrt metadata). */
  addImage(options?: {
    board?: BoardSpec;
    size?: number;
    os?: string | null;
    supportedDevices?: string[];
    target?: string;
    withoutMetadata?: boolean;
  }): Promise<{ imageId: string; buildId: string; os: string }>;
  upgrade(deviceId: string, imageId: string, options?: Record<string, boolean>): Promise<string>;
  /** Starts a new firmware category: later images go into it (keeps tests of one file apart). */
  newCategory(): Promise<string>;
  /** Records, without upgrading, that a device runs an image. */
  markInstalled(deviceId: string, imageId: string): Promise<void>;
  waitForEnd(
    operationId: string,
    timeoutMs?: number,
  ): Promise<{ status: string; error_code: string | null; log: string; progress: number; attempt: number }>;
  close(): Promise<void>;
}

let versionCounter = 0;

export async function createHarness(env: Record<string, string> = {}): Promise<Harness> {
  const t = await createTestApp({ ...FAST_UPGRADE_SETTINGS, ...env });
  const api = client(t.app, await makeToken(t.db, await makeUser(t.db, { isSuperuser: true })));
  const organization = await makeOrganization(t.db);
  const credentials = await api.post('/api/v1/credentials/', {
    organization: organization.id,
    name: 'simulated',
    username: 'root',
    password: 'simulated',
    is_default: true,
  });
  if (credentials.statusCode !== 201) throw new Error(`credentials: ${credentials.body}`);
  let categoryCount = 1;
  let category = await api.post('/api/v1/firmware/category/', { name: 'routers', organization: organization.id });
  const routers: SimulatedRouter[] = [];

  const harness: Harness = {
    t,
    api,
    db: t.db,
    organizationId: organization.id,
    organizationSlug: organization.slug,
    categoryId: category.json().id as string,
    dispatcher: null,
    routers,
    async listenForAgents() {
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      const base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
      const response = await api.post(`/api/v1/organizations/${organization.id}/registration-secret/`);
      if (response.statusCode !== 201) throw new Error(`registration secret: ${response.body}`);
      return { base, secret: response.json().secret as string };
    },
    async startWorker(options = {}) {
      const work = await startBackgroundWork(t.resources, { tasks: false, upgrades: true, builds: false }, options);
      harness.dispatcher = work.upgrades!;
      return work.upgrades!;
    },
    async stopWorker() {
      await harness.dispatcher?.stop();
      harness.dispatcher = null;
    },
    async addRouter(options = {}) {
      const board = options.board ?? SIMULATED_BOARDS[0]!;
      const macHigh = String(Math.floor(routers.length / 256)).padStart(2, '0');
      const macLow = (routers.length % 256).toString(16).padStart(2, '0');
      const router = new SimulatedRouter({
        name: options.name ?? `router-${String(routers.length + 1).padStart(3, '0')}`,
        macAddress: `02:00:00:00:${macHigh}:${macLow}`,
        boardName: board.boardName,
        model: board.model,
        release: { distribution: 'OpenWrt', version: '23.05.2', revision: 'r23630-842932a63d', target: board.target },
        rebootMs: options.rebootMs ?? 100,
        password: options.password ?? 'simulated',
        faults: options.faults ?? {},
        ...(options.memTotalKb ? { memTotalKb: options.memTotalKb } : {}),
      });
      await router.start();
      routers.push(router);
      const description = router.describe();
      const device = await api.post('/api/v1/devices/', {
        organization: organization.id,
        name: description.name,
        mac_address: description.mac_address,
        model: description.model,
        board_name: board.boardName,
        os: options.os ?? description.os,
        management_ip: description.host,
        ssh_port: description.port,
        ...(options.location !== undefined ? { location: options.location } : {}),
        ...(options.group !== undefined ? { group: options.group } : {}),
      });
      if (device.statusCode !== 201) throw new Error(`device: ${device.body}`);
      return { router, deviceId: device.json().id as string };
    },
    async addImage(options = {}) {
      const board = options.board ?? SIMULATED_BOARDS[0]!;
      versionCounter += 1;
      // Each build gets its own revision: OS identifiers are unique per organization.
      const revision = `r${23809 + versionCounter}-234f1a2efa`;
      const targetOs = `OpenWrt ${TARGET_RELEASE.version} ${revision}`;
      const os = options.os === undefined ? targetOs : options.os;
      const build = await api.post('/api/v1/firmware/build/', {
        category: category.json().id,
        version: `${TARGET_RELEASE.version}-${versionCounter}`,
        os,
      });
      if (build.statusCode !== 201) throw new Error(`build: ${build.body}`);
      const content = options.withoutMetadata
        ? makeBareImage(options.size ?? 64 * 1024)
        : makeSysupgradeImage({
            payloadSize: options.size ?? 64 * 1024,
            supportedDevices: options.supportedDevices ?? [board.boardName],
            target: options.target ?? board.target,
            board: board.boardName.replace(',', '_'),
            version: TARGET_RELEASE.version,
            revision,
          });
      const image = await api.upload(`/api/v1/firmware/build/${build.json().id}/image/`, [
        { name: 'file', fileName: `openwrt-${TARGET_RELEASE.version}-${board.imageType}`, content },
      ]);
      if (image.statusCode !== 201) throw new Error(`image: ${image.body}`);
      return { imageId: image.json().id as string, buildId: build.json().id as string, os: targetOs };
    },
    async upgrade(deviceId, imageId, options = {}) {
      const response = await api.put(`/api/v1/firmware/device/${deviceId}/firmware/`, {
        image: imageId,
        upgrade_options: options,
      });
      if (response.statusCode >= 300) throw new Error(`upgrade: ${response.statusCode} ${response.body}`);
      const operation = response.json().upgrade_operation;
      if (!operation) throw new Error('no upgrade was started');
      return operation.id as string;
    },
    async newCategory() {
      categoryCount += 1;
      category = await api.post('/api/v1/firmware/category/', {
        name: `routers-${categoryCount}`,
        organization: organization.id,
      });
      if (category.statusCode !== 201) throw new Error(`category: ${category.body}`);
      harness.categoryId = category.json().id as string;
      return harness.categoryId;
    },
    async markInstalled(deviceId, imageId) {
      const response = await api.put(`/api/v1/firmware/device/${deviceId}/firmware/`, {
        image: imageId,
        installed: true,
      });
      if (response.statusCode >= 300) throw new Error(`mark installed: ${response.statusCode} ${response.body}`);
    },
    async waitForEnd(operationId, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const response = await api.get(`/api/v1/firmware/upgrade-operation/${operationId}/`);
        const body = response.json();
        if (!['pending', 'in-progress'].includes(body.status)) return body;
        if (Date.now() > deadline)
          throw new Error(`operation still ${body.status} after ${timeoutMs} ms:\n${body.log}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async close() {
      await harness.stopWorker();
      await Promise.all(routers.map((router) => router.stop()));
      await t.close();
    },
  };
  return harness;
}

/**
 * Real `fleetflash worker` processes on a harness's database (for crash and scale-out tests).
 * Call `stopAll` after each test: none may pick up the next test's operations.
 */
export function workerProcesses(harness: () => Harness, base: Record<string, string> = {}) {
  const running: ServerProcess[] = [];
  return {
    running,
    async start(extra: Record<string, string> = {}): Promise<ServerProcess> {
      const h = harness();
      const worker = await startServer(
        {
          ...FAST_UPGRADE_SETTINGS,
          DATABASE_URL: h.t.database.url,
          FLEETFLASH_DATA_DIR: h.t.config.dataDir,
          FLEETFLASH_SECRET_KEY: 'test-secret-key-of-at-least-32-characters',
          ...base,
          ...extra,
        },
        'worker',
      );
      running.push(worker);
      return worker;
    },
    /** SIGKILL: the process dies at once, holding whatever it held. */
    kill(worker: ServerProcess): Promise<void> {
      running.splice(running.indexOf(worker), 1);
      return new Promise((resolve) => {
        worker.child.once('exit', () => resolve());
        worker.child.kill('SIGKILL');
      });
    },
    /** Forget a worker the test stopped itself. */
    release(worker: ServerProcess): void {
      running.splice(running.indexOf(worker), 1);
    },
    async stopAll(): Promise<void> {
      await Promise.all(running.splice(0).map((worker) => worker.stop()));
    },
  };
}
