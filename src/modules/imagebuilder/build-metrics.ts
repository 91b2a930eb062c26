import type { Kysely } from 'kysely';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Database } from '../../database.js';
import * as statsRepository from './stats.repository.js';

/**
 * Image build metrics for Prometheus, read from the database at scrape time, so every API process
 * reports the same fleet-wide figures (totals cover the statistics retention period).
 */
export function registerBuildMetrics(registry: Registry, db: Kysely<Database>): void {
  let snapshot: Promise<Awaited<ReturnType<typeof statsRepository.totals>>> | null = null;
  // One query per scrape, shared by the metrics below.
  const current = () => {
    snapshot ??= statsRepository.totals(db).finally(() => setTimeout(() => (snapshot = null), 100));
    return snapshot;
  };
  const counter = (
    name: string,
    help: string,
    pick: (totals: Awaited<ReturnType<typeof statsRepository.totals>>) => number,
  ) =>
    new Counter({
      name,
      help,
      registers: [registry],
      async collect() {
        this.reset();
        this.inc(pick(await current()));
      },
    });
  counter(
    'fleetflash_image_build_requests_total',
    'Build requests accepted (ASU API and fleet custom images).',
    (totals) => totals.requests,
  );
  counter(
    'fleetflash_image_build_cache_hits_total',
    'Build requests answered from a stored result.',
    (totals) => totals.cacheHits,
  );
  counter('fleetflash_image_builds_succeeded_total', 'Builds that produced images.', (totals) => totals.successes);
  counter('fleetflash_image_builds_failed_total', 'Build attempts that failed.', (totals) => totals.failures);
  new Gauge({
    name: 'fleetflash_image_builds',
    help: 'Image builds queued or running now.',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const totals = await current();
      this.set({ status: 'queued' }, totals.queued);
      this.set({ status: 'started' }, totals.started);
    },
  });
}
