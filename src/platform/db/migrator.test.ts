import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmptyDatabase } from '../../../test/helpers/database.js';
import { createLogger } from '../logger.js';
import { MIGRATIONS_DIR } from '../paths.js';
import { migrate, MigrationError, readMigrations } from './migrator.js';

const logger = createLogger('silent');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function emptyDatabase(): Promise<string> {
  const database = await createEmptyDatabase();
  cleanups.push(database.drop);
  return database.url;
}

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

function copyOfMigrations(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-migrations-'));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

describe('migrations', () => {
  it('applies every migration once and records it', async () => {
    const url = await emptyDatabase();
    const applied = await migrate(url, MIGRATIONS_DIR, logger);
    expect(applied).toEqual(
      readMigrations(MIGRATIONS_DIR).map((m) => `${String(m.version).padStart(4, '0')}_${m.name}`),
    );
    expect(await migrate(url, MIGRATIONS_DIR, logger)).toEqual([]);
    const rows = await query<{ version: number }>(url, 'SELECT version FROM schema_migrations');
    expect(rows).toHaveLength(applied.length);
  });

  it('is safe when several processes migrate at once: each migration runs exactly once', async () => {
    const url = await emptyDatabase();
    const results = await Promise.all([1, 2, 3, 4].map(() => migrate(url, MIGRATIONS_DIR, logger)));
    const total = results.flat();
    expect(total).toHaveLength(readMigrations(MIGRATIONS_DIR).length);
  });

  it('refuses a database holding a migration this code does not know', async () => {
    const url = await emptyDatabase();
    const dir = copyOfMigrations();
    writeFileSync(path.join(dir, '9999_from_the_future.sql'), 'SELECT 1;');
    await migrate(url, dir, logger);
    await expect(migrate(url, MIGRATIONS_DIR, logger)).rejects.toThrow(/9999_from_the_future.*newer version/);
  });

  it('refuses a migration edited after it was applied', async () => {
    const url = await emptyDatabase();
    const dir = copyOfMigrations();
    await migrate(url, dir, logger);
    const first = readMigrations(dir)[0]!;
    writeFileSync(
      path.join(dir, `${String(first.version).padStart(4, '0')}_${first.name}.sql`),
      `${first.sql}\n-- edited`,
    );
    await expect(migrate(url, dir, logger)).rejects.toThrow(MigrationError);
    await expect(migrate(url, dir, logger)).rejects.toThrow(/changed after it was applied/);
  });

  it('rolls a failing migration back entirely and names it', async () => {
    const url = await emptyDatabase();
    const dir = copyOfMigrations();
    writeFileSync(path.join(dir, '9000_broken.sql'), 'CREATE TABLE half_done (id int); SELECT no_such_function();');
    await expect(migrate(url, dir, logger)).rejects.toThrow(/9000_broken failed/);
    const tables = await query(url, "SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'");
    expect(tables).toHaveLength(0);
  });

  it('rejects badly named migration files', () => {
    const dir = copyOfMigrations();
    writeFileSync(path.join(dir, 'add-things.sql'), 'SELECT 1;');
    expect(() => readMigrations(dir)).toThrow(/must look like 0001_description.sql/);
  });
});
