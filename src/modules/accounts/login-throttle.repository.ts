import { sql } from 'kysely';
import type { Db } from '../../database.js';

/** The per-address row of login_failures (see migrations/0005_login_throttle.sql). */
export const ADDRESS_ROW = '';

export interface FailureCount {
  username: string;
  failures: number;
  /** Whole seconds until the row's window ends (at least 1). */
  secondsLeft: number;
}

/** One counter: a (client address, username) row, or a per-address row (address key, ADDRESS_ROW). */
export interface FailureRow {
  address: string;
  username: string;
}

/**
 * Adds one to the per-address row (kept under `addressKey`: an IPv6 /64, see login-throttle-address.ts)
 * and to the (address, username) row, starting a new window where the old one has passed, and returns
 * both counts. One statement: the counts are atomic across every process, and both rows are locked in
 * the same order, so concurrent logins cannot deadlock. The database clock decides windows, so
 * processes with skewed clocks agree.
 */
export async function incrementLoginFailures(
  db: Db,
  rows: { perAddress: FailureRow; perUsername: FailureRow },
  windowSeconds: number,
): Promise<FailureCount[]> {
  const windowEnds = sql<Date>`now() + make_interval(secs => ${windowSeconds})`;
  return db
    .insertInto('loginFailures')
    .values([
      { ...rows.perAddress, failures: 1, windowEnds },
      { ...rows.perUsername, failures: 1, windowEnds },
    ])
    .onConflict((conflict) =>
      conflict.columns(['address', 'username']).doUpdateSet({
        failures: sql`CASE WHEN login_failures.window_ends <= now() THEN 1 ELSE login_failures.failures + 1 END`,
        windowEnds: sql`CASE
          WHEN login_failures.window_ends <= now() THEN excluded.window_ends
          ELSE login_failures.window_ends
        END`,
      }),
    )
    .returning([
      'username',
      'failures',
      sql<number>`greatest(1, ceil(extract(epoch FROM window_ends - now())))::int`.as('secondsLeft'),
    ])
    .execute();
}

/** Takes one back from the given rows (an attempt that turned out not to be a failure). */
export async function decrementLoginFailures(db: Db, rows: FailureRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .updateTable('loginFailures')
    .set({ failures: sql`greatest(failures - 1, 0)` })
    .where((eb) =>
      eb.or(rows.map((row) => eb.and([eb('address', '=', row.address), eb('username', '=', row.username)]))),
    )
    .execute();
}

/** The counts of the given rows whose window has not passed (rows without failures are absent). */
export async function readLoginFailures(db: Db, rows: FailureRow[]): Promise<FailureCount[]> {
  return db
    .selectFrom('loginFailures')
    .where((eb) =>
      eb.or(rows.map((row) => eb.and([eb('address', '=', row.address), eb('username', '=', row.username)]))),
    )
    .where('windowEnds', '>', sql<Date>`now()`)
    .select([
      'username',
      'failures',
      sql<number>`greatest(1, ceil(extract(epoch FROM window_ends - now())))::int`.as('secondsLeft'),
    ])
    .execute();
}

export async function deleteLoginFailures(db: Db, address: string, username: string): Promise<void> {
  await db.deleteFrom('loginFailures').where('address', '=', address).where('username', '=', username).execute();
}

/** Deletes rows whose window has passed; returns how many. */
export async function deleteExpiredLoginFailures(db: Db): Promise<number> {
  const result = await db.deleteFrom('loginFailures').where('windowEnds', '<=', sql<Date>`now()`).executeTakeFirst();
  return Number(result.numDeletedRows);
}
