import { BLOB_REFERENCES } from '../database.js';
import { sweepUnreferencedBlobs } from '../platform/blob-references.js';
import type { ScheduledTask } from '../platform/scheduled-tasks.js';
import type { TaskContext } from './task-context.js';

/**
 * Every hour, stored files that no image and no image build refers to any more go: those whose
 * release failed because the file store was unavailable when their last row was deleted (the delete
 * itself succeeded), and those a crash left between storing a file and recording it.
 */
export const sweepStoredFilesTask: ScheduledTask<Pick<TaskContext, 'db' | 'storage' | 'logger'>> = {
  name: 'storage.sweep-unreferenced',
  intervalSeconds: 3600,
  async run({ db, storage, logger }, signal) {
    const removed = await sweepUnreferencedBlobs(db, storage, BLOB_REFERENCES, { signal });
    if (removed > 0) logger.info({ removed }, 'removed stored files no row refers to');
  },
};
