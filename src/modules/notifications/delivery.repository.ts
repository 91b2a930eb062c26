import { sql } from 'kysely';
import type { Db } from '../../database.js';
import type { DeliveryRow } from './notifications.table.js';

/** The delivery worker's SQL: claiming due deliveries under a lease, and recording each attempt. */

/** NOTIFY channel that wakes delivery workers when deliveries are queued. */
export const DELIVERIES_CHANNEL = 'fleetflash_notification_deliveries';

export async function notifyDeliveryWorkers(db: Db): Promise<void> {
  await sql`SELECT pg_notify(${DELIVERIES_CHANNEL}, '')`.execute(db);
}

/**
 * Takes up to `limit` due deliveries (pending, their time come, no live lease) for `workerId`, and
 * counts the attempt now: a worker that dies mid-attempt has still used it up, so a delivery that
 * kills its worker cannot be retried for ever.
 */
export async function claimDueDeliveries(
  db: Db,
  workerId: string,
  leaseSeconds: number,
  limit: number,
): Promise<DeliveryRow[]> {
  // The due rows are picked once, in a materialized CTE: as `WHERE id IN (SELECT … LIMIT n … SKIP LOCKED)`
  // the subquery may be evaluated again and the claim take more than `limit` rows.
  return db
    .with(
      (cte) => cte('due').materialized(),
      (qb) =>
        qb
          .selectFrom('notificationDeliveries')
          .select('id')
          .where('status', '=', 'pending')
          .where('nextAttemptAt', '<=', sql<Date>`now()`)
          .where((eb) => eb.or([eb('leaseExpiresAt', 'is', null), eb('leaseExpiresAt', '<', sql<Date>`now()`)]))
          .orderBy('nextAttemptAt')
          .limit(limit)
          .forUpdate()
          .skipLocked(),
    )
    .updateTable('notificationDeliveries')
    .from('due')
    .set((eb) => ({
      leaseOwner: workerId,
      leaseExpiresAt: sql<Date>`now() + make_interval(secs => ${leaseSeconds})`,
      attempts: eb('notificationDeliveries.attempts', '+', 1),
    }))
    .whereRef('notificationDeliveries.id', '=', 'due.id')
    .returningAll('notificationDeliveries')
    .execute();
}

export async function renewDeliveryLeases(
  db: Db,
  workerId: string,
  ids: string[],
  leaseSeconds: number,
): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .updateTable('notificationDeliveries')
    .set({ leaseExpiresAt: sql<Date>`now() + make_interval(secs => ${leaseSeconds})` })
    .where('id', 'in', ids)
    .where('leaseOwner', '=', workerId)
    .where('status', '=', 'pending')
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

/** When the next pending delivery falls due (null: none pending). */
export async function nextDeliveryDue(db: Db): Promise<Date | null> {
  const row = await db
    .selectFrom('notificationDeliveries')
    .select((eb) => eb.fn.min('nextAttemptAt').as('due'))
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row?.due ? new Date(row.due) : null;
}

export interface AttemptRecord {
  attempt: number;
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  delivered: boolean;
}

/**
 * Records an attempt and the delivery's new state (delivered; failed for good; or pending again at
 * `retryAt`), only while `workerId` still holds the lease. False when it no longer did.
 */
export async function recordDeliveryAttempt(
  db: Db,
  workerId: string,
  deliveryId: string,
  attempt: AttemptRecord,
  retryAt: Date | null,
): Promise<boolean> {
  const status = attempt.delivered ? 'delivered' : retryAt === null ? 'failed' : 'pending';
  const updated = await db
    .updateTable('notificationDeliveries')
    .set({
      status,
      leaseOwner: null,
      leaseExpiresAt: null,
      lastStatusCode: attempt.statusCode,
      lastError: attempt.error,
      ...(retryAt ? { nextAttemptAt: retryAt } : {}),
      finishedAt: status === 'pending' ? null : sql<Date>`now()`,
    })
    .where('id', '=', deliveryId)
    .where('leaseOwner', '=', workerId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) return false;
  await db
    .insertInto('notificationDeliveryAttempts')
    .values({ deliveryId, ...attempt })
    .onConflict((oc) => oc.columns(['deliveryId', 'attempt']).doNothing())
    .execute();
  return true;
}

/** Hands a delivery back untried (the worker stops): its attempt is not counted. */
export async function releaseDelivery(db: Db, workerId: string, deliveryId: string): Promise<void> {
  await db
    .updateTable('notificationDeliveries')
    .set((eb) => ({ leaseOwner: null, leaseExpiresAt: null, attempts: eb('attempts', '-', 1) }))
    .where('id', '=', deliveryId)
    .where('leaseOwner', '=', workerId)
    .where('status', '=', 'pending')
    .execute();
}

/** What a delivery sends: its notification, the notification's organization, the webhook's secret. */
export async function loadDeliveryContent(db: Db, delivery: DeliveryRow) {
  const notification = await db
    .selectFrom('notifications as n')
    .leftJoin('organizations as o', 'o.id', 'n.organizationId')
    .selectAll('n')
    .select(['o.slug as organizationSlug', 'o.name as organizationName'])
    .where('n.id', '=', delivery.notificationId)
    .executeTakeFirst();
  const webhook = delivery.webhookId
    ? await db
        .selectFrom('webhooks')
        .select(['url', 'secretSealed'])
        .where('id', '=', delivery.webhookId)
        .executeTakeFirst()
    : undefined;
  return { notification, webhook };
}

/** Deliveries per channel and status (the metrics). */
export async function countDeliveriesByStatus(db: Db): Promise<{ channel: string; status: string; count: number }[]> {
  const rows = await db
    .selectFrom('notificationDeliveries')
    .select(['channel', 'status', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy(['channel', 'status'])
    .execute();
  return rows.map((row) => ({ ...row, count: Number(row.count) }));
}

/** Events written that the dispatcher has not read yet. */
export async function countUndispatchedEvents(db: Db): Promise<number> {
  const { rows } = await sql<{ lag: string | null }>`
    SELECT (SELECT max(id) FROM events)
      - (SELECT position FROM notification_dispatch_cursor WHERE id = 1) AS lag`.execute(db);
  return Math.max(0, Number(rows[0]?.lag ?? 0));
}
