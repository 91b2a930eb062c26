import type { ScheduledTask } from '../../platform/scheduled-tasks.js';
import type { Db } from '../../database.js';
import type { Config } from '../../platform/config.js';
import type { Storage } from '../../platform/storage.js';
import type { AsuBuildRow } from './imagebuilder.table.js';
import { BLOB_REFERENCES } from '../../database.js';
import { releaseBlobs } from '../../platform/blob-references.js';
import * as buildRepository from './build.repository.js';

/** Expired results stay a little longer, so a download that just started can finish. */
const EXPIRED_GRACE_SECONDS = 600;
const PURGE_BATCH = 500;

/** What the build housekeeping needs (src/tasks/task-context.ts provides it). */
export interface BuildHousekeepingContext {
  db: Db;
  storage: Storage;
  config: Config;
  /** What follows once an image build has finished, as the build worker's `onBuildFinished`. */
  onBuildFinished(build: AsuBuildRow): Promise<void>;
}

/**
 * Every minute, the database side of image build housekeeping: builds abandoned by a dead worker
 * with no attempt left fail with GAVE_UP (those with attempts left are taken over by the next
 * claim) and go to `onBuildFinished` as a failed build does, expired results and their files go,
 * old statistics go. Each step is safe to repeat.
 * (The ImageBuilder cache and work folders are on each machine's disk: the build worker tidies them.)
 */
export const buildHousekeepingTask: ScheduledTask<BuildHousekeepingContext> = {
  name: 'imagebuilder.housekeeping',
  intervalSeconds: 60,
  enabled: ({ config }) => config.imageBuilds.enabled,
  async run(context) {
    const { db, storage, config } = context;
    const settings = config.imageBuilds;
    const reclaimed = await buildRepository.reclaimAbandoned(db, settings.lease, settings.maxAttempts);
    for (const hash of reclaimed.failed) {
      const row = await buildRepository.findBuild(db, hash);
      if (row) await context.onBuildFinished(row);
    }
    const released = await buildRepository.deleteExpiredBuilds(db, EXPIRED_GRACE_SECONDS, PURGE_BATCH);
    await releaseBlobs(db, storage, BLOB_REFERENCES, released);
    await buildRepository.purgeStatistics(db, settings.statsRetention);
  },
};
