/**
 * Why an upgrade operation ended (or why its last attempt failed): its `error_code`, a closed set
 * exported as an OpenAPI enum. Upgraders report the codes of the first groups with their outcome
 * errors (upgrader.ts); the engine adds its own (retries, deadlines, preconditions it checks itself).
 *
 * A custom upgrader may throw a code outside this set: the engine records `upgrader-error` and
 * writes the upgrader's own code into the operation's log line (docs/extending.md), so the set
 * stays closed for API clients while a plugin still says precisely what went wrong.
 */
export const OPERATION_ERROR_CODES = {
  // Reaching the device (reported by upgraders).
  unreachable: 'The device could not be reached over SSH (retried).',
  'auth-failed': 'The device refused the SSH credentials.',
  'host-key-mismatch': 'The device presented another SSH host key than the pinned one.',
  'address-not-allowed':
    "The device's address is outside the networks devices may be reached at: it was not contacted.",
  'connection-lost': 'The SSH connection dropped while a command ran (retried).',
  'command-failed': 'A command on the device failed before anything was changed.',
  // Checking and flashing (reported by upgraders).
  'unknown-device': 'The device did not describe its board.',
  'board-mismatch': 'The device reports a board the image does not fit.',
  'insufficient-memory': 'The device has too little free memory or /tmp space for the image.',
  'transfer-interrupted': 'Sending the image was interrupted (retried).',
  'checksum-mismatch': 'The image on the device does not match its checksum (retried).',
  'backup-failed':
    'The configuration backup before flashing failed and the backup option is "required": nothing was flashed.',
  'image-rejected': 'The device rejected the image (sysupgrade -T failed).',
  'flash-refused': 'The device refused to flash the image.',
  'not-flashed': 'The device came back on the old release, or never rebooted.',
  'restore-failed': 'The device refused to restore the configuration backup (sysupgrade -r failed).',
  'board-changed': 'The device reports another board after flashing.',
  'unreachable-after-flash': 'The device never came back after flashing (not retried).',
  'flash-unconfirmed': 'Whether the device flashed could not be told; it is not flashed again (not retried).',
  'health-check-failed':
    'The device booted the new release but a probe of the health check failed or timed out (the log names it; ' +
    'not retried).',
  'upgrader-error': 'A custom upgrader reported a code of its own: the operation log names it.',
  // Decided by the engine.
  'max-retries-exceeded': 'Every attempt failed; no retries are left.',
  'offline-deadline': "The device stayed unreachable until the mass upgrade's deadline.",
  timeout: 'The attempt took longer than the task timeout.',
  cancelled: 'A person cancelled the upgrade.',
  'device-deactivated': 'The device was deactivated.',
  'no-credentials': 'The device has no SSH credentials.',
  'no-upgrader': "No upgrader handles the device's OS.",
  'no-address': 'The device has no management address.',
  'image-deleted': 'The image was deleted.',
  'backup-deleted': 'The configuration backup to restore was deleted.',
  'restore-unsupported': "The device's upgrader cannot restore configuration backups.",
  'options-unreadable': 'The stored upgrade options are not of a shape this version reads (not retried).',
  'internal-error': 'An unexpected error in fleetflash; the server log has the details.',
} as const;

export type OperationErrorCode = keyof typeof OPERATION_ERROR_CODES;

export const OPERATION_ERROR_CODE_NAMES = Object.keys(OPERATION_ERROR_CODES) as OperationErrorCode[];

export function isOperationErrorCode(code: string): code is OperationErrorCode {
  return Object.hasOwn(OPERATION_ERROR_CODES, code);
}

/** The code recorded for an outcome: its own when it is in the set, else `upgrader-error`. */
export function toOperationErrorCode(code: string): OperationErrorCode {
  return isOperationErrorCode(code) ? code : 'upgrader-error';
}
