import pg from 'pg';
import PgBoss from 'pg-boss';
import type { Logger } from './logger.js';

/** Arbitrary constant shared by every fleetflash process: serialises queue set-up. */
const QUEUE_SETUP_LOCK_KEY = 4_126_557_303;

/**
 * Runs `work` while holding a session advisory lock. pg-boss creates a partition table per queue
 * (DDL on its job table); two processes doing that at once can deadlock, so set-up takes turns.
 */
async function withSetupLock<T>(connectionString: string, work: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString, application_name: 'fleetflash-queue-setup' });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [QUEUE_SETUP_LOCK_KEY]);
    return await work();
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [QUEUE_SETUP_LOCK_KEY]).catch(() => {});
    await client.end();
  }
}

/**
 * Background jobs on pg-boss, in the same PostgreSQL as everything else. Each job is one file
 * exporting a `JobDefinition`; `src/jobs/registry.ts` lists them all. Payloads are untrusted until
 * `parse` accepts them: a job may have been queued by an older fleetflash.
 */
export interface JobDefinition<Payload, Context> {
  name: string;
  /** Checks an untrusted payload; throws when it is not one this code can run. */
  parse(data: unknown): Payload;
  handle(payload: Payload, context: Context): Promise<void>;
  /** Retries, expiry and the like, stated explicitly per job. */
  options: { retryLimit: number; retryDelay: number; retryBackoff: boolean; expireInSeconds: number };
  /** Cron expression (UTC) for jobs the queue starts on its own. */
  schedule?: string;
}

export interface QueueOptions<Context> {
  connectionString: string;
  logger: Logger;
  jobs: readonly JobDefinition<unknown, Context>[];
  context: Context;
  /** Run handlers and schedules in this process (roles serve and worker); the api role only sends. */
  work: boolean;
}

export interface Queue {
  send<P>(job: JobDefinition<P, unknown>, payload: P): Promise<string | null>;
  stop(): Promise<void>;
  readonly boss: PgBoss;
}

export async function startQueue<Context>(options: QueueOptions<Context>): Promise<Queue> {
  const { logger } = options;
  const boss = new PgBoss({
    connectionString: options.connectionString,
    schema: 'pgboss',
    application_name: 'fleetflash-queue',
    max: 4,
    // Only processes that run jobs also run pg-boss's maintenance and cron scheduling.
    supervise: options.work,
    schedule: options.work,
  });
  boss.on('error', (error) => logger.error({ err: error }, 'job queue error'));
  await withSetupLock(options.connectionString, async () => {
    await boss.start();
    for (const job of options.jobs) {
      if (!(await boss.getQueue(job.name))) await boss.createQueue(job.name, { name: job.name, ...job.options });
    }
  });
  if (options.work) {
    for (const job of options.jobs) {
      await boss.work(job.name, { batchSize: 1 }, async ([raw]) => {
        if (!raw) return;
        const payload = job.parse(raw.data);
        const started = Date.now();
        await job.handle(payload, options.context);
        logger.debug({ job: job.name, id: raw.id, ms: Date.now() - started }, 'job done');
      });
      if (job.schedule) await boss.schedule(job.name, job.schedule, {}, { tz: 'UTC' });
    }
  }

  return {
    boss,
    send: async (job, payload) => boss.send(job.name, job.parse(payload) as object, job.options),
    stop: () => boss.stop({ graceful: true, timeout: 10_000, wait: true }),
  };
}
