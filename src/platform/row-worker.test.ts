import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/database.js';
import { createLogger } from './logger.js';
import { LeaseLost, RowWorker, type RowWorkerOptions } from './row-worker.js';

/**
 * The row-worker against a table of its own: rows due when unowned or when their lease ran out,
 * claimed with SKIP LOCKED, as upgrades and builds claim theirs.
 */
let database: TestDatabase;
const workers: RowWorker<string>[] = [];
const CHANNEL = 'row_worker_test';

class Stopping extends Error {}

beforeAll(async () => {
  database = await createTestDatabase();
  await sql`
    CREATE TABLE test_rows (
      id text PRIMARY KEY,
      owner text,
      lease_expires_at timestamptz,
      runs int NOT NULL DEFAULT 0,
      done boolean NOT NULL DEFAULT false,
      not_before timestamptz NOT NULL DEFAULT now()
    )`.execute(database.db);
});
afterEach(async () => {
  for (const worker of workers.splice(0)) await worker.stop();
  await sql`DELETE FROM test_rows`.execute(database.db);
});
afterAll(async () => {
  await database.close();
});

function worker(
  workerId: string,
  run: RowWorkerOptions<string>['run'],
  overrides: Partial<RowWorkerOptions<string>> = {},
): RowWorker<string> {
  const { db } = database;
  const leaseSeconds = overrides.leaseSeconds ?? 1;
  const created = new RowWorker<string>({
    name: 'test row',
    workerId,
    databaseUrl: database.url,
    logger: createLogger('silent'),
    channels: [CHANNEL],
    concurrency: 2,
    leaseSeconds,
    pollMs: 60_000,
    claim: (limit) => claimRows(workerId, leaseSeconds, limit),
    renew: async (ids) =>
      (
        await sql<{ id: string }>`
      UPDATE test_rows SET lease_expires_at = now() + make_interval(secs => ${leaseSeconds})
      WHERE id = ANY(${ids}::text[]) AND owner = ${workerId} RETURNING id`.execute(db)
      ).rows.map((row) => row.id),
    keyOf: (id) => id,
    run,
    stopReason: () => new Stopping(),
    ...overrides,
  });
  workers.push(created);
  return created;
}

async function claimRows(workerId: string, leaseSeconds: number, limit: number): Promise<string[]> {
  // The due rows are picked once, in a materialized CTE: as `WHERE id IN (SELECT … LIMIT n … SKIP LOCKED)`
  // the subquery may be evaluated again and the claim return more than `limit` rows.
  const result = await sql<{ id: string }>`
    WITH due AS MATERIALIZED (
      SELECT id FROM test_rows WHERE NOT done AND not_before <= now() AND (owner IS NULL OR lease_expires_at < now())
      ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    UPDATE test_rows t SET owner = ${workerId}, lease_expires_at = now() + make_interval(secs => ${leaseSeconds}),
      runs = t.runs + 1
    FROM due WHERE t.id = due.id
    RETURNING t.id`.execute(database.db);
  return result.rows.map((row) => row.id);
}

async function finish(id: string, owner: string): Promise<void> {
  await sql`UPDATE test_rows SET done = true, owner = NULL, lease_expires_at = NULL
    WHERE id = ${id} AND owner = ${owner}`.execute(database.db);
}

async function addRows(...ids: string[]): Promise<void> {
  for (const id of ids) await sql`INSERT INTO test_rows (id) VALUES (${id})`.execute(database.db);
}

async function notify(): Promise<void> {
  await sql`SELECT pg_notify(${CHANNEL}, '')`.execute(database.db);
}

async function rows(): Promise<{ id: string; owner: string | null; runs: number; done: boolean }[]> {
  return (
    await sql<{ id: string; owner: string | null; runs: number; done: boolean }>`
    SELECT id, owner, runs, done FROM test_rows ORDER BY id`.execute(database.db)
  ).rows;
}

async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves when aborted, with the reason. */
function aborted(signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(signal.reason);
    else signal.addEventListener('abort', () => resolve(signal.reason), { once: true });
  });
}

