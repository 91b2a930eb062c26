import { CamelCasePlugin, Kysely, PostgresDialect, type PostgresPool } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../src/database.js';
import { EventPump, insertEvent } from '../src/platform/events.js';
import { createLogger } from '../src/platform/logger.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { until } from './helpers/wait.js';

// The event pump's position when nobody subscribed (events.ts, catchUp): two streams that open at once on
// a quiet API node each ask for the newest event; the one whose answer comes last must not move the
// position past events the pump has not yet delivered to the other.

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

/** Holds back the queries whose text matches, until released. */
class Gate {
  private readonly held: { pattern: RegExp; once: boolean; released: Promise<void>; reached: () => void }[] = [];

  /** The next query matching `pattern` waits; `reached` resolves when it was issued. */
  hold(pattern: RegExp, once: boolean): { reached: Promise<void>; release: () => void } {
    let release = () => {};
    let reached = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const wasReached = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const entry = { pattern, once, released, reached };
    this.held.push(entry);
    return {
      reached: wasReached,
      release: () => {
        this.held.splice(this.held.indexOf(entry), 1);
        release();
      },
    };
  }

  async pass(text: string): Promise<void> {
    const entry = this.held.find((candidate) => candidate.pattern.test(text));
    if (!entry) return;
    if (entry.once) this.held.splice(this.held.indexOf(entry), 1);
    entry.reached();
    await entry.released;
  }
}

function gatedPool(url: string, gate: Gate): { pool: PostgresPool; end: () => Promise<void> } {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  return {
    pool: {
      connect: async () => {
        const client = await pool.connect();
        return new Proxy(client, {
          get(target, property) {
            if (property === 'query')
              return async (text: string, values: unknown[]) => {
                await gate.pass(text);
                return target.query(text, values);
              };
            const value = Reflect.get(target, property);
            return typeof value === 'function' ? value.bind(target) : value;
          },
        });
      },
      end: () => pool.end(),
    },
    end: () => pool.end(),
  };
}

it('leaves the position to the pump when a catch-up is answered after another stream subscribed', async () => {
  const gate = new Gate();
  const { pool } = gatedPool(database.url, gate);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] });
  const pump = new EventPump(db, database.url, createLogger('silent'), { pollIntervalMs: 100 });
  await pump.start();
  const publish = (n: number) => insertEvent(database.db, { type: 'batch', organizationId: null, data: { n } });
  try {
    await publish(1);
    // Past the pump's poll: it ran with nobody subscribed and no longer follows the position.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const firstAsks = gate.hold(/max\(/, true);
    const first = pump.catchUp();
    await firstAsks.reached;
    // The second stream's catch-up is answered first; it subscribes at once.
    await pump.catchUp();
    const received: unknown[] = [];
    pump.subscribe({ organizationIds: null }, (event) => received.push((event.data as { n: number }).n));
    // Events come; the pump does not read them before the first catch-up's (late) answer is in.
    const pumpReads = gate.hold(/"id" >/, false);
    await publish(2);
    await publish(3);
    firstAsks.release();
    await first;
    pumpReads.release();
    // The pump reads again at its next notification or poll (100 ms).
    await until(
      async () => received.length,
      (count) => count >= 2,
      3000,
    );
    expect(received).toEqual([2, 3]);
  } finally {
    await pump.stop();
    await db.destroy();
  }
});
