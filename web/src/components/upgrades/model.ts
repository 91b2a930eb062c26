import type { paths } from '../../api/schema';

/** Types and texts of mass upgrades and upgrade operations, shared by their pages. */

type Json<T> = T extends { responses: { 200: { content: { 'application/json': infer Body } } } } ? Body : never;

export type Batch = Json<paths['/api/v1/firmware/batch-upgrade-operation/{id}/']['get']>;
export type BatchStatus = Batch['status'];
export type BatchCounts = Batch['counts'];
export type Operation = Json<
  paths['/api/v1/firmware/batch-upgrade-operation/{id}/operations/']['get']
>['results'][number];
export type OperationStatus = Operation['status'];
export type Skip = Json<paths['/api/v1/firmware/batch-upgrade-operation/{id}/skipped/']['get']>['results'][number];
export type SkipReason = Skip['reason'];
export type DryRun = Json<paths['/api/v1/firmware/build/{id}/upgrade/']['get']>;
export type Device = Json<paths['/api/v1/devices/{id}/']['get']>;
export type FirmwareBuild = Json<paths['/api/v1/firmware/build/{id}/']['get']>;

export type OperationErrorCode = NonNullable<Operation['error_code']>;
export type PauseReason = NonNullable<Batch['pause_reason']>;

/*
 * The UI's one table per server vocabulary (each a closed set exported as an OpenAPI enum): a
 * `Record` over the generated type, so a code added on the server fails the type check here until
 * it has its words.
 */

export const BATCH_STATUS_TEXT: Record<BatchStatus, string> = {
  scheduled: 'scheduled (waits for its start time)',
  'in-progress': 'in progress',
  paused: 'paused',
  success: 'completed',
  failed: 'completed with failures',
  cancelled: 'cancelled',
};
export const BATCH_STATUSES = Object.keys(BATCH_STATUS_TEXT) as BatchStatus[];

/*
 * Operation statuses, for the filter (shown as they are: the words are the API's). Which are final
 * and which can be retried is the server's to say: the fields `finished` and `can_retry`.
 */
const OPERATION_STATUS_NAMES: Record<OperationStatus, true> = {
  pending: true,
  'in-progress': true,
  success: true,
  failed: true,
  aborted: true,
  cancelled: true,
};
export const OPERATION_STATUSES = Object.keys(OPERATION_STATUS_NAMES) as OperationStatus[];

/** The one text table of skip reasons (the server's closed set, skip-reasons.ts). */
export const SKIP_REASON_TEXT: Record<SkipReason, string> = {
  'organization-mismatch': 'Another organization',
  deactivated: 'Deactivated',
  'already-on-build': 'Already on this build',
  'not-in-category': 'Not on a build of this category',
  'no-fitting-image': 'No fitting image',
  downgrade: 'Runs a newer release (downgrade)',
  'operation-running': 'Upgrade already running',
  'no-credentials': 'No SSH credentials',
  'no-upgrader': 'No upgrader for its OS',
  'no-address': 'No management address',
};

/** What an operation's error code means, for people (the server's closed set, upgraders/error-codes.ts). */
export const ERROR_CODE_TEXT: Record<OperationErrorCode, string> = {
  unreachable: 'The device could not be reached over SSH.',
  'auth-failed': 'The device refused the SSH credentials.',
  'host-key-mismatch':
    "The device's SSH host key differs from the pinned one: check the device, then reset its host key.",
  'address-not-allowed':
    "The device's address is in a network devices may not be reached at (server settings devices.*): " +
    'it was not contacted.',
  'connection-lost': 'The SSH connection dropped while a command ran.',
  'command-failed': 'A command on the device failed; nothing was changed.',
  'unknown-device': 'The device did not describe its board.',
  'board-mismatch': 'The device reports a board the image is not built for.',
  'insufficient-memory': 'The device has too little free memory or /tmp space for the image.',
  'transfer-interrupted': 'Sending the image to the device was interrupted.',
  'checksum-mismatch': 'The image on the device does not match its checksum.',
  'backup-failed': 'The configuration backup before flashing failed; nothing was flashed (backup option "required").',
  'image-rejected': 'The device rejected the image (sysupgrade -T failed).',
  'flash-refused': 'The device refused to flash the image.',
  'not-flashed': 'The device came back on the old release, or never rebooted.',
  'restore-failed': 'The device refused to restore the configuration backup (sysupgrade -r failed).',
  'board-changed': 'The device reports another board after flashing.',
  'unreachable-after-flash': 'The device never came back after flashing (not retried).',
  'flash-unconfirmed':
    'The device stayed on the same boot and whether it flashed could not be told: ' +
    'it was not flashed again (not retried).',
  'health-check-failed':
    'The device booted the new release but a health-check probe failed or timed out (the log names it; not retried).',
  'upgrader-error': 'The upgrader reported an error of its own: the log names it.',
  'max-retries-exceeded': 'Every attempt failed; no retries are left.',
  'offline-deadline': 'The device stayed unreachable until the deadline.',
  timeout: 'The upgrade took too long.',
  cancelled: 'The upgrade was cancelled.',
  'device-deactivated': 'The device was deactivated.',
  'no-credentials': 'The device has no SSH credentials.',
  'no-upgrader': "No upgrader handles the device's OS.",
  'no-address': 'The device has no management address.',
  'image-deleted': 'The image was deleted.',
  'backup-deleted': 'The configuration backup to restore was deleted.',
  'restore-unsupported': "The device's upgrader cannot restore configuration backups.",
  'options-unreadable':
    'The stored upgrade options could not be read by this version of fleetflash; start a new upgrade.',
  'internal-error': 'An unexpected error in fleetflash; the server log has the details.',
};