describe('row-worker', () => {
  it('claims rows present at start, runs each once, never more than its concurrency at a time', async () => {
    await addRows('a', 'b', 'c', 'd', 'e');
    let running = 0;
    let most = 0;
    const w = worker('w1', async (id) => {
      running += 1;
      most = Math.max(most, running);
      await sleep(100);
      running -= 1;
      await finish(id, 'w1');
    });
    await w.start();
    await waitFor(async () => (await rows()).every((row) => row.done));
    expect(most).toBe(2);
    expect((await rows()).map((row) => row.runs)).toEqual([1, 1, 1, 1, 1]);
  });

  it('wakes on a notification rather than waiting for the poll', async () => {
    const w = worker('w1', (id) => finish(id, 'w1'));
    await w.start();
    await sleep(200);
    await addRows('late');
    const sent = Date.now();
    await notify();
    await waitFor(async () => (await rows())[0]!.done, 5000);
    expect(Date.now() - sent).toBeLessThan(2000);
  });

  it('wakes when the next row falls due (nextDue), without a notification', async () => {
    await sql`INSERT INTO test_rows (id, not_before) VALUES ('delayed', now() + interval '400 milliseconds')`.execute(
      database.db,
    );
    const w = worker('w1', (id) => finish(id, 'w1'), {
      nextDue: async () =>
        (
          await sql<{ due: Date | null }>`SELECT min(not_before) AS due FROM test_rows WHERE NOT done`.execute(
            database.db,
          )
        ).rows[0]!.due,
    });
    await w.start();
    await waitFor(async () => (await rows())[0]!.done, 5000);
  });

  it('does not ask for the next due time while every slot is taken (no spin on a row already due)', async () => {
    await addRows('a', 'b');
    let asked = 0;
    const w = worker(
      'w1',
      async (id) => {
        await sleep(1000);
        await finish(id, 'w1');
      },
      {
        concurrency: 1,
        nextDue: async () => {
          asked += 1;
          // 'b' has been due all along: it waits for the slot, not for a time.
          return new Date(Date.now() - 60_000);
        },
      },
    );
    await w.start();
    await waitFor(async () => (await rows()).every((row) => row.done), 5000);
    // Old behaviour: a 10 ms sleep per look while 'a' ran, about a hundred looks per second.
    expect(asked).toBeLessThan(10);
  });

  it('hands back a row claimed while stop() runs, instead of running it to the end', async () => {
    await addRows('a');
    let release: () => void = () => {};
    const claimGate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let claimStarted = false;
    const reasons: unknown[] = [];
    const w = worker(
      'w1',
      async (id, signal) => {
        reasons.push(await Promise.race([aborted(signal), sleep(5000).then(() => 'ran to the end')]));
        await sql`UPDATE test_rows SET owner = NULL, lease_expires_at = NULL WHERE id = ${id}`.execute(database.db);
      },
      {
        claim: async (limit) => {
          claimStarted = true;
          await claimGate; // the claim is in flight when stop() aborts what runs
          return claimRows('w1', 1, limit);
        },
      },
    );
    await w.start();
    await waitFor(() => claimStarted);
    const stopped = w.stop();
    release();
    const started = Date.now();
    await stopped;
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toBeInstanceOf(Stopping);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('keeps the lease of long work with its heartbeat: a second worker does not take the row', async () => {
    await addRows('long');
    const first = worker('w1', async (id, signal) => {
      await Promise.race([sleep(2500), aborted(signal)]);
      if (!signal.aborted) await finish(id, 'w1');
    });
    await first.start();
    await waitFor(async () => (await rows())[0]!.owner === 'w1');
    const second = worker('w2', (id) => finish(id, 'w2'), { pollMs: 100 });
    await second.start();
    await waitFor(async () => (await rows())[0]!.done, 8000);
    expect((await rows())[0]!.runs).toBe(1);
  });

  it('aborts work whose lease it lost (LeaseLost by default) and lets the new owner finish the row', async () => {
    await addRows('stolen');
    const reasons: unknown[] = [];
    const w = worker('w1', async (_id, signal) => {
      reasons.push(await aborted(signal));
    });
    await w.start();
    await waitFor(async () => (await rows())[0]!.owner === 'w1');
    await sql`UPDATE test_rows SET owner = 'someone-else' WHERE id = 'stolen'`.execute(database.db);
    await waitFor(() => reasons.length === 1, 3000);
    expect(reasons[0]).toBeInstanceOf(LeaseLost);
    await waitFor(() => w.activeCount === 0);
    expect((await rows())[0]!.owner).toBe('someone-else');
  });

  it('asks lostReason why a lease was lost', async () => {
    await addRows('cancelled');
    const reasons: unknown[] = [];
    class Cancelled extends Error {}
    const w = worker(
      'w1',
      async (_id, signal) => {
        reasons.push(await aborted(signal));
      },
      { lostReason: async () => new Cancelled() },
    );
    await w.start();
    await waitFor(async () => (await rows())[0]!.owner === 'w1');
    await sql`UPDATE test_rows SET owner = NULL, done = true WHERE id = 'cancelled'`.execute(database.db);
    await waitFor(() => reasons.length === 1, 3000);
    expect(reasons[0]).toBeInstanceOf(Cancelled);
  });

  it('takes a row over once the lease of a dead worker ran out', async () => {
    await sql`INSERT INTO test_rows (id, owner, lease_expires_at, runs)
      VALUES ('orphan', 'dead', now() + interval '500 milliseconds', 1)`.execute(database.db);
    const w = worker('w1', (id) => finish(id, 'w1'), { pollMs: 100 });
    await w.start();
    await sleep(200);
    expect((await rows())[0]!.owner).toBe('dead');
    await waitFor(async () => (await rows())[0]!.done, 5000);
    expect((await rows())[0]!.runs).toBe(2);
  });

  it('on stop: aborts running work with the stop reason, waits for the hand-back, claims no more', async () => {
    await addRows('a', 'b');
    const reasons: unknown[] = [];
    const w = worker(
      'w1',
      async (id, signal) => {
        reasons.push(await aborted(signal));
        await sleep(200);
        await sql`UPDATE test_rows SET owner = NULL, lease_expires_at = NULL WHERE id = ${id} AND owner = 'w1'`.execute(
          database.db,
        );
      },
      { concurrency: 1 },
    );
    await w.start();
    await waitFor(() => w.activeCount === 1);
    await w.stop();
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toBeInstanceOf(Stopping);
    expect(w.activeCount).toBe(0);
    expect((await rows()).map((row) => [row.owner, row.runs])).toEqual([
      [null, 1],
      [null, 0],
    ]);
    await notify();
    await sleep(300);
    expect((await rows()).map((row) => row.runs)).toEqual([1, 0]);
  });

  it('bounds rows in an active phase, not waiting rows: a waiting row frees its slot, then resumes', async () => {
    const ids = Array.from({ length: 8 }, (_, index) => `r${index}`);
    await addRows(...ids);
    let busy = 0;
    let mostBusy = 0;
    let waiting = 0;
    let mostWaiting = 0;
    const busyFor = async (ms: number) => {
      busy += 1;
      mostBusy = Math.max(mostBusy, busy);
      await sleep(ms);
      busy -= 1;
    };
    const w = worker(
      'w1',
      async (id, _signal, phase) => {
        await busyFor(30);
        await phase.waiting(async () => {
          waiting += 1;
          mostWaiting = Math.max(mostWaiting, waiting);
          await sleep(600);
          waiting -= 1;
        });
        await busyFor(30);
        await finish(id, 'w1');
      },
      { concurrency: 100, activeLimit: 2 },
    );
    await w.start();
    await waitFor(async () => (await rows()).every((row) => row.done));
    // A row is done in the table just before its handler returns and frees its slot.
    await waitFor(() => w.activeCount === 0);
    expect(mostBusy).toBe(2);
    // Every row waits at once although only two may be active: waiting holds no active slot.
    expect(mostWaiting).toBe(8);
    expect((await rows()).map((row) => row.runs)).toEqual(ids.map(() => 1));
    expect(w.busyCount).toBe(0);
    expect(w.waitingCount).toBe(0);
  });

  it('hands notifications to onNotification and aborts one running row by key', async () => {
    await addRows('x', 'y');
    const reasons = new Map<string, unknown>();
    class Cancelled extends Error {}
    const w: RowWorker<string> = worker(
      'w1',
      async (id, signal) => {
        reasons.set(id, await Promise.race([aborted(signal), sleep(3000).then(() => 'not aborted')]));
      },
      { onNotification: (_channel, payload) => w.abort(payload, new Cancelled()) },
    );
    await w.start();
    await waitFor(() => w.activeCount === 2);
    expect(
      w
        .runningRows()
        .map(([key]) => key)
        .sort(),
    ).toEqual(['x', 'y']);
    await sql`SELECT pg_notify(${CHANNEL}, 'y')`.execute(database.db);
    await waitFor(() => reasons.has('y'), 2000);
    expect(reasons.get('y')).toBeInstanceOf(Cancelled);
    expect(reasons.has('x')).toBe(false);
  });

  it('counts rows a claim returned beyond its limit and claims no more until they are done', async () => {
    await addRows('a', 'b', 'c');
    const limits: number[] = [];
    let most = 0;
    const w = worker(
      'w1',
      async (id) => {
        most = Math.max(most, w.busyCount);
        await sleep(100);
        await finish(id, 'w1');
      },
      {
        concurrency: 1,
        claim: async (limit) => {
          limits.push(limit);
          // The first claim misbehaves and hands out two rows for one slot.
          return claimRows('w1', 1, limits.length === 1 ? 2 : limit);
        },
      },
    );
    await w.start();
    await waitFor(async () => (await rows()).every((row) => row.done), 5000);
    await waitFor(() => w.activeCount === 0);
    expect(most).toBe(2);
    expect(limits.every((limit) => limit === 1)).toBe(true);
    expect(w.busyCount).toBe(0);
    expect((await rows()).map((row) => row.runs)).toEqual([1, 1, 1]);
  });

  it('keeps going after a failed claim, and after work that throws', async () => {
    await addRows('a', 'b');
    let claims = 0;
    const done: string[] = [];
    const w = worker(
      'w1',
      async (id) => {
        if (id === 'a') throw new Error('boom');
        done.push(id);
        await finish(id, 'w1');
      },
      {
        pollMs: 50,
        concurrency: 1,
        claim: async (limit) => {
          claims += 1;
          if (claims === 1) throw new Error('database away');
          return claimRows('w1', 1, limit);
        },
      },
    );
    await w.start();
    await waitFor(() => done.includes('b'), 5000);
    expect(claims).toBeGreaterThan(1);
  });
});
