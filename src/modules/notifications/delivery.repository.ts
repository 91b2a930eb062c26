import { type Kysely, sql } from 'kysely';
import type { Database, Db } from '../../database.js';
import type { DeliveryRow } from './notifications.table.js';

/** The delivery worker's SQL: claiming due deliveries under a lease, and recording each attempt. */

/** NOTIFY channel that wakes delivery workers when deliveries are queued. */
export const DELIVERIES_CHANNEL = 'fleetflash_notification_deliveries';

export async function notifyDeliveryWorkers(db: Db): Promise<void> {
  await sql`SELECT pg_notify(${DELIVERIES_CHANNEL}, '')`.execute(db);
}

/** Any fixed number: the advisory lock key serialising delivery claims. */
const CLAIM_LOCK = 7_240_177;

/** Why a delivery of a deactivated webhook ended without a post (its `last_error`). */
export const WEBHOOK_DEACTIVATED = 'not sent: webhook deactivated';

/**
 * Takes up to `limit` due deliveries (pending, their time come, no live lease) for `workerId`, and
 * counts the attempt now: a worker that dies mid-attempt has still used it up, so a delivery that
 * kills its worker cannot be retried for ever.
 *
 * Fair across webhooks: each webhook's due deliveries are ranked oldest first and the claim takes
 * the first of every webhook before the second of any, so a receiver with a long backlog does not
 * hold back the others. A webhook has at most `inFlight` deliveries under a live lease (one while
 * its circuit is half-open: that attempt decides), none while its circuit is open. Claims of all
 * workers are serialised by a transaction-level advisory lock (a claim takes milliseconds): that is
 * what makes the in-flight bound exact. Pending deliveries of deactivated webhooks are cancelled
 * first, without a post (a `test` still goes out: it is sent on purpose, even to an inactive webhook).
 *
 * The cost does not grow with the backlog: per webhook only as many of its oldest due deliveries as
 * it has free places are read (LATERAL … LIMIT, along the (webhook_id, next_attempt_at) index of
 * pending rows), emails at most `limit`, and deliveries in flight from the index of leased rows.
 */
export async function claimDueDeliveries(
  db: Kysely<Database>,
  workerId: string,
  leaseSeconds: number,
  limit: number,
  inFlight: number,
): Promise<DeliveryRow[]> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${CLAIM_LOCK})`.execute(trx);
    await cancelDeliveriesOfInactiveWebhooks(trx);
    const result = await claimStatement(workerId, leaseSeconds, limit, inFlight).execute(trx);
    return result.rows;
  });
}

/** The claim's statement (claimDueDeliveries), run under the claim lock; exported for its plan's test. */
export function claimStatement(workerId: string, leaseSeconds: number, limit: number, inFlight: number) {
  // Candidates and locked rows are each picked once, in materialized CTEs: as `WHERE id IN (SELECT …
  // LIMIT n … SKIP LOCKED)` the subquery may be evaluated again and the claim take more than `limit` rows.
  return sql<DeliveryRow>`
    WITH in_flight AS MATERIALIZED (
      SELECT webhook_id, count(*)::int AS n FROM notification_deliveries
      WHERE status = 'pending' AND webhook_id IS NOT NULL
        AND lease_expires_at IS NOT NULL AND lease_expires_at >= now()
      GROUP BY webhook_id
    ), open_places AS MATERIALIZED (
      SELECT w.id, CASE WHEN w.circuit_open_until IS NULL THEN ${inFlight} ELSE 1 END - coalesce(f.n, 0) AS free
      FROM webhooks w
      LEFT JOIN in_flight f ON f.webhook_id = w.id
      WHERE w.circuit_open_until IS NULL OR w.circuit_open_until <= now()
    ), ranked AS MATERIALIZED (
      SELECT d.id, d.next_attempt_at,
        row_number() OVER (PARTITION BY p.id ORDER BY d.next_attempt_at, d.id) AS turn
      FROM open_places p
      CROSS JOIN LATERAL (
        SELECT id, next_attempt_at FROM notification_deliveries
        WHERE webhook_id = p.id AND status = 'pending' AND next_attempt_at <= now()
          AND (lease_expires_at IS NULL OR lease_expires_at < now())
        ORDER BY next_attempt_at, id
        LIMIT greatest(p.free, 0)
      ) d
      UNION ALL
      (SELECT id, next_attempt_at, 1 AS turn FROM notification_deliveries
        WHERE webhook_id IS NULL AND status = 'pending' AND next_attempt_at <= now()
          AND (lease_expires_at IS NULL OR lease_expires_at < now())
        ORDER BY next_attempt_at, id
        LIMIT ${limit})
    ), candidates AS MATERIALIZED (
      SELECT id FROM ranked
      ORDER BY turn, next_attempt_at, id
      LIMIT ${limit}
    ), due AS MATERIALIZED (
      SELECT id FROM notification_deliveries WHERE id IN (SELECT id FROM candidates)
      ORDER BY id FOR UPDATE SKIP LOCKED
    )
    UPDATE notification_deliveries d
    SET lease_owner = ${workerId}, lease_expires_at = now() + make_interval(secs => ${leaseSeconds}),
        attempts = d.attempts + 1
    FROM due
    WHERE d.id = due.id AND d.status = 'pending'
    RETURNING d.*`;
}

