import { sql } from 'kysely';
import type { Db } from '../../database.js';

export async function findDocument(db: Db, url: string) {
  return db.selectFrom('upstreamDocuments').selectAll().where('url', '=', url).executeTakeFirst();
}

export async function saveDocument(
  db: Db,
  document: { url: string; etag: string | null; lastModified: string | null; body: string },
): Promise<void> {
  await db
    .insertInto('upstreamDocuments')
    .values({ ...document, fetchedAt: sql`now()` })
    .onConflict((oc) =>
      oc.column('url').doUpdateSet({
        etag: document.etag,
        lastModified: document.lastModified,
        body: document.body,
        fetchedAt: sql`now()`,
      }),
    )
    .execute();
}

export async function touchDocument(db: Db, url: string): Promise<void> {
  await db.updateTable('upstreamDocuments').set({ fetchedAt: sql`now()` }).where('url', '=', url).execute();
}
