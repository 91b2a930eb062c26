import { sql, type Transaction } from 'kysely';
import { isTransientDatabaseError } from './pg-errors.js';

/**
 * Runs `work` under a savepoint of the transaction `trx`: when it throws, what it wrote is rolled
 * back to the savepoint and the transaction goes on (PostgreSQL would otherwise refuse every further
 * statement of an aborted transaction); the error is returned for the caller to log. One bad item of
 * a batch then costs that item only, not the whole transaction.
 *
 * Only errors of the item itself are returned. A transient error (isTransientDatabaseError: a
 * deadlock, a lost connection, a server shutting down) says nothing about the item, so it is thrown
 * on: the caller's whole transaction fails and is tried again, and no item is skipped for a database
 * hiccup. When the rollback to the savepoint fails too (the connection died, with or without an error
 * code), the original error is thrown with the rollback's attached as its `cause`.
 */
export async function withSavepoint<DB, T>(
  trx: Transaction<DB>,
  work: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  await sql`SAVEPOINT fleetflash_item`.execute(trx);
  try {
    const value = await work();
    await sql`RELEASE SAVEPOINT fleetflash_item`.execute(trx);
    return { ok: true, value };
  } catch (error) {
    if (isTransientDatabaseError(error)) throw error;
    try {
      await sql`ROLLBACK TO SAVEPOINT fleetflash_item`.execute(trx);
      await sql`RELEASE SAVEPOINT fleetflash_item`.execute(trx);
    } catch (rollbackError) {
      throw withCause(error, rollbackError);
    }
    return { ok: false, error };
  }
}

/**
 * `error` itself (its stack and code kept, so callers still classify it) with `cause` attached; one
 * that has a cause of its own already is kept whole beside `cause` in an AggregateError instead.
 */
function withCause(error: unknown, cause: unknown): unknown {
  if (error instanceof Error && error.cause === undefined) {
    Object.defineProperty(error, 'cause', { value: cause, configurable: true, writable: true });
    return error;
  }
  const message = error instanceof Error ? error.message : String(error);
  return new AggregateError([error, cause], `${message} (and rolling back to the savepoint failed)`, { cause });
}
