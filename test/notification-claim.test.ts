import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OrganizationRow } from '../src/modules/accounts/accounts.table.js';
import { sql } from 'kysely';
import {
  claimDueDeliveries,
  claimStatement,
  nextDeliveryDue,
  WEBHOOK_DEACTIVATED,
} from '../src/modules/notifications/delivery.repository.js';
import { insertDelivery, insertNotification } from '../src/modules/notifications/notification.repository.js';
import { insertWebhook } from '../src/modules/notifications/webhook.repository.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeOrganization } from './helpers/factories.js';

/**
 * The delivery claim against real PostgreSQL, without a worker running: webhooks take turns, the
 * in-flight bound per webhook holds across concurrent claims, an open circuit holds a webhook's
 * deliveries back (a half-open one lets one through), and deactivated webhooks' deliveries end.
 */

let t: TestApp;
let org: OrganizationRow;
const LEASE = 60;

beforeAll(async () => {
  t = await createTestApp();
  org = await makeOrganization(t.db);
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  await t.db.deleteFrom('notificationDeliveries').execute();
});

async function webhook() {
  const row = await insertWebhook(t.db, {
    organizationId: org.id,
    url: 'https://10.9.9.9/hook',
    events: ['batch.failed'],
    secretSealed: t.secrets.seal('whsec_x'),
    createdBy: null,
  });
  return row.id;
}

/** `count` due deliveries to the webhook, created `ageSeconds` ago (their first attempt due then). */
async function queue(
  webhookId: string,
  count: number,
  ageSeconds: number,
  event: 'batch.failed' | 'test' = 'batch.failed',
) {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const notification = await insertNotification(t.db, {
      event,
      organizationId: org.id,
      sourceEventId: null,
      dedupeKey: null,
      title: 'x',
      detail: '',
      link: null,
      data: {},
      occurredAt: new Date(),
    });
    const { id } = await insertDelivery(t.db, {
      notificationId: notification!.id,
      channel: 'webhook',
      webhookId,
      target: 'https://10.9.9.9/hook',
    });
    await t.db
      .updateTable('notificationDeliveries')
      .set({ nextAttemptAt: new Date(Date.now() - (ageSeconds - i) * 1000) })
      .where('id', '=', id)
      .execute();
    ids.push(id);
  }
  return ids;
}

const webhookIds = (rows: { webhookId: string | null }[]) => rows.map((row) => row.webhookId);

