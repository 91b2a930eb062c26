import { sql, type Kysely } from 'kysely';
import type { AnyDb } from './db/database.js';
import { type ReceivedFile, type Storage, StorageUnavailableError } from './storage.js';

/**
 * Reference counting of stored files. A file is stored once under its SHA-256 (storage.ts) however
 * many rows point at it; it is removed when the last of them goes. The tables that point at stored
 * files belong to modules, so the caller names them (`BlobReference`, listed in src/database.ts).
 *
 * An advisory lock per stored file orders the two sides: uploads hold it (transaction-scoped) while
 * they move a file into place and record it; releases and the sweep hold it (session-scoped, the same
 * key) while they count references and remove the file. So a file is never removed between an upload
 * placing it and the upload's row becoming visible.
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
 * Removes the stored file if no row references it, under its lock, and tells whether it did. The lock
 * is a session-level advisory lock on one connection, not a transaction: no transaction stays open
 * while the store deletes. Safe against an upload of the same content at the same moment: that upload
 * takes the same lock (`keepReceivedBlob`, a transaction-level lock on the same key, which conflicts
 * with this one) around placing the file and recording its row. So either the upload's row was
 * committed before the lock is had here (the count sees it, the file stays), or the upload waits until
 * the file is deleted and the lock let go, and then finds no file under the hash and places its own.
 */
export async function removeIfUnreferenced(
  // biome-ignore lint/suspicious/noExplicitAny: any database; the references name the tables and columns to check
  db: Kysely<any>,
  storage: Storage,
  references: readonly BlobReference[],
  sha256: string,
): Promise<boolean> {
  const key = `fleetflash.blob:${sha256}`;
  return db.connection().execute(async (connection) => {
    await sql`SELECT pg_advisory_lock(hashtextextended(${key}, 0))`.execute(connection);
    try {
      if ((await countBlobReferences(connection, references, sha256)) > 0) return false;
      await storage.remove(sha256);
      return true;
    } finally {
      await sql`SELECT pg_advisory_unlock(hashtextextended(${key}, 0))`.execute(connection);
    }
  });
}

/**
 * Removes stored files that no row references any more, each as `removeIfUnreferenced` does, so an
 * upload of the same content in the meantime keeps it. The rows are gone already: a file the store
 * cannot remove now (it is unavailable) stays for the hourly sweep (`sweepUnreferencedBlobs`) instead
 * of failing the caller. Returns those left.
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
      await removeIfUnreferenced(db, storage, references, sha256);
    } catch (error) {
      if (!(error instanceof StorageUnavailableError)) throw error;
      left.push(sha256);
    }
  }
  return left;
}

/** A stored file younger than this is never swept: it may belong to an upload being recorded right now. */
export const SWEEP_MIN_AGE_MS = 3_600_000;
/** Stored files the sweep looks up in one query (an S3 listing page holds 1000). */
const SWEEP_BATCH = 1000;

/** Of `hashes`, those no row references: one query for the lot. */
export async function unreferencedOf(
  db: AnyDb,
  references: readonly BlobReference[],
  hashes: readonly string[],
): Promise<string[]> {
  if (hashes.length === 0) return [];
  const none = references.map(
    ({ table, column }) => sql`NOT EXISTS (SELECT 1 FROM ${sql.table(table)} WHERE ${sql.ref(column)} = h.sha256)`,
  );
  const { rows } = await sql<{ sha256: string }>`
    SELECT h.sha256 FROM unnest(${[...hashes]}::text[]) AS h(sha256)
    WHERE ${none.length > 0 ? sql.join(none, sql` AND `) : sql`true`}`.execute(db);
  return rows.map((row) => row.sha256);
}

/**
 * Removes stored files no row references: those a release could not remove (the store was down when
 * the last row went) or a crash left between placing a file and recording it. Files younger than
 * `minAgeMs` are left alone. For each batch of listed files one query finds those no row references;
 * only they are then locked, counted again and removed (`removeIfUnreferenced`).
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
  const sweep = async (batch: string[]) => {
    for (const sha256 of await unreferencedOf(db, references, batch)) {
      if (signal?.aborted) return;
      if (await removeIfUnreferenced(db, storage, references, sha256)) removed += 1;
    }
  };
  let batch: string[] = [];
  for await (const { sha256, storedAt } of storage.listStored()) {
    if (signal?.aborted) return removed;
    if (now - storedAt.getTime() < minAgeMs) continue;
    batch.push(sha256);
    if (batch.length >= SWEEP_BATCH) {
      await sweep(batch);
      batch = [];
    }
  }
  if (!signal?.aborted) await sweep(batch);
  return removed;
}
