import { sql, type Transaction } from 'kysely';

/**
 * Runs `work` under a savepoint of the transaction `trx`: when it throws, what it wrote is rolled
 * back to the savepoint and the transaction goes on (PostgreSQL would otherwise refuse every further
 * statement of an aborted transaction); the error is returned for the caller to log. One bad item of
 * a batch then costs that item only, not the whole transaction.
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
    await sql`ROLLBACK TO SAVEPOINT fleetflash_item`.execute(trx);
    await sql`RELEASE SAVEPOINT fleetflash_item`.execute(trx);
    return { ok: false, error };
  }
}
