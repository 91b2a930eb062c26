import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackgroundWork, startBackgroundWork } from '../src/composition.js';
import type { Db } from '../src/database.js';
import type { OrganizationRow } from '../src/modules/accounts/accounts.table.js';
import { EVENTS_CHANNEL, insertEvent } from '../src/platform/events.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeOrganization, makeUser } from './helpers/factories.js';
import { until } from './helpers/wait.js';

/**
 * A mass upgrade whose devices fail by the hundred notifies a bounded number of times: failed
 * operations of a batch are told in one `batch.operations_failed` digest per fold window (here 1 s),
 * or, with the window 0, inside the batch's next notice. Operations outside a batch notify alone.
 */

let folding: TestApp;
let inNotice: TestApp;
const work: BackgroundWork[] = [];

beforeAll(async () => {
  folding = await createTestApp({ FLEETFLASH_NOTIFICATION_BATCH_FAILURE_FOLD: '1' });
  inNotice = await createTestApp({ FLEETFLASH_NOTIFICATION_BATCH_FAILURE_FOLD: '0' });
  for (const app of [folding, inNotice])
    work.push(
      await startBackgroundWork(app.resources, { tasks: false, upgrades: false, builds: false, notifications: true }),
    );
});
afterAll(async () => {
  for (const part of work) await part.stop();
  await inNotice?.close();
  await folding?.close();
});

async function organizationWithWebhook(t: TestApp): Promise<OrganizationRow> {
  const org = await makeOrganization(t.db);
  await makeUser(t.db, { memberships: [{ organization: org, role: 'operator' }] });
  // Never reached (the delivery worker refuses the private address): only the deliveries queued count here.
  await t.db
    .insertInto('webhooks')
    .values({
      organizationId: org.id,
      url: 'https://10.0.0.1/',
      events: ['batch.paused', 'operation.failed', 'batch.operations_failed'],
      secretSealed: 'x',
    })
    .execute();
  return org;
}

/** Operation events as the operations table's trigger writes them, `count` failed devices of one batch. */
async function failOperations(db: Db, org: OrganizationRow, batchId: string | null, count: number, from = 0) {
  await db
    .insertInto('events')
    .values(
      Array.from({ length: count }, (_, index) => ({
        type: 'operation' as const,
        organizationId: org.id,
        batchId,
        operationId: randomUUID(),
        data: JSON.stringify({
          status: index % 2 === 0 ? 'failed' : 'aborted',
          device_name: `berlin-${String(from + index).padStart(4, '0')}`,
          error_code: index % 2 === 0 ? 'unreachable' : 'BOARD_MISMATCH',
        }),
      })),
    )
    .execute();
  await sql`SELECT pg_notify(${EVENTS_CHANNEL}, '')`.execute(db);
}

const batchEvent = (org: OrganizationRow, batchId: string, status: string) => ({
  type: 'batch' as const,
  organizationId: org.id,
  batchId,
  data: { id: batchId, build_version: '24.10.0', status, pause_detail: 'Paused by the failure threshold.' },
});

async function noticesOf(t: TestApp, org: OrganizationRow) {
  return t.db
    .selectFrom('notifications')
    .select(['id', 'event', 'title', 'detail', 'link', 'data'])
    .where('organizationId', '=', org.id)
    .orderBy('created')
    .orderBy('sourceEventId')
    .execute();
}

