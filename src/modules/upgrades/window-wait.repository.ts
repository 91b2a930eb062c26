import { sql } from 'kysely';
import type { Db } from '../../database.js';
import { RUNNING_BATCH_STATUSES } from './upgrades.table.js';

/**
 * SQL of operations waiting for their maintenance window. A waiting operation is `pending` with
 * `waiting_window_id` set and `next_attempt_at` at the window's next opening: it holds no worker slot
 * and no place in its batch's max_concurrent, and a claim clears the wait (claimOperations).
 */

/**
 * Back to pending until the window opens, `delaySeconds` from now by the database's clock (the moment
 * was computed on the worker's clock; the delay carries it over). The attempt is not counted: the claim
 * that counted it found the window closed and did nothing. A first attempt is "not started" again. A
 * takeover is no exception: its claim added one to the crashed attempt's number, so taking that one back
 * leaves the crashed attempt counted (and, being past the first, started), as upgrade-windows.e2e shows.
 */
export async function rescheduleForWindow(
  db: Db,
  id: string,
  owner: string,
  wait: { delaySeconds: number; windowId: string; opensAt: Date | null },
): Promise<boolean> {
  const result = await db
    .updateTable('upgradeOperations')
    .where('id', '=', id)
    .where('leaseOwner', '=', owner)
    .where('status', '=', 'in-progress')
    .where('flashStartedAt', 'is', null)
    .set((eb) => ({
      status: 'pending',
      nextAttemptAt: sql<Date>`now() + make_interval(secs => ${wait.delaySeconds})`,
      attempt: sql<number>`${eb.ref('attempt')} - 1`,
      startedAt: sql<Date | null>`CASE WHEN ${eb.ref('attempt')} <= 1 THEN NULL ELSE ${eb.ref('startedAt')} END`,
      waitingWindowId: wait.windowId,
      windowOpensAt: wait.opensAt,
      leaseOwner: null,
      leaseExpiresAt: null,
      modified: new Date(),
    }))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The window a mass upgrade names (its plan option maintenance_window), if any. */
export async function findBatchWindowId(db: Db, batchId: string): Promise<string | null> {
  const row = await db
    .selectFrom('batchUpgradeOperations')
    .select('maintenanceWindowId')
    .where('id', '=', batchId)
    .executeTakeFirst();
  return row?.maintenanceWindowId ?? null;
}

/**
 * Operations waiting for the window (it changed, or is being deleted) become due now, in one statement, so
 * that a worker decides them again under the new hours. Returns how many.
 */
export async function wakeOperationsWaitingFor(db: Db, windowId: string): Promise<number> {
  const result = await db
    .updateTable('upgradeOperations')
    .set({ nextAttemptAt: new Date(), modified: new Date() })
    .where('waitingWindowId', '=', windowId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The device's operation waiting for a window (its group or location changed) becomes due now. */
export async function wakeDeviceWindowWait(db: Db, deviceId: string): Promise<string[]> {
  const rows = await db
    .updateTable('upgradeOperations')
    .set({ nextAttemptAt: new Date(), modified: new Date() })
    .where('deviceId', '=', deviceId)
    .where('status', '=', 'pending')
    .where('waitingWindowId', 'is not', null)
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

/**
 * A window that never opens (no period longer than the end margin) which an operation of the batch waits
 * for, until its next look (operations made due are being decided again, so they do not count).
 */
export async function findNeverOpeningWindow(db: Db, batchId: string): Promise<{ name: string } | undefined> {
  return db
    .selectFrom('upgradeOperations as o')
    .innerJoin('maintenanceWindows as w', 'w.id', 'o.waitingWindowId')
    .select('w.name')
    .where('o.batchId', '=', batchId)
    .where('o.status', '=', 'pending')
    .where('o.windowOpensAt', 'is', null)
    .where('o.nextAttemptAt', '>', sql<Date>`now()`)
    .limit(1)
    .executeTakeFirst();
}

/** The batch's operations waiting for a window that never opens look again as soon as the batch resumes. */
export async function wakeNeverOpeningWaits(db: Db, batchId: string): Promise<void> {
  await db
    .updateTable('upgradeOperations')
    .set({ nextAttemptAt: new Date(), modified: new Date() })
    .where('batchId', '=', batchId)
    .where('status', '=', 'pending')
    .where('waitingWindowId', 'is not', null)
    .where('windowOpensAt', 'is', null)
    .execute();
}

/** Running mass upgrades (scheduled, in progress, paused) that name the window. */
export async function countRunningBatchesUsing(db: Db, windowId: string): Promise<number> {
  const row = await db
    .selectFrom('batchUpgradeOperations')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('maintenanceWindowId', '=', windowId)
    .where('status', 'in', RUNNING_BATCH_STATUSES)
    .executeTakeFirstOrThrow();
  return row.count;
}
