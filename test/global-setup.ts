import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../src/platform/db/embedded-postgres.js';
import { migrate } from '../src/platform/db/migrator.js';
import { createLogger } from '../src/platform/logger.js';
import { MIGRATIONS_DIR } from '../src/platform/paths.js';
import { databaseUrlFor } from './helpers/database-url.js';

// embedded-postgres installs async-exit-hook, whose 'beforeExit' handler calls process.exit(0): a
// test run that ends on its own with failures (vitest sets process.exitCode = 1) would report
// success to CI. A failure exit code stays a failure.
const exitAsAsked = process.exit.bind(process);
process.exit = ((code?: number | string | null) =>
  exitAsAsked(code === 0 && process.exitCode ? process.exitCode : code)) as typeof process.exit;

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    templateDatabase: string;
  }
}

/**
 * Once per test run: a PostgreSQL (TEST_DATABASE_URL or DATABASE_URL when set, else a throw-away
 * embedded one), and a template database migrated once that every test file
 * clones into a database of its own.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const logger = createLogger('warn');
  const external = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  let embedded: EmbeddedPostgresHandle | null = null;
  let tempDir: string | null = null;
  if (!external) {
    tempDir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-test-'));
    // mkdtemp makes a private folder; the postgres user (PostgreSQL refuses to run as root) must enter it.
    chmodSync(tempDir, 0o755);
    embedded = await startEmbeddedPostgres({ dataDir: tempDir, logger, durable: false, database: 'postgres' });
  }
  const adminUrl = external ?? embedded!.adminUrl;
  const templateDatabase = `fleetflash_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${templateDatabase}`);
  await admin.query(`CREATE DATABASE ${templateDatabase}`);
  const templateUrl = databaseUrlFor(adminUrl, templateDatabase);
  await migrate(templateUrl, MIGRATIONS_DIR, logger);

  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('templateDatabase', templateDatabase);

  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${templateDatabase} WITH (FORCE)`).catch(() => {});
    await admin.end();
    await embedded?.stop();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  };
}
