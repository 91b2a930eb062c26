import { sql } from 'kysely';
import type { Db } from '../../database.js';

/**
 * A transaction-scoped advisory lock per stored file. Uploads hold it while they move a file into
 * place and record it; releases hold it while they count references and remove the file. So a file
 * is never removed between an upload placing it and the upload's row becoming visible.
 */
export async function lockBlob(trx: Db, sha256: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`fleetflash.blob:${sha256}`}, 0))`.execute(trx);
}

/** Rows that point at a stored file. Every table holding a sha256 of stored content belongs here. */
export async function countBlobReferences(db: Db, sha256: string): Promise<number> {
  const images = await db.selectFrom('firmwareImages').select((eb) => eb.fn.countAll<number>().as('count')).where('sha256', '=', sha256).executeTakeFirstOrThrow();
  const builds = await db.selectFrom('asuBuildFiles').select((eb) => eb.fn.countAll<number>().as('count')).where('sha256', '=', sha256).executeTakeFirstOrThrow();
  return images.count + builds.count;
}
