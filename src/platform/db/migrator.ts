import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../logger.js';

/**
 * Forward-only plain-SQL migrations (`migrations/NNNN_description.sql`). Each file runs in its own
 * transaction and is recorded in `schema_migrations` with a checksum. A session-level advisory lock
 * makes concurrent starters queue: the second one finds the work done. The runner refuses a database
 * holding a migration this code does not know (a newer fleetflash ran against it) and a migration
 * edited after it was applied.
 */

/** Arbitrary constant shared by every fleetflash process: the key of the migration advisory lock. */
const MIGRATION_LOCK_KEY = 4_126_557_301;

export interface MigrationFile {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {}

export function readMigrations(dir: string): MigrationFile[] {
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort();
  const seen = new Map<number, string>();
  return files.map((file) => {
    const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!match) throw new MigrationError(`migration file name ${file} must look like 0001_description.sql`);
    const version = Number(match[1]);
    const previous = seen.get(version);
    if (previous) throw new MigrationError(`migrations ${previous} and ${file} share the number ${match[1]}`);
    seen.set(version, file);
    const sql = readFileSync(path.join(dir, file), 'utf8');
    return { version, name: match[2]!, sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
}

/** Applies pending migrations; returns the names of those it applied. */
export async function migrate(connectionString: string, dir: string, logger: Logger): Promise<string[]> {
  const migrations = readMigrations(dir);
  const client = new pg.Client({ connectionString });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const { rows } = await client.query<{ version: number; name: string; checksum: string }>(
      'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
    );
    const known = new Map(migrations.map((migration) => [migration.version, migration]));
    for (const row of rows) {
      const migration = known.get(row.version);
      if (!migration) {
        throw new MigrationError(
          `The database holds migration ${String(row.version).padStart(4, '0')}_${row.name}, which this fleetflash ` +
            `does not know: ` +
            'it was written by a newer version. Run that version (or newer) against this database.',
        );
      }
      if (migration.checksum !== row.checksum) {
        throw new MigrationError(
          `Migration ${String(row.version).padStart(4, '0')}_${row.name} was changed after it was applied. ` +
            'Applied migrations must never be edited: restore the file and add a new migration instead.',
        );
      }
    }
    const done = new Set(rows.map((row) => row.version));
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      const label = `${String(migration.version).padStart(4, '0')}_${migration.name}`;
      try {
        await client.query('BEGIN');
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          migration.checksum,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw new MigrationError(`Migration ${label} failed: ${(error as Error).message}`, { cause: error });
      }
      logger.info({ migration: label }, 'applied migration');
      applied.push(label);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    await client.end();
  }
  return applied;
}
