import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/database.js';
import { makeUser } from '../../test/helpers/factories.js';
import type { JobContext } from '../jobs/job-context.js';
import { JOBS } from '../jobs/registry.js';
import { purgeExpiredSessionsJob } from '../modules/accounts/purge-expired-sessions.job.js';
import { parseConfig } from './config.js';
import { createLogger } from './logger.js';
import { type JobDefinition, startQueue, type Queue } from './queue.js';
import { LocalStorage } from './storage.js';

let database: TestDatabase;
let queue: Queue;
const handled: number[] = [];

const echoJob: JobDefinition<{ n: number }, JobContext> = {
  name: 'test.echo',
  parse(data) {
    const n = (data as { n?: unknown } | null)?.n;
    if (typeof n !== 'number') throw new Error('payload must be {n: number}');
    return { n };
  },
  async handle({ n }) {
    handled.push(n);
  },
  options: { retryLimit: 0, retryDelay: 1, retryBackoff: false, expireInSeconds: 30 },
};

async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  const logger = createLogger('silent');
  queue = await startQueue({
    connectionString: database.url,
    logger,
    jobs: [...JOBS, echoJob as JobDefinition<unknown, JobContext>],
    context: { config: parseConfig({}), db: database.db, storage: new LocalStorage('/nonexistent'), logger },
    work: true,
  });
});
afterAll(async () => {
  await queue.stop();
  await database.close();
});

describe('job queue', () => {
  it('runs a queued job in a worker on the same database', async () => {
    await queue.send(echoJob, { n: 41 });
    await waitFor(() => handled.includes(41));
  });

  it('refuses to queue a payload the job cannot parse', async () => {
    await expect(queue.send(echoJob, { n: 'not a number' } as unknown as { n: number })).rejects.toThrow(/payload must be/);
  });

  it('fails (does not run) a stored job whose payload is not one this code understands', async () => {
    const id = await queue.boss.send(echoJob.name, { something: 'old' }, echoJob.options);
    await waitFor(async () => (await queue.boss.getJobById(echoJob.name, id!))?.state === 'failed');
    expect(handled).not.toContain(undefined);
  });

  it('purges expired browser sessions, and keeps live ones', async () => {
    const user = await makeUser(database.db);
    await database.db.insertInto('sessions').values([
      { userId: user.id, tokenHash: Buffer.alloc(32, 1), expiresAt: new Date(Date.now() - 1000) },
      { userId: user.id, tokenHash: Buffer.alloc(32, 2), expiresAt: new Date(Date.now() + 3_600_000) },
    ]).execute();
    await queue.send(purgeExpiredSessionsJob, {});
    await waitFor(async () => (await database.db.selectFrom('sessions').select('id').where('userId', '=', user.id).execute()).length === 1);
  });

  it('schedules the recurring jobs', async () => {
    const schedules = await queue.boss.getSchedules();
    expect(schedules.map((schedule) => schedule.name)).toContain(purgeExpiredSessionsJob.name);
  });
});
