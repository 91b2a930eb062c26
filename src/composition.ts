import type { FastifyInstance, RouteOptions } from 'fastify';
import { buildApp } from './http/app.js';
import { BuildDispatcher } from './modules/imagebuilder/build-dispatcher.js';
import type { AsuBuildRow } from './modules/imagebuilder/imagebuilder.table.js';
import { DeliveryWorker } from './modules/notifications/delivery-worker.js';
import { NotificationDispatcher } from './modules/notifications/notification-dispatcher.js';
import { UpgradeDispatcher } from './modules/upgrades/upgrade-dispatcher.js';
import { type Clock, systemClock } from './platform/clock.js';
import type { Config } from './platform/config.js';
import { TaskScheduler } from './platform/scheduled-tasks.js';
import type { Runtime } from './runtime.js';
import { TASKS } from './tasks/registry.js';
import type { TaskContext } from './tasks/task-context.js';
import { attachFinishedBuild } from './use-cases/attach-finished-build.js';

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
> &
  Partial<Pick<Runtime, 'listenDatabaseUrl'>>;

/** The connection every LISTEN goes through (never a transaction-mode pooler): see `database_listen_url`. */
function listenUrlOf(resources: AppResources): string {
  return resources.listenDatabaseUrl ?? resources.databaseUrl;
}

export interface HttpAppOptions {
  version: string;
  /** The live event feed's LISTEN connection, when it must go another way than `databaseUrl`. */
  listenerDatabaseUrl?: string;
  /** Sees every route as it is registered (the OpenAPI coverage test lists routes with it). */
  onRoute?: (route: RouteOptions) => void;
  /** Where the pull agent's script and installer are served from (default: the repository's agent/). */
  agentScriptsDir?: string;
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
    databaseUrl: options.listenerDatabaseUrl ?? listenUrlOf(resources),
    ...(options.onRoute ? { onRoute: options.onRoute } : {}),
    ...(options.agentScriptsDir ? { agentScriptsDir: options.agentScriptsDir } : {}),
  });
}

/** The process roles of `fleetflash serve | api | worker`. */
export type Role = 'serve' | 'api' | 'worker';

/** Which background work a process runs. */
export interface BackgroundWorkSelection {
  /** Run the periodic housekeeping tasks (each runs once per interval across all processes). */
  tasks: boolean;
  /** Run upgrade operations. */
  upgrades: boolean;
  /** Run image builds. */
  builds: boolean;
  /** Turn events into notifications and send webhooks and emails (default: off). */
  notifications?: boolean;
}

/** What each role runs: `api` only serves requests; `serve` and `worker` run everything enabled. */
export function backgroundWorkFor(role: Role, config: Config): BackgroundWorkSelection {
  if (role === 'api') return { tasks: false, upgrades: false, builds: false, notifications: false };
  return { tasks: true, upgrades: true, builds: config.imageBuilds.enabled, notifications: true };
}

export interface BackgroundWork {
  /** The upgrade worker, when this process runs upgrades. */
  upgrades: UpgradeDispatcher | null;
  /** The image build worker, when this process runs builds. */
  builds: BuildDispatcher | null;
  /** The notification dispatcher and delivery worker, when this process runs them. */
  notifications: { dispatcher: NotificationDispatcher; deliveries: DeliveryWorker } | null;
  /** Stops everything started; every part is stopped even when another fails. */
  stop(): Promise<void>;
}

/**
 * Starts the selected background work: the periodic tasks, the upgrade worker, the image build
 * worker and the notification dispatcher with its delivery worker, each a use of the platform's
 * row-worker. The one place where workers are started and stopped. `options.clock` is the time the
 * upgrade worker's maintenance-window decisions read (tests give a fake one).
 */
export async function startBackgroundWork(
  resources: AppResources,
  selection: BackgroundWorkSelection,
  options: { clock?: Clock } = {},
): Promise<BackgroundWork> {
  const { config, logger, db, storage, secrets, upgraders, hardwareTable } = resources;
  const databaseUrl = listenUrlOf(resources);
  let tasks: TaskScheduler<TaskContext> | null = null;
  let upgrades: UpgradeDispatcher | null = null;
  let builds: BuildDispatcher | null = null;
  let dispatcher: NotificationDispatcher | null = null;
  let deliveries: DeliveryWorker | null = null;
  // A finished image build (done by the worker, or given up by the housekeeping task) attaches the
  // custom images that wait for it: a step into firmware and upgrades, above the imagebuilder module.
  const onBuildFinished = (build: AsuBuildRow) => attachFinishedBuild({ db, storage, hardwareTable, logger }, build);
  // Workers first (they finish or hand back what runs), then the periodic tasks.
  const stop = async () => {
    const failures: unknown[] = [];
    for (const part of [dispatcher, deliveries, upgrades, builds, tasks])
      await part?.stop().catch((error: unknown) => failures.push(error));
    upgrades = builds = tasks = null;
    dispatcher = deliveries = null;
    if (failures.length) throw new AggregateError(failures, 'stopping the background work failed');
  };
  try {
    if (selection.tasks) {
      tasks = new TaskScheduler<TaskContext>({
        db,
        databaseUrl,
        logger,
        tasks: TASKS,
        context: { config, db, storage, secrets, hardwareTable, logger, onBuildFinished },
      });
      await tasks.start();
    }
    if (selection.upgrades) {
      const clock = options.clock ?? systemClock;
      upgrades = new UpgradeDispatcher({ db, storage, secrets, config, logger, upgraders, clock }, databaseUrl);
      await upgrades.start();
    }
    if (selection.builds) {
      const buildDeps = { db, config, storage, secrets, hardwareTable, logger, onBuildFinished };
      builds = new BuildDispatcher(buildDeps, databaseUrl);
      await builds.start();
    }
    if (selection.notifications) {
      dispatcher = new NotificationDispatcher({ db, config, logger }, databaseUrl);
      await dispatcher.start();
      deliveries = new DeliveryWorker({ db, config, secrets, logger }, databaseUrl);
      await deliveries.start();
    }
    const notifications = dispatcher && deliveries ? { dispatcher, deliveries } : null;
    return { upgrades, builds, notifications, stop };
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
}
