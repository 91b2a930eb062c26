import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/database.js';
import { makeUser } from '../../test/helpers/factories.js';
import { buildHardwareTable } from '../modules/firmware/hardware-table.js';
import { purgeExpiredSessionsTask } from '../modules/accounts/purge-expired-sessions.task.js';
import { TASKS } from './registry.js';
import type { TaskContext } from './task-context.js';
import { parseConfig } from '../platform/config.js';
import { createSecretBox } from '../platform/crypto.js';
import { createLogger } from '../platform/logger.js';
import { type ScheduledTask, TaskScheduler } from '../platform/scheduled-tasks.js';
import { LocalStorage } from '../platform/storage.js';

let database: TestDatabase;
const schedulers: TaskScheduler<unknown>[] = [];
const logger = createLogger('silent');

beforeAll(async () => {
  database = await createTestDatabase();
});
afterEach(async () => {
  for (const scheduler of schedulers.splice(0)) await scheduler.stop();
  await database.db.deleteFrom('scheduledTasks').execute();
});
afterAll(async () => {
  await database.close();
});

function scheduler<Context>(tasks: ScheduledTask<Context>[], context: Context): TaskScheduler<Context> {
  const created = new TaskScheduler<Context>({ db: database.db, databaseUrl: database.url, logger, tasks, context });
  schedulers.push(created as TaskScheduler<unknown>);
  return created;
}

async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function taskRow(name: string) {
  return database.db.selectFrom('scheduledTasks').selectAll().where('name', '=', name).executeTakeFirstOrThrow();
}

describe('scheduled tasks', () => {
  it('registers a row per task of the registry, and purges expired browser sessions, keeping live ones', async () => {
    const user = await makeUser(database.db);
    await database.db
      .insertInto('sessions')
      .values([
        { userId: user.id, tokenHash: Buffer.alloc(32, 1), expiresAt: new Date(Date.now() - 1000) },
        { userId: user.id, tokenHash: Buffer.alloc(32, 2), expiresAt: new Date(Date.now() + 3_600_000) },
      ])
      .execute();
    const config = parseConfig({});
    const context: TaskContext = {
      config,
      db: database.db,
      storage: new LocalStorage('/nonexistent'),
      logger,
      secrets: createSecretBox('test-secret-key-of-at-least-32-characters'),
      hardwareTable: buildHardwareTable(config.firmware.customOpenwrtImages),
      onBuildFinished: async () => {},
    };
    await scheduler(TASKS as ScheduledTask<TaskContext>[], context).start();
    const names = (await database.db.selectFrom('scheduledTasks').select('name').execute()).map((row) => row.name);
    const enabled = TASKS.filter((task) => task.enabled?.(context) ?? true);
    expect(names.sort()).toEqual(enabled.map((task) => task.name).sort());
    const sessions = () => database.db.selectFrom('sessions').select('id').where('userId', '=', user.id).execute();
    await waitFor(async () => (await sessions()).length === 1);
    await waitFor(async () => (await taskRow(purgeExpiredSessionsTask.name)).lastFinishedAt !== null);
    const row = await taskRow(purgeExpiredSessionsTask.name);
    expect(row.lastError).toBeNull();
    expect(row.nextRunAt.getTime() - Date.now()).toBeGreaterThan(3_500_000);
  });

  it('runs a task once per interval across several processes', async () => {
    let runs = 0;
    const task: ScheduledTask<null> = {
      name: 'test.count',
      intervalSeconds: 3600,
      async run() {
        runs += 1;
        await sleep(100);
      },
    };
    await Promise.all([1, 2, 3].map(() => scheduler([task], null).start()));
    await waitFor(async () => (await taskRow(task.name)).lastFinishedAt !== null);
    await sleep(500);
    expect(runs).toBe(1);
  });

  it('records a failed run and tries it again within a minute, not after the whole interval', async () => {
    const task: ScheduledTask<null> = {
      name: 'test.fail',
      intervalSeconds: 3600,
      async run() {
        throw new Error('disk on fire');
      },
    };
    await scheduler([task], null).start();
    await waitFor(async () => (await taskRow(task.name)).lastFinishedAt !== null);
    const row = await taskRow(task.name);
    expect(row.lastError).toBe('disk on fire');
    expect(row.leaseOwner).toBeNull();
    expect(row.nextRunAt.getTime() - Date.now()).toBeLessThanOrEqual(61_000);
  });

  it('hands a task running at stop back unfinished; another process runs it at once', async () => {
    const finishedBy: string[] = [];
    const make = (who: string): ScheduledTask<null> => ({
      name: 'test.handback',
      intervalSeconds: 3600,
      async run(_context, signal) {
        await Promise.race([sleep(1500), new Promise((resolve) => signal.addEventListener('abort', resolve))]);
        if (signal.aborted) throw signal.reason;
        finishedBy.push(who);
      },
    });
    const first = scheduler([make('first')], null);
    await first.start();
    await waitFor(() => first.activeCount === 1);
    await first.stop();
    const row = await taskRow('test.handback');
    expect(row).toMatchObject({ leaseOwner: null, lastFinishedAt: null });
    expect(row.nextRunAt.getTime()).toBeLessThanOrEqual(Date.now());
    const second = scheduler([make('second')], null);
    await second.start();
    await waitFor(() => finishedBy.length === 1, 10_000);
    expect(finishedBy).toEqual(['second']);
  });

  it('leaves out tasks that are not enabled in this process', async () => {
    const task: ScheduledTask<null> = {
      name: 'test.disabled',
      intervalSeconds: 60,
      enabled: () => false,
      run: async () => {},
    };
    await scheduler([task], null).start();
    expect(await database.db.selectFrom('scheduledTasks').select('name').execute()).toEqual([]);
  });

  it('takes the interval a setting decides from the context, for the schedule and after each run', async () => {
    const task: ScheduledTask<{ seconds: number }> = {
      name: 'test.setting-interval',
      intervalSeconds: ({ seconds }) => seconds,
      run: async () => {},
    };
    await scheduler([task], { seconds: 777 }).start();
    expect((await taskRow(task.name)).intervalSeconds).toBe(777);
    await waitFor(async () => (await taskRow(task.name)).lastFinishedAt !== null);
    const next = (await taskRow(task.name)).nextRunAt.getTime() - Date.now();
    expect(next).toBeGreaterThan(700_000);
    expect(next).toBeLessThanOrEqual(777_000);
  });

  it('brings the next run forward when a task interval is shortened', async () => {
    const slow: ScheduledTask<null> = { name: 'test.interval', intervalSeconds: 3600, run: async () => {} };
    await sql`INSERT INTO scheduled_tasks (name, interval_seconds, next_run_at)
      VALUES ('test.interval', 86400, now() + interval '1 day')`.execute(database.db);
    await scheduler([slow], null).start();
    const row = await taskRow('test.interval');
    expect(row.intervalSeconds).toBe(3600);
    expect(row.nextRunAt.getTime() - Date.now()).toBeLessThanOrEqual(3_600_000);
  });
});
