import { sql } from 'kysely';
import type { AnyDb } from './db/database.js';

/** This installation's id (migration 0009): every process on one database has the same one. */
export async function readInstallationId(db: AnyDb): Promise<string> {
  const { rows } = await sql<{ id: string }>`SELECT id::text AS id FROM installation`.execute(db);
  if (!rows[0]) throw new Error('The installation table has no row: the database was not migrated.');
  return rows[0].id;
}
