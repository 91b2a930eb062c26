import type { Kysely } from 'kysely';
import { createAddressPolicy } from '../../platform/address-policy.js';
import type { Clock } from '../../platform/clock.js';
import type { Config } from '../../platform/config.js';
import type { SecretBox } from '../../platform/crypto.js';
import type { Database } from '../../database.js';
import type { Logger } from '../../platform/logger.js';
import type { RowPhase } from '../../platform/row-worker.js';
import type { Semaphore } from '../../platform/semaphore.js';
import type { Storage } from '../../platform/storage.js';
import { InvalidBackupArchive } from '../backups/backup-archive.js';
import { recordBackup } from '../backups/backup.service.js';
import { findEffectiveCredentials, openCredentials } from '../devices/credentials.service.js';
import { findDevice, recordDeviceContact, recordDeviceSeen, recordHostKey } from '../devices/device.service.js';
import type { DeviceRow } from '../devices/devices.table.js';
import type { UpgraderRegistry } from '../upgraders/registry.js';
import { type OperationErrorCode, toOperationErrorCode } from '../upgraders/error-codes.js';
import {
  FlashNotPerformed,
  RecoverableFailure,
  UpgradeAborted,
  UpgradeCancelled,
  UpgradeFailed,
  UpgradeOutcome,
  type DeviceTarget,
  type UpgradeContext,
  type UpgradeSuccess,
} from '../upgraders/upgrader.js';
import { upsertDeviceFirmware } from './device-firmware.repository.js';
import * as operationRepository from './operation.repository.js';
import { resolveOperationTarget } from './operation-target.js';
import { healthCheckToRun } from './health-check-to-run.js';
import { imageDownloadUrl } from './image-pull.js';
import { checkStoredHealthCheck, checkStoredOptions } from './persisted-payloads.js';
import { assertRequiredBackupKept } from './required-backup.js';
import { canRetry, retryDelaySeconds } from './retry-schedule.js';
import { findBatch } from './batch.repository.js';
import type { OperationWakeups } from './operation-wakeups.js';
import type { OperationWrites } from './operation-writes.js';
import { OutsideMaintenanceWindow, windowGateFor } from './window-gate.js';

/**
 * Runs one claimed operation to a decision: the engine around an upgrader. It builds the context
 * (device, credentials, image, options), bounds the attempt with the task timeout, and maps the
 * upgrader's outcome to the operation's status. Every write is conditional on this worker still
 * holding the operation, so a cancel or a takeover always wins.
 */

export interface RunnerDeps {
  db: Kysely<Database>;
  storage: Storage;
  secrets: SecretBox;
  config: Config;
  logger: Logger;
  upgraders: UpgraderRegistry;
  workerId: string;
  /** The time maintenance-window decisions read (a fake one in tests). */
  clock: Clock;
}

/**
 * What the worker lends one running operation: its phase (waiting frees its slot), the transfer slots
 * and the process's grouped writes of log lines and progress steps.
 */
export interface RunnerSlots {
  phase: RowPhase;
  /** Image transfers of this process at once (setting `upgrade_max_transfers`). */
  transfers: Semaphore;
  writes: OperationWrites;
  /** Wake-ups that end a sleep early (a `wake` notification for the operation). */
  wakeups?: OperationWakeups;
}

/** Abort reasons a worker gives a running upgrade. */
export class LeaseLost extends Error {
  constructor() {
    super('another worker took over this operation');
  }
}
export class WorkerStopping extends Error {
  constructor() {
    super('the worker is stopping');
  }
}
export class TaskTimeout extends UpgradeFailed {
  constructor(seconds: number) {
    super('timeout', `Operation timed out: the attempt took longer than the task timeout (${seconds} s).`);
  }
}

function deviceTarget(device: DeviceRow): DeviceTarget {
  return {
    id: device.id,
    name: device.name,
    host: device.managementIp ?? '',
    port: device.sshPort,
    boardName: device.boardName,
    model: device.model,
    os: device.os,
    pinnedHostKey: device.sshHostKey,
  };
}

