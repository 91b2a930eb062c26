import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RouteOptions } from 'fastify';
import { randomUUID } from 'node:crypto';
import { authRoutes } from '../modules/accounts/auth.routes.js';
import { agentRoutes } from '../modules/agent/agent.routes.js';
import { agentTokenRoutes } from '../modules/agent/agent-token.routes.js';
import { organizationRoutes } from '../modules/accounts/organization.routes.js';
import { userRoutes } from '../modules/accounts/user.routes.js';
import { auditRoutes } from '../modules/audit/audit.routes.js';
import { buildRoutes } from '../modules/firmware/build.routes.js';
import { categoryRoutes } from '../modules/firmware/category.routes.js';
import { imageRoutes } from '../modules/firmware/image.routes.js';
import { deviceRoutes } from '../modules/devices/device.routes.js';
import { healthCheckRoutes } from '../modules/health-checks/health-check.routes.js';
import { maintenanceWindowRoutes } from '../modules/maintenance-windows/maintenance-window.routes.js';
import { backupRoutes } from '../modules/backups/backup.routes.js';
import { imagePullRoutes } from '../modules/upgrades/image-pull.routes.js';
import { upgradeRoutes } from '../modules/upgrades/upgrades.routes.js';
import { batchRoutes } from '../modules/upgrades/batch.routes.js';
import { restoreRoutes } from '../modules/upgrades/restore.routes.js';
import { fleetRoutes } from '../modules/upgrades/fleet.routes.js';
import { eventRoutes } from '../modules/upgrades/events.routes.js';
import { notificationRoutes } from '../modules/notifications/notification.routes.js';
import { webhookRoutes } from '../modules/notifications/webhook.routes.js';
import { registerNotificationMetrics } from '../modules/notifications/notification-metrics.js';
import { asuRoutes } from '../modules/imagebuilder/asu.routes.js';
import { registerBuildMetrics } from '../modules/imagebuilder/build-metrics.js';
import { customImageRoutes } from '../modules/imagebuilder/custom-image.routes.js';
import { fittingImageRoutes } from '../modules/devices/fitting-images.routes.js';
import { OpenwrtCatalog } from '../modules/imagebuilder/openwrt-catalog.js';
import { UpstreamMetadata } from '../modules/imagebuilder/upstream.js';
import { EventPump, EVERYONE } from '../platform/events.js';
import { AuthCache, DEFAULT_AUTH_CACHE_MAX_ENTRIES } from '../modules/accounts/auth-cache.js';
import {
  CatalogCache,
  DEFAULT_CATALOG_CACHE_MAX_COUNTS,
  DEFAULT_CATALOG_CACHE_MAX_PAGE_BYTES,
} from '../platform/catalog-cache.js';
import { NotificationBarrier } from '../platform/db/notification-barrier.js';
import type { Logger } from '../platform/logger.js';
import type { Config } from '../platform/config.js';
import { AccessLog } from './access-log.js';
import { registerAuthentication } from './auth.js';
import type { AppDeps } from './deps.js';
import { registerErrorHandling } from './error-handler.js';
import { onClientError, onFrameworkError } from './framework-errors.js';
import { healthRoutes } from './health.routes.js';
import {
  registerAuthCacheMetrics,
  registerCatalogCacheMetrics,
  registerEventStreamMetrics,
  registerMetrics,
} from './metrics.js';
import { registerOpenApi } from './openapi.js';
import { registerSecurityHeaders } from './security-headers.js';
import { registerValidation } from './validation.js';

export interface BuildAppOptions extends Omit<AppDeps, 'events'> {
  logger: Logger;
  /** For the event feed's LISTEN connection. */
  databaseUrl: string;
  version: string;
  /** Sees every route as it is registered (the OpenAPI coverage test lists routes with it). */
  onRoute?: (route: RouteOptions) => void;
  /** Where the pull agent's script and installer are served from (default: the repository's agent/). */
  agentScriptsDir?: string;
}

/** JSON bodies are small objects; firmware files travel as multipart streams, outside this limit. */
const JSON_BODY_LIMIT = 1024 * 1024;