export const OPERATION_ERROR_CODES = Object.keys(ERROR_CODE_TEXT) as OperationErrorCode[];

export type BackupMode = Operation['backup'];

/** What each backup option does before a flash (the server's BackupMode enum). */
export const BACKUP_MODE_TEXT: Record<BackupMode, string> = {
  required: 'Required: if the configuration backup fails, the upgrade fails and nothing is flashed',
  'best-effort': 'Best effort: if the backup fails, say so in the log and flash anyway',
  off: 'Off: take no configuration backup',
};
export const BACKUP_MODES = Object.keys(BACKUP_MODE_TEXT) as BackupMode[];

export function errorCodeText(code: string | null | undefined): string {
  if (!code) return '';
  return ERROR_CODE_TEXT[code as OperationErrorCode] ?? code;
}

export const PAUSE_REASON_TEXT: Record<PauseReason, string> = {
  manual: 'Paused by hand.',
  'failure-threshold': 'Paused itself: too many devices failed.',
  'stage-gate': 'Paused at a stage gate: the last stage did not succeed well enough to go on.',
  'policy-unreadable': 'Paused: its stored rollout policy could not be read by this version of fleetflash.',
  'window-never-opens': 'Paused: a maintenance window of its devices never opens (no period longer than the margin).',
};

/** `-c -n` from the options an operation ran with. */
export function optionFlags(options: Record<string, boolean> | undefined): string {
  const flags = Object.entries(options ?? {})
    .filter(([, on]) => on)
    .map(([key]) => `-${key}`);
  return flags.length > 0 ? flags.join(' ') : 'none';
}

/** The sentence that says why a batch is paused and what to do. */
export function pauseSentence(batch: Pick<Batch, 'status' | 'pause_reason' | 'pause_detail'>): string | null {
  if (batch.status !== 'paused') return null;
  if (batch.pause_detail) return batch.pause_detail;
  return (batch.pause_reason && PAUSE_REASON_TEXT[batch.pause_reason]) || 'Paused: resume it to go on, or cancel it.';
}

/**
 * A batch after a live `batch` event: the event carries the REST answer's fields (all but
 * `modified`), with the same meaning, so they are taken as they come.
 */
export function applyBatchEvent<T extends Pick<Batch, 'id'>>(batch: T, data: Record<string, unknown>): T {
  if (data.id !== batch.id) return batch;
  const known = Object.fromEntries(Object.entries(data).filter(([key]) => key in batch));
  return { ...batch, ...known };
}

/** An operation after a live `operation` event (id, status, progress, attempt, error_code, flash_started, stage). */
export function applyOperationEvent(operation: Operation, data: Record<string, unknown>): Operation {
  if (data.id !== operation.id) return operation;
  return {
    ...operation,
    status: typeof data.status === 'string' ? (data.status as OperationStatus) : operation.status,
    progress: typeof data.progress === 'number' ? data.progress : operation.progress,
    attempt: typeof data.attempt === 'number' ? data.attempt : operation.attempt,
    error_code: 'error_code' in data ? ((data.error_code as OperationErrorCode | null) ?? null) : operation.error_code,
    flash_started: typeof data.flash_started === 'boolean' ? data.flash_started : operation.flash_started,
    stage: typeof data.stage === 'number' ? data.stage : operation.stage,
    next_attempt_at:
      'next_attempt_at' in data ? ((data.next_attempt_at as string | null) ?? null) : operation.next_attempt_at,
  };
}

/** For useLoad's setData: changes the data once loaded, leaves "not loaded yet" alone. */
export function ifLoaded<T>(change: (value: T) => T): (current: T | undefined) => T {
  return (current) => (current === undefined ? (current as unknown as T) : change(current));
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** "Stage 0 (canary)", "Stage 1", …: stages are numbered from 0 everywhere, as in the API and the logs. */
export function stageName(index: number): string {
  return index === 0 ? 'Stage 0 (canary)' : `Stage ${index}`;
}