export async function runOperation(
  deps: RunnerDeps,
  operation: operationRepository.ClaimedOperation,
  controller: AbortController,
  slots: RunnerSlots,
): Promise<void> {
  const { db, workerId, config, logger } = deps;
  const log = (message: string, level: 'info' | 'warning' | 'error' = 'info', serverDetail?: string) => {
    // Organization members read the operation log; details such as the exact network error go to the server log only.
    if (serverDetail !== undefined)
      logger.info({ operation: operation.id, device: operation.deviceId, detail: serverDetail }, message);
    return slots.writes.appendLog(operation.id, level, message);
  };
  const end: End = async (status, errorCode, message, level) => {
    await log(message, level);
    await operationRepository.finishOperation(db, operation.id, workerId, {
      status,
      errorCode,
      ...(status === 'success' ? { progress: 100 } : {}),
    });
  };

  const flashed = operation.flashStartedAt !== null;
  const retry = config.upgrades.retry;
  if (!flashed && !canRetry(operation.attempt - 1, retry)) {
    // Attempts that ended with a crashed worker count too: an operation that keeps killing its
    // worker must end rather than loop.
    return end(
      'failed',
      'max-retries-exceeded',
      `Max retries exceeded: ${operation.attempt - 1} attempts did not finish.`,
      'error',
    );
  }

  const options = checkStoredOptions(operation.options);
  if (!options.ok) return end('failed', 'options-unreadable', `Upgrade failed: ${options.message}`, 'error');
  const healthCheck = checkStoredHealthCheck(operation.healthCheck);
  if (!healthCheck.ok) return end('failed', 'options-unreadable', `Upgrade failed: ${healthCheck.message}`, 'error');

  const device = await findDevice(db, operation.deviceId);
  if (!device) return; // deleted meanwhile: its operations are gone with it
  if (!device.isActive && !flashed)
    return end('aborted', 'device-deactivated', 'Upgrade aborted: the device has been deactivated.', 'error');
  // A device its pull agent manages is never connected to: it needs neither SSH credentials nor an address.
  const bySsh = device.management !== 'agent';
  const credentialsRow = bySsh ? await findEffectiveCredentials(db, device) : undefined;
  if (bySsh && !credentialsRow)
    return end(
      'aborted',
      'no-credentials',
      "Upgrade aborted: the device has no SSH credentials (its own or its organization's default).",
      'error',
    );
  const upgrader = deps.upgraders.forDevice(device);
  if (!upgrader)
    return end('aborted', 'no-upgrader', `Upgrade aborted: no upgrader handles the OS "${device.os}".`, 'error');
  if (bySsh && !device.managementIp)
    return end('aborted', 'no-address', 'Upgrade aborted: the device has no management address.', 'error');
  const target = await resolveOperationTarget(db, deps.storage, operation, device, upgrader);
  if (!target.ok) return end(target.status, target.code, target.message, 'error');

  const window = await windowGateFor(db, deps.clock, config.upgrades.windowEndMargin, operation, device);
  // A recorded flash is verified whatever the hour: the device may already be changing.
  if (window && !flashed) {
    const decision = window.decide();
    if (!decision.allowed) {
      await window.waitForOpening(db, operation.id, workerId, (line) => log(line));
      return;
    }
    await log(`Inside maintenance window "${window.name}" (closes ${window.describe(decision.closes)}).`);
  }

  let current = device;
  let bootIdBefore = operation.bootIdBefore;
  // A backup an earlier attempt or the upgrade this one retries kept stays the one of this upgrade.
  const backupKept =
    operation.kind === 'upgrade' && !flashed && (await operationRepository.hasBackupInRetryChain(db, operation.id));
  const lost = async (): Promise<never> => {
    const state = await operationRepository.findOperationStatus(db, operation.id);
    const reason = state?.status === 'cancelled' ? new UpgradeCancelled() : new LeaseLost();
    controller.abort(reason);
    throw reason;
  };
  const timeoutSeconds = config.upgrades.taskTimeout;
  const timer = setTimeout(() => controller.abort(new TaskTimeout(timeoutSeconds)), timeoutSeconds * 1000);
  const context: UpgradeContext = {
    operationId: operation.id,
    kind: operation.kind,
    attempt: operation.attempt,
    device: deviceTarget(device),
    credentials: credentialsRow ? openCredentials(deps.secrets, credentialsRow) : { username: '' },
    image: target.image,
    imageDownloadUrl: imageDownloadUrl(deps, operation, timeoutSeconds),
    options: options.value,
    addressPolicy: createAddressPolicy(config.devices),
    reinstall: operation.reinstall,
    signal: controller.signal,
    get bootIdBefore() {
      return bootIdBefore;
    },
    stoppedServices: operation.stoppedServices,
    healthCheck: operation.kind === 'upgrade' ? healthCheckToRun(healthCheck.value) : null,
    backupMode: operation.backupMode,
    backupKept,
    async keepBackup(archive, release) {
      try {
        const { backup, summary } = await recordBackup(db, deps.storage, {
          deviceId: operation.deviceId,
          operationId: operation.id,
          release,
          archive,
        });
        return { sha256: backup.sha256, size: backup.size, files: summary.files.length };
      } catch (error) {
        if (error instanceof InvalidBackupArchive)
          throw new Error(`it is not a readable gzip tar archive (${error.message})`);
        throw error;
      }
    },
    log,
    async progress(percent) {
      if (controller.signal.aborted) throw controller.signal.reason;
      if (!(await slots.writes.updateProgress(operation.id, Math.max(0, Math.min(100, Math.round(percent))))))
        await lost();
    },
    async beginFlash(bootId) {
      if (controller.signal.aborted) throw controller.signal.reason;
      // The transfer took time: a flash never begins within the end margin of the window.
      if (window && !window.decide().allowed) throw new OutsideMaintenanceWindow(window);
      await assertRequiredBackupKept(db, upgrader, operation);
      if (!(await operationRepository.markFlashStarted(db, operation.id, workerId, bootId))) await lost();
      if (bootId !== undefined) bootIdBefore = bootId;
    },
    async recordBootId(bootId) {
      if (!(await operationRepository.recordBootId(db, operation.id, workerId, bootId))) await lost();
      bootIdBefore = bootId;
    },
    async recordStoppedServices(services) {
      await operationRepository.recordStoppedServices(db, operation.id, workerId, [...services]);
    },
    async pinHostKey(fingerprint) {
      await recordHostKey(db, current.id, fingerprint, current.sshHostKey !== null);
      current = { ...current, sshHostKey: fingerprint };
    },
    async deviceReached() {
      // Best effort: "last seen" is a view of the fleet, not a step of the upgrade; failing to record it (a
      // database hiccup) must not fail an upgrade whose device just answered.
      try {
        await recordDeviceContact(db, operation.deviceId);
      } catch (error) {
        logger.warn({ err: error, operation: operation.id, device: operation.deviceId }, 'could not record a contact');
      }
    },
    async deviceRuns(os) {
      current = { ...current, os };
      // Best effort, as deviceReached: the upgrade's own outcome records the release again when it succeeds.
      try {
        await recordDeviceSeen(db, operation.deviceId, os);
      } catch (error) {
        logger.warn(
          { err: error, operation: operation.id, device: operation.deviceId },
          'could not record the release',
        );
      }
    },
    async refreshDevice() {
      current = (await findDevice(db, operation.deviceId)) ?? current;
      return deviceTarget(current);
    },
    transferSlot() {
      return slots.transfers.acquire(controller.signal);
    },
    sleep(milliseconds) {
      // Only waiting: the operation keeps its lease but not its place among those talking to devices.
      return slots.phase.waiting(() =>
        sleepUnlessAborted(controller.signal, milliseconds, operation.id, slots.wakeups),
      );
    },
  };

  const maxAttempts = retry.maxRetries + 1;
  /**
   * A takeover of a recorded flash: verify, unless the device proves the flash never happened; then
   * the same operation goes on from the transfer, as this attempt (or ends when none is left).
   */
  const resumeFlashed = async (): Promise<UpgradeSuccess> => {
    try {
      return await upgrader.verify(context);
    } catch (error) {
      if (!(error instanceof FlashNotPerformed) || controller.signal.aborted) throw error;
      await log(error.message, 'warning');
      if (!(await operationRepository.clearFlashStarted(db, operation.id, workerId))) await lost();
      if (!canRetry(operation.attempt - 1, retry)) {
        throw new UpgradeFailed(
          'max-retries-exceeded',
          `Max retries exceeded: the device was not changed, and this was the last of ${maxAttempts} attempts, so ` +
            `the image is not sent again.`,
        );
      }
      // The device is untouched: sending the image again is a new start, which only its window allows.
      if (window && !window.decide().allowed) throw new OutsideMaintenanceWindow(window);
      await log(`Continuing the upgrade from the transfer as attempt ${operation.attempt} of ${maxAttempts}.`);
      return target.run(upgrader, context);
    }
  };
  try {
    const takeover =
      operation.previousStatus === 'in-progress' ? ' (taking over from a worker that stopped answering)' : '';
    await log(
      `Attempt ${operation.attempt} of ${maxAttempts} started by worker ${workerId}${takeover}, ` +
        `using the ${upgrader.name} upgrader.`,
    );
    const result: UpgradeSuccess = flashed ? await resumeFlashed() : await target.run(upgrader, context);
    clearTimeout(timer);
    await finishSuccessfully(deps, operation, target.installsImageId, result);
  } catch (error) {
    clearTimeout(timer);
    const outcome = controller.signal.aborted ? (controller.signal.reason as unknown) : error;
    await decide(deps, operation, outcome, log, end);
  }
}

