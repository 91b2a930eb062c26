import type { Db } from '../../database.js';
import { AppError } from '../../platform/errors.js';
import { notifyWorkers } from './operation.repository.js';
import * as windowWaitRepository from './window-wait.repository.js';

/**
 * Operations waiting for a maintenance window are decided again when what decided them changes: the
 * window's hours (or the window is deleted), or the device's group or location. They become due at once
 * and the workers are woken; a worker then finds the window open, or puts them back until it opens.
 */

/** Wakes the window's waiting operations; one notification for all (any "due" makes workers claim). */
export async function wakeOperationsOfWindow(db: Db, windowId: string): Promise<number> {
  const woken = await windowWaitRepository.wakeOperationsWaitingFor(db, windowId);
  if (woken > 0) await notifyWorkers(db, { type: 'due', id: windowId });
  return woken;
}

export async function wakeDeviceWindowWait(db: Db, deviceId: string): Promise<number> {
  const woken = await windowWaitRepository.wakeDeviceWindowWait(db, deviceId);
  for (const id of woken) await notifyWorkers(db, { type: 'due', id });
  return woken.length;
}

/**
 * Why a running batch must pause, when one of its devices waits for a window that never opens (the end
 * margin grew past its periods since it was saved): stalling silently for days would be worse. Its waits
 * become due, so that a resume decides them again (under the window's new hours, if it was changed).
 */
export async function neverOpeningPause(db: Db, batchId: string) {
  const window = await windowWaitRepository.findNeverOpeningWindow(db, batchId);
  if (!window) return null;
  await windowWaitRepository.wakeNeverOpeningWaits(db, batchId);
  return {
    status: 'paused' as const,
    pauseReason: 'window-never-opens' as const,
    pauseDetail:
      `Paused: maintenance window "${window.name}" never opens: none of its periods is longer than the end ` +
      'margin (setting window_end_margin). Make a period longer (or the margin shorter), then resume.',
  };
}

/** Refuses to delete a window that a running mass upgrade names. */
export async function assertWindowNotInUse(db: Db, windowId: string): Promise<void> {
  const running = await windowWaitRepository.countRunningBatchesUsing(db, windowId);
  if (running > 0) {
    throw new AppError(
      'MaintenanceWindowInUse',
      `${running} running mass upgrade(s) use this maintenance window: cancel them or let them finish before ` +
        'deleting it (or change its hours instead).',
    );
  }
}
