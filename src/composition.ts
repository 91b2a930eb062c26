import type { FastifyInstance, RouteOptions } from 'fastify';
import { buildApp } from './http/app.js';
import { JOBS } from './jobs/registry.js';
import { BuildDispatcher } from './modules/imagebuilder/build-dispatcher.js';
import { UpgradeDispatcher } from './modules/upgrades/upgrade-dispatcher.js';
import type { Config } from './platform/config.js';
import { startQueue, type Queue } from './platform/queue.js';
import type { Runtime } from './runtime.js';

/**
 * The composition root: the one place that turns opened resources into a running fleetflash. The
 * CLI (`serve`, `api`, `worker`, `demo`), the tests and the benchmarks all build the HTTP app with
 * `createHttpApp` and start background work with `startBackgroundWork`; only how they open the
 * resources differs (`openRuntime` in production, a cloned database in tests).
 */

/** What the app and the workers are built from: an opened `Runtime`, or a test's equivalent. */
export type AppResources = Pick<
  Runtime,
  'config' | 'logger' | 'db' | 'apiDb' | 'databaseUrl' | 'storage' | 'hardwareTable' | 'secrets' | 'upgraders'
>;

export interface HttpAppOptions {
  version: string;
  /** The live event feed's LISTEN connection, when it must go another way than `databaseUrl`. */
  listenerDatabaseUrl?: string;
  /** Sees every route as it is registered (the OpenAPI coverage test lists routes with it). */
  onRoute?: (route: RouteOptions) => void;
}

/** The HTTP application, not listening; requests use the API pool (`apiDb`). */
export function createHttpApp(resources: AppResources, options: HttpAppOptions): Promise<FastifyInstance> {
  const { config, logger, apiDb, storage, hardwareTable, secrets, upgraders } = resources;
  return buildApp({
    config,
    logger,
    version: options.version,
    db: apiDb,
    storage,
    hardwareTable,
    secrets,
    upgraders,
    databaseUrl: options.listenerDatabaseUrl ?? resources.databaseUrl,
    ...(options.onRoute ? { onRoute: options.onRoute } : {}),
  });
}

/** The process roles of `fleetflash serve | api | worker`. */
export type Role = 'serve' | 'api' | 'worker';

/** Which background work a process runs. */
export interface BackgroundWorkSelection {
  /** Housekeeping jobs: `run` their handlers and schedules, only `send` them (the api role), or neither. */
  jobs: 'run' | 'send' | 'none';
  /** Run upgrade operations. */
  upgrades: boolean;
  /** Run image builds. */
  builds: boolean;
}

/** What each role runs: `api` only serves requests; `serve` and `worker` run everything enabled. */
export function backgroundWorkFor(role: Role, config: Config): BackgroundWorkSelection {
  if (role === 'api') return { jobs: 'send', upgrades: false, builds: false };
  return { jobs: 'run', upgrades: true, builds: config.imageBuilds.enabled };
}

export interface BackgroundWork {
  /** The upgrade worker, when this process runs upgrades. */
  upgrades: UpgradeDispatcher | null;
  /** The image build worker, when this process runs builds. */
  builds: BuildDispatcher | null;
  /** Stops everything started; every part is stopped even when another fails. */
  stop(): Promise<void>;
}

/**
 * Starts the selected background work: the housekeeping job queue, the upgrade worker and the
 * image build worker. The one place where workers are started and stopped.
 */
export async function startBackgroundWork(
  resources: AppResources,
  selection: BackgroundWorkSelection,
): Promise<BackgroundWork> {
  const { config, logger, db, storage, secrets, upgraders, hardwareTable, databaseUrl } = resources;
  let queue: Queue | null = null;
  let upgrades: UpgradeDispatcher | null = null;
  let builds: BuildDispatcher | null = null;
  // Workers first (they finish or hand back what runs), then the queue; as `fleetflash serve` always did.
  const stop = async () => {
    const failures: unknown[] = [];
    for (const part of [upgrades, builds, queue]) await part?.stop().catch((error: unknown) => failures.push(error));
    upgrades = builds = queue = null;
    if (failures.length) throw new AggregateError(failures, 'stopping the background work failed');
  };
  try {
    if (selection.jobs !== 'none') {
      queue = await startQueue({
        connectionString: databaseUrl,
        logger,
        jobs: JOBS,
        context: { config, db, storage, logger },
        work: selection.jobs === 'run',
      });
    }
    if (selection.upgrades) {
      upgrades = new UpgradeDispatcher({ db, storage, secrets, config, logger, upgraders }, databaseUrl);
      await upgrades.start();
    }
    if (selection.builds) {
      builds = new BuildDispatcher({ db, config, storage, secrets, hardwareTable, logger }, databaseUrl);
      await builds.start();
    }
    return { upgrades, builds, stop };
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
}
