import type { Kysely, Transaction } from 'kysely';

/**
 * Runs `work` in `db`'s transaction when it is one, else in a new transaction: a service that must
 * write two things together (a change and its audit entry) works alone and inside a caller's use case.
 */
export function inTransaction<DB, T>(
  db: Kysely<DB> | Transaction<DB>,
  work: (trx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  return db.isTransaction ? work(db as Transaction<DB>) : db.transaction().execute(work);
}
