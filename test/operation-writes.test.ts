import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelOperation, extendLeases } from '../src/modules/upgrades/operation.repository.js';
import { OperationWrites } from '../src/modules/upgrades/operation-writes.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { makeOrganization } from './helpers/factories.js';

/** The grouped log lines and progress steps of a worker's running operations (operation-writes.ts). */

let t: TestDatabase;
let organizationId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  organizationId = (await makeOrganization(t.db)).id;
});

afterAll(async () => {
  await t.close();
});

/** An operation in progress under `owner`'s lease. */
async function makeRunning(owner: string): Promise<string> {
  const device = await t.db
    .insertInto('devices')
    .values({
      organizationId,
      name: `d-${randomBytes(3).toString('hex')}`,
      macAddress: `02:${randomBytes(5).toString('hex').match(/../g)!.join(':')}`,
      boardName: 'tplink,archer-c7-v2',
      model: 'TP-Link Archer C7 v2',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const operation = await t.db
    .insertInto('upgradeOperations')
    .values({
      deviceId: device.id,
      imageId: null,
      imageSha256: 'a'.repeat(64),
      status: 'in-progress',
      leaseOwner: owner,
      leaseExpiresAt: new Date(Date.now() + 60_000),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return operation.id;
}

async function logsOf(operationId: string) {
  const result = await sql<{ seq: number; level: string; message: string; xmin: string }>`
    SELECT seq, level, message, xmin::text AS xmin FROM upgrade_operation_logs
    WHERE operation_id = ${operationId} ORDER BY seq`.execute(t.db);
  return result.rows;
}

describe('OperationWrites', () => {
  it('writes the log lines of operations asked for at once in one statement, numbered per operation', async () => {
    const writes = new OperationWrites(t.db, 'worker-a');
    const ids = await Promise.all([1, 2, 3, 4].map(() => makeRunning('worker-a')));
    await Promise.all(ids.map((id, index) => writes.appendLog(id, 'info', `line of ${index}`)));
    const rows = await Promise.all(ids.map(logsOf));
    expect(rows.map((lines) => lines.map(({ seq, message }) => ({ seq, message })))).toEqual(
      ids.map((_id, index) => [{ seq: 1, message: `line of ${index}` }]),
    );
    // One statement, one transaction: the four rows were written by the same transaction.
    expect(new Set(rows.map((lines) => lines[0]!.xmin)).size).toBe(1);
    // And one event per line, as the trigger writes for any insert.
    const events = await t.db
      .selectFrom('events')
      .select('operationId')
      .where('type', '=', 'log')
      .where('operationId', 'in', ids)
      .execute();
    expect(events).toHaveLength(4);
  });

  it("keeps one operation's writes in the order asked, a group holding at most one of them", async () => {
    const writes = new OperationWrites(t.db, 'worker-a');
    const id = await makeRunning('worker-a');
    const other = await makeRunning('worker-a');
    await Promise.all([
      writes.appendLog(id, 'info', 'first'),
      writes.updateProgress(other, 40),
      writes.appendLog(id, 'warning', 'second'),
      writes.appendLog(id, 'error', 'third'),
    ]);
    const lines = await logsOf(id);
    expect(lines.map(({ seq, level, message }) => ({ seq, level, message }))).toEqual([
      { seq: 1, level: 'info', message: 'first' },
      { seq: 2, level: 'warning', message: 'second' },
      { seq: 3, level: 'error', message: 'third' },
    ]);
    expect(new Set(lines.map((line) => line.xmin)).size).toBe(3);
  });

  it('writes a progress step only while this worker holds the operation, and says so', async () => {
    const writes = new OperationWrites(t.db, 'worker-a');
    const held = await makeRunning('worker-a');
    const takenOver = await makeRunning('worker-b');
    const cancelled = await makeRunning('worker-a');
    expect(await cancelOperation(t.db, cancelled)).toBeDefined();
    const answers = await Promise.all([
      writes.updateProgress(held, 35),
      writes.updateProgress(takenOver, 35),
      writes.updateProgress(cancelled, 35),
    ]);
    expect(answers).toEqual([true, false, false]);
    const rows = await t.db
      .selectFrom('upgradeOperations')
      .select(['id', 'progress'])
      .where('id', 'in', [held, takenOver, cancelled])
      .execute();
    expect(Object.fromEntries(rows.map((row) => [row.id, row.progress]))).toEqual({
      [held]: 35,
      [takenOver]: 0,
      [cancelled]: 0,
    });
  });

  it('rejects only the write that fails: the others of its group are written, and the next group goes on', async () => {
    const writes = new OperationWrites(t.db, 'worker-a');
    const id = await makeRunning('worker-a');
    const other = await makeRunning('worker-a');
    const third = await makeRunning('worker-a');
    // A level the table refuses (CHECK constraint): the group's statement fails as a whole.
    const answers = await Promise.allSettled([
      writes.appendLog(id, 'info', 'written with the group'),
      writes.appendLog(other, 'loud' as 'info', 'refused'),
      writes.appendLog(third, 'warning', 'written too'),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    await writes.appendLog(id, 'info', 'after the failure');
    expect((await logsOf(id)).map((line) => line.message)).toEqual(['written with the group', 'after the failure']);
    expect(await logsOf(other)).toEqual([]);
    expect((await logsOf(third)).map((line) => [line.seq, line.message])).toEqual([[1, 'written too']]);
  });

  it("stores a NUL character of a router's output as U+FFFD instead of failing the line", async () => {
    const writes = new OperationWrites(t.db, 'worker-a');
    const id = await makeRunning('worker-a');
    const other = await makeRunning('worker-a');
    await Promise.all([writes.appendLog(id, 'info', 'before\u0000after'), writes.appendLog(other, 'info', 'plain')]);
    expect((await logsOf(id)).map((line) => line.message)).toEqual(['before\uFFFDafter']);
    expect((await logsOf(other)).map((line) => line.message)).toEqual(['plain']);
  });

  it('never deadlocks with the lease renewal or another group, whatever order they name operations in', async () => {
    const writes = new OperationWrites(t.db, 'worker-a');
    const others = new OperationWrites(t.db, 'worker-a');
    const ids = await Promise.all(Array.from({ length: 24 }, () => makeRunning('worker-a')));
    const reversed = [...ids].reverse();
    for (let round = 0; round < 15; round += 1) {
      // Two groups naming the same operations in opposite orders, and renewals in both orders, all at once.
      await Promise.all([
        ...ids.map((id) => writes.appendLog(id, 'info', `round ${round}`)),
        ...reversed.map((id) => others.updateProgress(id, round)),
        extendLeases(t.db, 'worker-a', reversed, 60),
        extendLeases(t.db, 'worker-a', ids, 60),
      ]);
    }
    expect((await logsOf(ids[0]!)).map((line) => line.seq)).toEqual(Array.from({ length: 15 }, (_v, i) => i + 1));
  });
});