async function deliveriesOf(t: TestApp, org: OrganizationRow) {
  const row = await t.db
    .selectFrom('notificationDeliveries as d')
    .innerJoin('notifications as n', 'n.id', 'd.notificationId')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('n.organizationId', '=', org.id)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

describe('failures of a mass upgrade, folded', () => {
  it('tells 300 failed devices of a batch in one digest per fold window, one webhook delivery each', async () => {
    const org = await organizationWithWebhook(folding);
    const batchId = randomUUID();
    await insertEvent(folding.db, batchEvent(org, batchId, 'in-progress'));
    await failOperations(folding.db, org, batchId, 300);
    const first = await until(
      () => noticesOf(folding, org),
      (rows) => rows.length > 0,
    );
    // A moment longer: nothing else comes for these 300.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await noticesOf(folding, org)).toHaveLength(1);
    expect(first[0]).toMatchObject({
      event: 'batch.operations_failed',
      title: '300 upgrades of the mass upgrade to 24.10.0 failed or aborted',
      detail: expect.stringMatching(
        /^berlin-0000 \(failed: unreachable\), berlin-0001 \(aborted: BOARD_MISMATCH\), .* and 295 more\.$/,
      ),
      link: `/batches/${batchId}`,
    });
    expect(first[0]!.data).toMatchObject({ batch: { id: batchId }, failures: { count: 300 } });
    expect((first[0]!.data.failures as { devices: unknown[] }).devices).toHaveLength(5);
    expect(await deliveriesOf(folding, org)).toBe(1);

    // Failures after the digest wait for the next window: a second digest with them only.
    await failOperations(folding.db, org, batchId, 3, 300);
    const both = await until(
      () => noticesOf(folding, org),
      (rows) => rows.length >= 2,
    );
    expect(both.map((row) => [row.event, (row.data.failures as { count: number }).count])).toEqual([
      ['batch.operations_failed', 300],
      ['batch.operations_failed', 3],
    ]);
  });

  it('tells what waits before the batch notice that follows it, and single upgrades one by one', async () => {
    const org = await organizationWithWebhook(folding);
    const batchId = randomUUID();
    // Both in one transaction: the dispatcher reads them in one round, before any window closes.
    await folding.db.transaction().execute(async (trx) => {
      await failOperations(trx, org, batchId, 12);
      await insertEvent(trx, batchEvent(org, batchId, 'paused'));
    });
    await failOperations(folding.db, org, null, 2);
    const rows = await until(
      () => noticesOf(folding, org),
      (found) => found.length >= 4,
    );
    expect(rows.map((row) => row.event)).toEqual([
      'batch.operations_failed',
      'batch.paused',
      'operation.failed',
      'operation.failed',
    ]);
    expect(rows[0]!.data.failures).toMatchObject({ count: 12 });
  });

  it('drops the failures of a batch whose digest cannot be written, once, and tells the other batches', async () => {
    const org = await organizationWithWebhook(folding);
    const poisoned = randomUUID();
    const healthy = randomUUID();
    // A fault no check foresees (a trigger refusing one batch's digest); a sequence counts the tries,
    // as it is not rolled back with them.
    await sql
      .raw(`CREATE SEQUENCE poisoned_digest_tries;
        CREATE FUNCTION refuse_poisoned_digest() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.link = '/batches/${poisoned}' THEN
            PERFORM nextval('poisoned_digest_tries');
            RAISE EXCEPTION 'refused by the test';
          END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER refuse_poisoned_digest BEFORE INSERT ON notifications
          FOR EACH ROW EXECUTE FUNCTION refuse_poisoned_digest();`)
      .execute(folding.db);
    const waitingOf = async (batchId: string) =>
      Number(
        (
          await folding.db
            .selectFrom('notificationFoldedFailures')
            .select((eb) => eb.fn.countAll<string>().as('count'))
            .where('batchId', '=', batchId)
            .where('notificationId', 'is', null)
            .executeTakeFirstOrThrow()
        ).count,
      );
    try {
      // In one transaction: both digests fall due in the same round.
      await folding.db.transaction().execute(async (trx) => {
        await failOperations(trx, org, poisoned, 4);
        await failOperations(trx, org, healthy, 2);
      });
      const told = await until(
        () => noticesOf(folding, org),
        (rows) => rows.length > 0,
      );
      expect(told).toHaveLength(1);
      expect(told[0]).toMatchObject({ link: `/batches/${healthy}`, data: { failures: { count: 2 } } });
      expect(await waitingOf(poisoned)).toBe(0);
      expect(await waitingOf(healthy)).toBe(0);

      // Later rounds do not try the poisoned digest again.
      await failOperations(folding.db, org, null, 1);
      await until(
        () => noticesOf(folding, org),
        (rows) => rows.length > 1,
      );
      const tries = await sql<{ tries: string }>`
        SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS tries FROM poisoned_digest_tries`.execute(folding.db);
      expect(Number(tries.rows[0]!.tries)).toBe(1);
    } finally {
      await sql
        .raw(`DROP TRIGGER refuse_poisoned_digest ON notifications;
          DROP FUNCTION refuse_poisoned_digest(); DROP SEQUENCE poisoned_digest_tries;`)
        .execute(folding.db);
    }
  });

  it('with fold window 0, tells the failures inside the batch notice only', async () => {
    const org = await organizationWithWebhook(inNotice);
    const batchId = randomUUID();
    await insertEvent(inNotice.db, batchEvent(org, batchId, 'in-progress'));
    await failOperations(inNotice.db, org, batchId, 40);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await noticesOf(inNotice, org)).toEqual([]);
    await insertEvent(inNotice.db, batchEvent(org, batchId, 'paused'));
    const rows = await until(
      () => noticesOf(inNotice, org),
      (found) => found.length > 0,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ event: 'batch.paused', data: { failures: { count: 40 } } });
    expect(rows[0]!.detail).toMatch(
      /^Paused by the failure threshold\. Failed or aborted: berlin-0000 .* and 35 more\.$/,
    );
    // Told once: the batch finishing afterwards carries no failures again.
    await insertEvent(inNotice.db, batchEvent(org, batchId, 'failed'));
    const after = await until(
      () => noticesOf(inNotice, org),
      (found) => found.length > 1,
    );
    expect(after[1]).toMatchObject({ event: 'batch.failed' });
    expect(after[1]!.data).not.toHaveProperty('failures');
  });
});
