import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/platform/db/migrator.js';
import { createLogger } from '../src/platform/logger.js';
import { MIGRATIONS_DIR } from '../src/platform/paths.js';
import { createEmptyDatabase } from './helpers/database.js';

/**
 * Upgrading to the failure digests (migrations/0020): whoever chose `operation.failed` (a webhook, an
 * email choice) keeps hearing about failed upgrades of mass upgrades, which now come as
 * `batch.operations_failed`; the lists keep the vocabulary's order. Others are left as they were.
 */

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe('upgrading to failure digests', () => {
  it('adds batch.operations_failed to the subscriptions that had operation.failed, in vocabulary order', async () => {
    const database = await createEmptyDatabase();
    cleanups.push(database.drop);
    // The migrations before 0020, as an installation of the previous version has them.
    const before = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-migrations-'));
    cleanups.push(() => rmSync(before, { recursive: true, force: true }));
    cpSync(MIGRATIONS_DIR, before, { recursive: true });
    for (const file of readdirSync(before)) if (Number(file.slice(0, 4)) >= 20) rmSync(path.join(before, file));
    const logger = createLogger('silent');
    await migrate(database.url, before, logger);

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    cleanups.push(() => client.end());
    const one = async (text: string, values: unknown[] = []) => (await client.query(text, values)).rows[0];
    const org = await one(`INSERT INTO organizations (name, slug) VALUES ('Berlin', 'berlin') RETURNING id`);
    const user = await one(`INSERT INTO users (username, password_hash) VALUES ('ada', 'x') RETURNING id`);
    const hook = (events: string[]) =>
      one(
        `INSERT INTO webhooks (organization_id, url, events, secret_sealed)
         VALUES ($1, 'https://hooks.example.com/', $2, 'x') RETURNING id`,
        [org.id, events],
      );
    const chose = await hook(['batch.paused', 'operation.failed', 'build.failed']);
    const other = await hook(['batch.failed']);
    await client.query(
      `INSERT INTO notification_email_preferences (user_id, organization_id, events) VALUES ($1, NULL, $2)`,
      [user.id, ['operation.failed']],
    );

    await migrate(database.url, MIGRATIONS_DIR, logger);
    const events = async (id: string) => (await one('SELECT events FROM webhooks WHERE id = $1', [id])).events;
    expect(await events(chose.id)).toEqual([
      'batch.paused',
      'operation.failed',
      'batch.operations_failed',
      'build.failed',
    ]);
    expect(await events(other.id)).toEqual(['batch.failed']);
    expect((await one('SELECT events FROM notification_email_preferences')).events).toEqual([
      'operation.failed',
      'batch.operations_failed',
    ]);
  });
});