/**
 * Ends the pending deliveries of deactivated webhooks that no worker holds, without a post. Locks in
 * the order deleting a webhook does (the webhook, then its deliveries), and the deliveries in id
 * order: with a webhook deleted meanwhile (its deliveries go by cascade) no deadlock. FOR KEY SHARE
 * waits for a delete under way and holds off a new one, but not an edit of the webhook.
 */
async function cancelDeliveriesOfInactiveWebhooks(db: Db): Promise<void> {
  await sql`
    WITH inactive AS MATERIALIZED (
      SELECT id FROM webhooks WHERE NOT active ORDER BY id FOR KEY SHARE
    ), ended AS MATERIALIZED (
      SELECT d.id FROM notification_deliveries d
      JOIN notifications n ON n.id = d.notification_id
      WHERE d.webhook_id IN (SELECT id FROM inactive) AND d.status = 'pending' AND n.event <> 'test'
        AND (d.lease_expires_at IS NULL OR d.lease_expires_at < now())
      ORDER BY d.id
      FOR UPDATE OF d
    )
    UPDATE notification_deliveries d
    SET status = 'cancelled', finished_at = now(), last_error = ${WEBHOOK_DEACTIVATED}
    FROM ended
    WHERE d.id = ended.id AND d.status = 'pending'`.execute(db);
}

/**
 * Ends a delivery this worker holds without a post and without using an attempt (its webhook was
 * deactivated after the claim). False when the worker no longer held it.
 */
export async function cancelDelivery(db: Db, workerId: string, deliveryId: string, reason: string): Promise<boolean> {
  const updated = await db
    .updateTable('notificationDeliveries')
    .set((eb) => ({
      status: 'cancelled',
      leaseOwner: null,
      leaseExpiresAt: null,
      lastError: reason,
      attempts: eb('attempts', '-', 1),
      finishedAt: sql<Date>`now()`,
    }))
    .where('id', '=', deliveryId)
    .where('leaseOwner', '=', workerId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
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

/**
 * When the next pending delivery can be claimed (null: none pending): its retry time, its circuit's
 * cool-down, or the end of a lease another worker holds, whichever is latest. A delivery held back
 * only by its webhook's in-flight bound is left out: the end of an attempt of that webhook wakes
 * the workers (`recordDeliveryAttempt`), and asking would only spin on a past date.
 */
export async function nextDeliveryDue(db: Db, inFlight: number): Promise<Date | null> {
  const { rows } = await sql<{ due: Date | null }>`
    WITH in_flight AS (
      SELECT webhook_id, count(*)::int AS n FROM notification_deliveries
      WHERE status = 'pending' AND webhook_id IS NOT NULL AND lease_expires_at >= now()
      GROUP BY webhook_id
    )
    SELECT min(greatest(d.next_attempt_at, d.lease_expires_at, w.circuit_open_until)) AS due
    FROM notification_deliveries d
    LEFT JOIN webhooks w ON w.id = d.webhook_id
    LEFT JOIN in_flight f ON f.webhook_id = d.webhook_id
    WHERE d.status = 'pending'
      AND (d.lease_expires_at >= now() OR coalesce(f.n, 0) < CASE WHEN w.circuit_open_until IS NULL
        THEN ${inFlight} ELSE 1 END)`.execute(db);
  const due = rows[0]?.due;
  return due ? new Date(due) : null;
}

export interface AttemptRecord {
  attempt: number;
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  delivered: boolean;
  /** Host (and port) of the webhook URL the attempt was aimed at; null for emails. */
  host: string | null;
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

/**
 * What a delivery sends: its notification, the notification's organization, the webhook (its URL,
 * whether it is active, its secret, and the previous secret while the rotation's overlap lasts, by
 * the database's clock).
 */
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
        .select(['url', 'active', 'secretSealed'])
        .select(
          sql<string | null>`CASE WHEN secret_previous_until > now() THEN secret_previous_sealed END`.as(
            'previousSecretSealed',
          ),
        )
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