describe('delivery claim', () => {
  it("takes every webhook's oldest due delivery before any webhook's second", async () => {
    const [busy, quiet] = [await webhook(), await webhook()];
    await queue(busy, 5, 100);
    await queue(quiet, 1, 10);
    const claimed = await claimDueDeliveries(t.db, 'worker-1', LEASE, 2, 10);
    expect(webhookIds(claimed).sort()).toEqual([busy, quiet].sort());
    expect(claimed.every((row) => row.attempts === 1 && row.leaseOwner === 'worker-1')).toBe(true);
  });

  it('holds the in-flight bound per webhook across concurrent claims of several workers', async () => {
    const [busy, quiet] = [await webhook(), await webhook()];
    await queue(busy, 8, 100);
    await queue(quiet, 1, 10);
    const claims = await Promise.all(
      [1, 2, 3, 4].map((worker) => claimDueDeliveries(t.db, `worker-${worker}`, LEASE, 8, 2)),
    );
    const all = claims.flat();
    expect(all.filter((row) => row.webhookId === busy)).toHaveLength(2);
    expect(all.filter((row) => row.webhookId === quiet)).toHaveLength(1);
    // The rest waits for an attempt to end, so asking when to wake up does not answer "now": it
    // answers the end of the first lease (a worker that died would leave it to run out).
    const due = await nextDeliveryDue(t.db, 2);
    const firstLeaseEnd = Math.min(...all.map((row) => row.leaseExpiresAt!.getTime()));
    expect(due?.getTime()).toBe(firstLeaseEnd);
    expect(firstLeaseEnd).toBeGreaterThan(Date.now() + 30_000);
  });

  it('holds back an open circuit, lets one delivery through when half-open', async () => {
    const id = await webhook();
    await queue(id, 3, 100);
    const until = new Date(Date.now() + 60_000);
    await t.db.updateTable('webhooks').set({ circuitOpenUntil: until }).where('id', '=', id).execute();
    expect(await claimDueDeliveries(t.db, 'worker-1', LEASE, 8, 2)).toEqual([]);
    expect((await nextDeliveryDue(t.db, 2))?.getTime()).toBe(until.getTime());

    await t.db
      .updateTable('webhooks')
      .set({ circuitOpenUntil: new Date(Date.now() - 1000) })
      .where('id', '=', id)
      .execute();
    expect(await claimDueDeliveries(t.db, 'worker-1', LEASE, 8, 2)).toHaveLength(1);
    expect(await claimDueDeliveries(t.db, 'worker-2', LEASE, 8, 2)).toEqual([]);
  });

  it("ends a deactivated webhook's deliveries as cancelled without claiming them, but not a test", async () => {
    const id = await webhook();
    const events = await queue(id, 2, 100);
    const [test] = await queue(id, 1, 50, 'test');
    await t.db.updateTable('webhooks').set({ active: false }).where('id', '=', id).execute();
    const claimed = await claimDueDeliveries(t.db, 'worker-1', LEASE, 8, 2);
    expect(claimed.map((row) => row.id)).toEqual([test]);
    const ended = await t.db.selectFrom('notificationDeliveries').selectAll().where('id', 'in', events).execute();
    for (const row of ended) {
      expect(row).toMatchObject({ status: 'cancelled', attempts: 0, lastError: WEBHOOK_DEACTIVATED });
      expect(row.finishedAt).not.toBeNull();
    }
  });

  it('waits for a webhook being deleted instead of deadlocking with the cascade of its deliveries', async () => {
    const id = await webhook();
    const [first, second] = await queue(id, 2, 100);
    await t.db.updateTable('webhooks').set({ active: false }).where('id', '=', id).execute();
    let claim: Promise<unknown> | undefined;
    // A delete of the webhook as PostgreSQL runs it: the webhook's row, then its deliveries, here in
    // the order that crosses a claim locking them as they lie.
    await t.db.transaction().execute(async (trx) => {
      await trx.selectFrom('webhooks').select('id').where('id', '=', id).forUpdate().execute();
      await trx.deleteFrom('notificationDeliveries').where('id', '=', second!).execute();
      claim = claimDueDeliveries(t.db, 'worker-1', LEASE, 8, 2);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await trx.deleteFrom('notificationDeliveries').where('id', '=', first!).execute();
      await trx.deleteFrom('webhooks').where('id', '=', id).execute();
    });
    expect(await claim).toEqual([]);
  });

  it('reads a bounded number of deliveries however long the backlog', async () => {
    const busy = await webhook();
    const others: string[] = [];
    for (let i = 0; i < 30; i++) others.push(await webhook());
    const backlog = 20_000;
    const notification = await insertNotification(t.db, {
      event: 'batch.failed',
      organizationId: org.id,
      sourceEventId: null,
      dedupeKey: null,
      title: 'x',
      detail: '',
      link: null,
      data: {},
      occurredAt: new Date(),
    });
    const notificationId = notification!.id;
    // A long backlog of one webhook, older than the three deliveries each of thirty others.
    await sql`
      INSERT INTO notification_deliveries (notification_id, channel, webhook_id, target, next_attempt_at)
      SELECT ${notificationId}::uuid, 'webhook', ${busy}::uuid, 'https://10.9.9.9/hook',
        now() - make_interval(secs => 1000 + g)
      FROM generate_series(1, ${backlog}::int) AS g
      UNION ALL
      SELECT ${notificationId}::uuid, 'webhook', w, 'https://10.9.9.9/hook', now() - make_interval(secs => g)
      FROM unnest(${others}::uuid[]) AS w, generate_series(1, 3) AS g`.execute(t.db);
    await sql`ANALYZE notification_deliveries`.execute(t.db);

    // The claim's plan, run for real and rolled back: how many delivery rows each step read.
    const plan = await t.db
      .transaction()
      .execute(async (trx) => {
        const { rows } = await sql<{ 'QUERY PLAN': unknown }>`
          EXPLAIN (ANALYZE, FORMAT JSON) ${claimStatement('worker-1', LEASE, 8, 2)}`.execute(trx);
        throw Object.assign(new Error('rolled back'), { plan: rows[0]!['QUERY PLAN'] });
      })
      .catch((error: { plan?: unknown }) => error.plan);
    interface PlanNode {
      'Relation Name'?: string;
      'Actual Rows': number;
      'Actual Loops': number;
      'Rows Removed by Filter'?: number;
      Plans?: PlanNode[];
    }
    const reads: number[] = [];
    const walk = (node: PlanNode) => {
      if (node['Relation Name'] === 'notification_deliveries')
        reads.push((node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0)) * node['Actual Loops']);
      for (const child of node.Plans ?? []) walk(child);
    };
    walk((plan as { Plan: PlanNode }[])[0]!.Plan);
    expect(reads.length).toBeGreaterThan(0);
    // At most two places of each of 31 webhooks: rows by the dozen, not the 20,000 waiting.
    expect(Math.max(...reads)).toBeLessThanOrEqual(31 * 2 * 2);
    // Fair all the same: eight webhooks' oldest, the busy one's among them.
    const claimed = await claimDueDeliveries(t.db, 'worker-1', LEASE, 8, 2);
    expect(new Set(webhookIds(claimed)).size).toBe(8);
    expect(webhookIds(claimed)).toContain(busy);
  });
});
