import { type Kysely, sql } from 'kysely';
import type { Database } from '../database.js';
import type { Config } from '../platform/config.js';
import type { Actor } from '../modules/accounts/actor.js';
import { getBuild } from '../modules/firmware/build.service.js';
import { imageIdsOfBuild } from '../modules/firmware/image.service.js';
import type { UpgraderRegistry } from '../modules/upgraders/registry.js';
import { assertLaunchInput, createBatch, type LaunchInput, startBatch } from '../modules/upgrades/batch.service.js';
import type { BatchRow } from '../modules/upgrades/upgrades.table.js';

/**
 * Launches a mass upgrade of a build: the build and its images come from firmware, the plan, the
 * operations and the skips from upgrades, all read and written in one transaction. After the
 * commit the batch is evaluated once (a batch whose devices all skip ends at once).
 */
export async function launchBatch(
  db: Kysely<Database>,
  actor: Actor,
  registry: UpgraderRegistry,
  config: Config,
  buildId: string,
  input: LaunchInput,
  now = new Date(),
): Promise<BatchRow> {
  assertLaunchInput(input);
  const batchId = await db.transaction().execute(async (trx) => {
    // A launch sorts its candidates and, in the event triggers, its new operations (100,000 for a fleet of
    // that size): in memory rather than in temporary files, for this transaction only.
    await sql`SET LOCAL work_mem = '64MB'`.execute(trx);
    const build = await getBuild(trx, actor, buildId);
    const imageIds = await imageIdsOfBuild(trx, build.id);
    return createBatch(trx, actor, registry, config, { build, imageCount: imageIds.length }, input, now);
  });
  return startBatch(db, batchId, now);
}
