import { sql } from 'kysely';
import type { Db } from '../../database.js';

/**
 * A progress step of an image pull, written by the API node that serves the download (the worker that runs
 * the operation cannot see it): only forward, and only while the operation runs. Whether it still runs.
 */
export async function updatePullProgress(db: Db, operationId: string, progress: number): Promise<boolean> {
  const result = await sql<{ running: boolean }>`
    WITH stepped AS (
      UPDATE upgrade_operations SET progress = ${progress}, modified = now()
      WHERE id = ${operationId} AND status = 'in-progress' AND progress < ${progress}
      RETURNING id
    )
    SELECT EXISTS (
      SELECT 1 FROM upgrade_operations WHERE id = ${operationId} AND status = 'in-progress'
    ) AS running`.execute(db);
  return result.rows[0]?.running === true;
}
