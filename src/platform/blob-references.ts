import { sql, type Kysely } from 'kysely';
import type { AnyDb } from './db/database.js';
import { type ReceivedFile, type Storage, StorageUnavailableError } from './storage.js';

/**
 * Reference counting of stored files. A file is stored once under its SHA-256 (storage.ts) however
 * many rows point at it; it is removed when the last of them goes. The tables that point at stored
 * files belong to modules, so the caller names them (`BlobReference`, listed in src/database.ts).
 *
 * A transaction-scoped advisory lock per stored file orders the two sides: uploads hold it while
 * they move a file into place and record it; releases hold it while they count references and
 * remove the file. So a file is never removed between an upload placing it and the upload's row
 * becoming visible.
 */

/** A column that holds the sha256 of a stored file (snake_case, as in SQL). */
export interface BlobReference {
  table: string;
  column: string;
}

/** Takes the file's lock until the end of the transaction `trx`. */
export async function lockBlob(trx: AnyDb, sha256: string): Promise<void> {
  const key = `fleetflash.blob:${sha256}`;
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
}

/** Rows of every referencing table that point at the file. */
export async function countBlobReferences(
  db: AnyDb,
  references: readonly BlobReference[],
  sha256: string,
): Promise<number> {
  let total = 0;
  for (const { table, column } of references) {
    const { rows } = await sql<{ count: number }>`
      SELECT count(*)::int AS count FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ${sha256}`.execute(db);
    total += rows[0]?.count ?? 0;
  }
  return total;
}

/**
 * Moves a received file into storage under its lock, inside the transaction `trx` that records
 * the row pointing at it: call it last in that transaction, after every statement that may fail.
 */
export async function keepReceivedBlob(trx: AnyDb, storage: Storage, file: ReceivedFile): Promise<void> {
  await lockBlob(trx, file.sha256);
  await storage.commit(file);
}

/**
 * Removes stored files that no row references any more. Each file is checked and removed under
 * its lock, in a transaction of its own, so an upload of the same content in the meantime keeps it.
 * The rows are gone already: a file the store cannot remove now (it is unavailable) stays for the
 * hourly sweep (`sweepUnreferencedBlobs`) instead of failing the caller. Returns those left.
 */
export async function releaseBlobs(
  // biome-ignore lint/suspicious/noExplicitAny: any database; the references name the tables and columns to check
  db: Kysely<any>,
  storage: Storage,
  references: readonly BlobReference[],
  hashes: readonly string[],
): Promise<string[]> {
  const left: string[] = [];
  for (const sha256 of new Set(hashes)) {
    try {
      await db.transaction().execute(async (trx) => {
        await lockBlob(trx, sha256);
        if ((await countBlobReferences(trx, references, sha256)) === 0) await storage.remove(sha256);
      });
    } catch (error) {
      if (!(error instanceof StorageUnavailableError)) throw error;
      left.push(sha256);
    }
  }
  return left;
}

/** A stored file younger than this is never swept: it may belong to an upload being recorded right now. */
export const SWEEP_MIN_AGE_MS = 3_600_000;

/**
 * Removes stored files no row references: those a release could not remove (the store was down when
 * the last row went) or a crash left between placing a file and recording it. Each file is checked
 * and removed as `releaseBlobs` does, under its lock; files younger than `minAgeMs` are left alone.
 */
export async function sweepUnreferencedBlobs(
  // biome-ignore lint/suspicious/noExplicitAny: any database; the references name the tables and columns to check
  db: Kysely<any>,
  storage: Storage,
  references: readonly BlobReference[],
  options: { minAgeMs?: number; now?: number; signal?: AbortSignal } = {},
): Promise<number> {
  const { minAgeMs = SWEEP_MIN_AGE_MS, now = Date.now(), signal } = options;
  let removed = 0;
  for await (const { sha256, storedAt } of storage.listStored()) {
    if (signal?.aborted) break;
    if (now - storedAt.getTime() < minAgeMs) continue;
    await db.transaction().execute(async (trx) => {
      await lockBlob(trx, sha256);
      if ((await countBlobReferences(trx, references, sha256)) === 0) {
        await storage.remove(sha256);
        removed += 1;
      }
    });
  }
  return removed;
}