/**
 * Builds the HTTP application without listening: `main.ts` listens, tests call `inject()` or
 * listen on an ephemeral port.
 */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config, logger, version } = options;
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    routerOptions: { ignoreTrailingSlash: true },
    bodyLimit: JSON_BODY_LIMIT,
    trustProxy: trustProxyOption(config.server.trustProxy),
    requestIdHeader: false,
    genReqId: requestIdOf,
    logController: new AccessLog(),
    frameworkErrors: onFrameworkError(config.imageBuilds.enabled),
    clientErrorHandler: onClientError(config.imageBuilds.enabled),
  }).withTypeProvider<TypeBoxTypeProvider>();

  if (options.onRoute) {
    const observe = options.onRoute;
    app.addHook('onRoute', (route) => observe(route as RouteOptions));
  }
  // The request id (taken from X-Request-Id when the client sends one) comes back on every answer.
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  registerValidation(app);
  await registerSecurityHeaders(app);
  const webIndexFile = path.join(config.webDir, 'index.html');
  const webIndex = existsSync(webIndexFile) ? readFileSync(webIndexFile, 'utf8') : null;
  registerErrorHandling(app, webIndex);
  await app.register(cookie);
  await app.register(multipart, { throwFileSizeLimit: true });
  await registerOpenApi(app, version);
  if (webIndex !== null) {
    // Hashed asset names: cached for long; index.html (answered for the UI's routes) is not.
    // The build writes .br/.gz copies beside each file (web/vite.config.ts); source maps are never served.
    await app.register(fastifyStatic, {
      root: config.webDir,
      prefix: '/',
      wildcard: false,
      index: false,
      maxAge: '365d',
      immutable: true,
      schemaHide: true,
      preCompressed: true,
      allowedPath: (pathName) => !pathName.endsWith('.map'),
    });
  }
  const events = new EventPump(options.db, options.databaseUrl, logger);
  // Authenticated credentials and build lists are remembered per process, invalidated by the
  // database's access and catalog notifications, and used only when every notification committed
  // before a request has arrived (one round trip on the listening connection serves both).
  const barrier = new NotificationBarrier(() => events.syncNotifications());
  const authCache = new AuthCache({
    ttlMs: config.security.authCacheTtlSeconds * 1000,
    maxEntries: DEFAULT_AUTH_CACHE_MAX_ENTRIES,
    sync: () => barrier.fresh(),
  });
  events.onAccessChange((userId) => authCache.invalidate(userId === EVERYONE ? null : userId));
  const catalogCache = new CatalogCache({
    ttlMs: config.firmware.listCacheTtlSeconds * 1000,
    maxPageBytes: DEFAULT_CATALOG_CACHE_MAX_PAGE_BYTES,
    maxCounts: DEFAULT_CATALOG_CACHE_MAX_COUNTS,
    barrier,
  });
  events.onCatalogChange(() => catalogCache.invalidate());
  registerAuthentication(app, { db: options.db, config, authCache });
  const metrics = registerMetrics(app);

  await events.start();
  app.addHook('onClose', async () => events.stop());
  registerEventStreamMetrics(metrics, events);
  registerAuthCacheMetrics(metrics, authCache);
  registerCatalogCacheMetrics(metrics, catalogCache);
  registerNotificationMetrics(metrics, options.db);
  const deps: AppDeps = {
    config,
    db: options.db,
    storage: options.storage,
    hardwareTable: options.hardwareTable,
    secrets: options.secrets,
    upgraders: options.upgraders,
    events,
    catalogCache,
  };
  await app.register(healthRoutes, { ...deps, version });
  await app.register(authRoutes, deps);
  await app.register(organizationRoutes, deps);
  await app.register(userRoutes, deps);
  await app.register(categoryRoutes, deps);
  await app.register(buildRoutes, deps);
  await app.register(imageRoutes, deps);
  await app.register(deviceRoutes, deps);
  await app.register(backupRoutes, deps);
  await app.register(fittingImageRoutes, deps);
  await app.register(maintenanceWindowRoutes, deps);
  await app.register(healthCheckRoutes, deps);
  await app.register(upgradeRoutes, deps);
  await app.register(batchRoutes, deps);
  await app.register(restoreRoutes, deps);
  await app.register(imagePullRoutes, deps);
  await app.register(fleetRoutes, deps);
  await app.register(eventRoutes, deps);
  await app.register(auditRoutes, deps);
  await app.register(webhookRoutes, deps);
  await app.register(notificationRoutes, deps);
  await app.register(agentTokenRoutes, deps);
  await app.register(agentRoutes, {
    ...deps,
    ...(options.agentScriptsDir ? { agentScriptsDir: options.agentScriptsDir } : {}),
  });
  if (config.imageBuilds.enabled) {
    const upstream = new UpstreamMetadata(options.db, config.imageBuilds, logger);
    upstream.startBackgroundRefresh();
    app.addHook('onClose', async () => upstream.stop());
    const imageBuildDeps = { ...deps, catalog: new OpenwrtCatalog(upstream), version };
    await app.register(asuRoutes, imageBuildDeps);
    await app.register(customImageRoutes, imageBuildDeps);
    registerBuildMetrics(metrics, options.db);
  }
  return app;
}

/**
 * A client's X-Request-Id is kept when it is a plain short id (it is logged and echoed, so no
 * control characters, spaces or megabytes); anything else gets a generated id instead.
 */
const CLIENT_REQUEST_ID = /^[\w.-]{1,64}$/;

function requestIdOf(request: { headers: Record<string, string | string[] | undefined> }): string {
  const sent = request.headers['x-request-id'];
  return typeof sent === 'string' && CLIENT_REQUEST_ID.test(sent) ? sent : randomUUID();
}

/**
 * Fastify's own hop count trusts no hop at all (it fails closed), so a number of proxies becomes a
 * function: the first `hops` addresses from our side (the peer, then X-Forwarded-For from the
 * right) are proxies; the next one is the client.
 */
function trustProxyOption(
  setting: Config['server']['trustProxy'],
): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting !== 'number') return setting;
  return (_address, hop) => hop < setting;
}
