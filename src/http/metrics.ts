import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AuthCache } from '../modules/accounts/auth-cache.js';
import type { CatalogCache } from '../platform/catalog-cache.js';
import type { EventPump } from '../platform/events.js';

/**
 * Prometheus metrics at /metrics: process metrics plus a request histogram by route pattern
 * (not raw URL, so ids do not explode the label set). One registry per app instance.
 */
export function registerMetrics(app: FastifyInstance): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'fleetflash_' });
  const duration = new Histogram({
    name: 'fleetflash_http_request_duration_seconds',
    help: 'HTTP request duration by route, method and status.',
    labelNames: ['route', 'method', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe({ route, method: request.method, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  app.get(
    '/metrics',
    {
      config: { public: true },
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics',
        response: { 200: { type: 'string', description: 'Prometheus text exposition format' } },
      },
    },
    async (_request, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    },
  );
  return registry;
}

/** Live event streams of this process: open now, and opened since start. */
export function registerEventStreamMetrics(registry: Registry, events: EventPump): void {
  new Gauge({
    name: 'fleetflash_event_streams_open',
    help: 'Live event streams (GET /api/v1/events/) open in this process.',
    registers: [registry],
    collect() {
      this.set(events.subscriptions.open);
    },
  });
  new Counter({
    name: 'fleetflash_event_streams_opened_total',
    help: 'Live event streams opened in this process since it started.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(events.subscriptions.opened);
    },
  });
}

/** The per-process cache of authenticated credentials (auth-cache.ts): answers from memory and lookups. */
export function registerAuthCacheMetrics(registry: Registry, cache: AuthCache): void {
  new Counter({
    name: 'fleetflash_auth_cache_hits_total',
    help: 'Requests authenticated from the per-process credential cache since the process started.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(cache.stats.hits);
    },
  });
  new Counter({
    name: 'fleetflash_auth_cache_misses_total',
    help: 'Credential cache lookups that found no valid entry (then the database was asked) since start.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(cache.stats.misses);
    },
  });
}

/** The per-process cache of build lists (catalog-cache.ts): pages answered from memory, and not. */
export function registerCatalogCacheMetrics(registry: Registry, cache: CatalogCache): void {
  new Counter({
    name: 'fleetflash_list_cache_hits_total',
    help: 'Build list pages answered from the per-process list cache since the process started.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(cache.stats.hits);
    },
  });
  new Counter({
    name: 'fleetflash_list_cache_misses_total',
    help: 'Build list pages the list cache did not hold (then the database was asked) since start.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(cache.stats.misses);
    },
  });
}
