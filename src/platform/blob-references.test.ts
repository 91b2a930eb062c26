import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/database.js';
import {
  type BlobReference,
  lockBlob,
  removeIfUnreferenced,
  sweepUnreferencedBlobs,
  unreferencedOf,
} from './blob-references.js';
import type { Storage } from './storage.js';

/**
 * Reference counting against a table of the test's own: the sweep's one query per batch, and the lock
 * that keeps a file an upload of the same content is recording right now.
 */

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex');
const REFERENCES: BlobReference[] = [
  { table: 'blob_refs_a', column: 'sha256' },
  { table: 'blob_refs_b', column: 'file_sha256' },
];

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await sql`CREATE TABLE blob_refs_a (sha256 text)`.execute(database.db);
  await sql`CREATE TABLE blob_refs_b (file_sha256 text)`.execute(database.db);
});
afterAll(async () => {
  await database?.close();
});

/** A store that only lists and removes: what the sweep uses. */
function fakeStorage(hashes: string[], storedAt: Date): Storage & { removed: string[] } {
  const removed: string[] = [];
  return {
    removed,
    async *listStored() {
      for (const sha256 of hashes) if (!removed.includes(sha256)) yield { sha256, storedAt };
    },
    async remove(sha256: string) {
      removed.push(sha256);
    },
  } as unknown as Storage & { removed: string[] };
}

describe('stored file references', () => {
  it('finds the unreferenced files of a batch in one query, whichever table refers to them', async () => {
    const [a, b, none] = [hashOf('a'), hashOf('b'), hashOf('none')];
    await sql`INSERT INTO blob_refs_a VALUES (${a})`.execute(database.db);
    await sql`INSERT INTO blob_refs_b VALUES (${b})`.execute(database.db);
    expect(await unreferencedOf(database.db, REFERENCES, [a, b, none])).toEqual([none]);
    expect(await unreferencedOf(database.db, REFERENCES, [])).toEqual([]);
  });

  it('sweeps only old unreferenced files', async () => {
    const [kept, orphan] = [hashOf('kept'), hashOf('orphan')];
    await sql`INSERT INTO blob_refs_a VALUES (${kept})`.execute(database.db);
    const storage = fakeStorage([kept, orphan], new Date());
    expect(await sweepUnreferencedBlobs(database.db, storage, REFERENCES)).toBe(0);
    const later = Date.now() + 2 * 3_600_000;
    expect(await sweepUnreferencedBlobs(database.db, storage, REFERENCES, { now: later })).toBe(1);
    expect(storage.removed).toEqual([orphan]);
  });

  it('waits for an upload holding the file lock, then keeps the file it recorded', async () => {
    const hash = hashOf('being uploaded');
    const storage = fakeStorage([hash], new Date(0));
    let releaseUpload!: () => void;
    const uploadMayCommit = new Promise<void>((resolve) => {
      releaseUpload = resolve;
    });
    let locked!: () => void;
    const uploadLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    // The upload: takes the lock, places the file, records its row, commits.
    const upload = database.db.transaction().execute(async (trx) => {
      await lockBlob(trx, hash);
      locked();
      await uploadMayCommit;
      await sql`INSERT INTO blob_refs_b VALUES (${hash})`.execute(trx);
    });
    await uploadLocked;
    // The sweep found it unreferenced (the row is not committed yet) and now waits for the lock.
    expect(await unreferencedOf(database.db, REFERENCES, [hash])).toEqual([hash]);
    let settled = false;
    const removing = removeIfUnreferenced(database.db, storage, REFERENCES, hash).finally(() => {
      settled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(settled).toBe(false);
    releaseUpload();
    await upload;
    expect(await removing).toBe(false);
    expect(storage.removed).toEqual([]);
    // The lock was let go: the file lock can be taken again at once.
    await database.db.transaction().execute((trx) => lockBlob(trx, hash));
  });
});