/** Sleeps until the timer, a wake-up of the operation (resolves early) or an abort (rejects). */
function sleepUnlessAborted(
  signal: AbortSignal,
  milliseconds: number,
  operationId: string,
  wakeups: OperationWakeups | undefined,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const done = (error?: unknown) => {
      clearTimeout(wait);
      stopListening?.();
      signal.removeEventListener('abort', onAbort);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onAbort = () => done(signal.reason);
    const wait = setTimeout(() => done(), milliseconds);
    const stopListening = wakeups?.listen(operationId, () => done());
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

async function finishSuccessfully(
  deps: RunnerDeps,
  operation: operationRepository.ClaimedOperation,
  imageId: string | null,
  result: UpgradeSuccess,
): Promise<void> {
  const { db, workerId } = deps;
  await db.transaction().execute(async (trx) => {
    const finished = await operationRepository.finishOperation(trx, operation.id, workerId, {
      status: 'success',
      errorCode: null,
      progress: 100,
    });
    if (!finished) return;
    // Only now is the device's firmware installed: after the device proved it runs the new release.
    // A restore installs no image: the device's firmware record stays as it is.
    if (imageId !== null) await upsertDeviceFirmware(trx, operation.deviceId, imageId, true);
    await recordDeviceSeen(trx, operation.deviceId, result.os);
    await operationRepository.appendLog(trx, operation.id, 'info', result.message);
  });
}

/**
 * A device that cannot be reached, in a mass upgrade that waits for offline devices: pending again
 * with a growing backoff (or sooner, when it registers), until the batch's deadline; then failed.
 * Returns false when the batch does not wait (the normal retry rules apply).
 */
async function waitForOfflineDevice(
  deps: RunnerDeps,
  operation: operationRepository.ClaimedOperation,
  outcome: RecoverableFailure,
  log: Log,
  end: End,
): Promise<boolean> {
  const { db, workerId, config } = deps;
  const batch = await findBatch(db, operation.batchId!);
  if (!batch?.waitForOffline || batch.offlineDeadline === null) return false;
  const now = Date.now();
  const deadline = batch.offlineDeadline.getTime();
  if (now >= deadline) {
    await end(
      'failed',
      'offline-deadline',
      `Upgrade failed: the device stayed unreachable until the mass upgrade's deadline ` +
        `(${batch.offlineDeadline.toISOString()}): ${outcome.message}`,
      'error',
    );
    return true;
  }
  const delay = retryDelaySeconds(operation.offlineWaits + 1, {
    ...config.upgrades.retry,
    retryBackoffMax: config.upgrades.offlineRetryBackoffMax,
  });
  const at = new Date(Math.min(now + delay * 1000, deadline));
  await log(
    `The device is offline (${outcome.message}) The mass upgrade waits for it ` +
      `until ${batch.offlineDeadline.toISOString()}: next try at ${at.toISOString()}, or as soon as it registers ` +
      `again.`,
    'warning',
  );
  await operationRepository.rescheduleOffline(db, operation.id, workerId, at);
  return true;
}

type Log = (message: string, level?: 'info' | 'warning' | 'error') => Promise<void>;

type End = (
  status: 'success' | 'failed' | 'aborted',
  errorCode: OperationErrorCode | null,
  message: string,
  level: 'info' | 'error' | 'warning',
) => Promise<void>;

/**
 * The outcome's code when it is in the closed set; a custom upgrader's own code becomes
 * `upgrader-error` and is named in the log line instead (docs/extending.md).
 */
function recordedCode(outcome: UpgradeOutcome): { code: OperationErrorCode; message: string } {
  const code = toOperationErrorCode(outcome.code);
  if (code === outcome.code) return { code, message: outcome.message };
  return { code, message: `${outcome.message} (upgrader error code "${outcome.code}")` };
}

async function decide(
  deps: RunnerDeps,
  operation: operationRepository.ClaimedOperation,
  outcome: unknown,
  log: (message: string, level?: 'info' | 'warning' | 'error') => Promise<void>,
  end: End,
): Promise<void> {
  const { db, workerId, config, logger } = deps;
  if (outcome instanceof LeaseLost) return; // another worker owns it now
  if (outcome instanceof WorkerStopping) {
    const returned = await operationRepository.returnOperation(db, operation.id, workerId);
    if (returned) await log('The worker is stopping: the upgrade goes back to the queue and starts again.', 'warning');
    else {
      await operationRepository.releaseLease(db, operation.id, workerId);
      await log('The worker is stopping after flashing: another worker will check the result.', 'warning');
    }
    return;
  }
  if (outcome instanceof UpgradeCancelled) {
    await log('Upgrade cancelled: the device was left as it was.', 'warning');
    return;
  }
  if (outcome instanceof OutsideMaintenanceWindow) {
    await log('The maintenance window closes too soon to flash: the device was left as it was.', 'warning');
    await outcome.gate.waitForOpening(db, operation.id, workerId, (line) => log(line));
    return;
  }
  if (outcome instanceof UpgradeOutcome && outcome.cause !== undefined) {
    logger.info(
      { operation: operation.id, device: operation.deviceId, code: outcome.code, detail: String(outcome.cause) },
      outcome.message,
    );
  }
  if (outcome instanceof RecoverableFailure && outcome.code === 'unreachable' && operation.batchId !== null) {
    const waited = await waitForOfflineDevice(deps, operation, outcome, log, end);
    if (waited) return;
  }
  if (outcome instanceof RecoverableFailure) {
    const retry = config.upgrades.retry;
    if (canRetry(operation.attempt, retry)) {
      const delay = retryDelaySeconds(operation.attempt, retry);
      const at = new Date(Date.now() + delay * 1000);
      const { code, message } = recordedCode(outcome);
      await log(
        `Detected a recoverable failure: ${message} Retry ${operation.attempt} of ${retry.maxRetries} ` +
          `at ${at.toISOString()} (in ${delay.toFixed(1)} s).`,
        'warning',
      );
      await operationRepository.rescheduleOperation(db, operation.id, workerId, at, code);
      return;
    }
    return end('failed', 'max-retries-exceeded', `Max retries exceeded. Upgrade failed: ${outcome.message}`, 'error');
  }
  if (outcome instanceof UpgradeOutcome) {
    const { code, message } = recordedCode(outcome);
    if (outcome instanceof UpgradeAborted) return end('aborted', code, `Upgrade aborted: ${message}`, 'error');
    return end('failed', code, `Upgrade failed: ${message}`, 'error'); // UpgradeFailed, or another outcome
  }
  logger.error({ err: outcome, operation: operation.id }, 'unexpected error in an upgrade');
  return end(
    'failed',
    'internal-error',
    `Upgrade failed with an unexpected error: ${(outcome as Error)?.message ?? String(outcome)}`,
    'error',
  );
}
