/** Words for upgrade operations, shared by the device and operation pages. */

export type OperationStatus = 'pending' | 'in-progress' | 'success' | 'failed' | 'aborted' | 'cancelled';

export const FINISHED_STATUSES: readonly string[] = ['success', 'failed', 'aborted', 'cancelled'];
export const RETRYABLE_STATUSES: readonly string[] = ['failed', 'aborted', 'cancelled'];

export function isFinished(status: string): boolean {
  return FINISHED_STATUSES.includes(status);
}

/** What each `error_code` means for the person reading it (docs/api.md, "Operation statuses"). */
const ERROR_TEXT: Record<string, string> = {
  unreachable: 'The device could not be reached over SSH.',
  'auth-failed': 'The device refused the SSH credentials.',
  'host-key-mismatch': "The device's SSH host key differs from the pinned one: check the device, then reset its host key.",
  'board-mismatch': 'The device reports a board the image is not built for.',
  'insufficient-memory': 'The device has too little free memory or /tmp space for the image.',
  'transfer-interrupted': 'Sending the image to the device was interrupted.',
  'checksum-mismatch': "The image on the device does not match its checksum.",
  'image-rejected': 'The device rejected the image (sysupgrade -T failed).',
  'flash-refused': 'The device refused to flash the image.',
  'not-flashed': 'The device came back on the old release, or never rebooted.',
  'board-changed': 'The device reports another board after flashing.',
  'unreachable-after-flash': 'The device never came back after flashing (not retried).',
  'flash-unconfirmed': 'The device stayed on the same boot and whether it flashed could not be told: it was not flashed again (not retried).',
  'max-retries-exceeded': 'Every attempt failed; no retries are left.',
  timeout: 'The upgrade took too long.',
  cancelled: 'The upgrade was cancelled.',
  'device-deactivated': 'The device was deactivated.',
  'no-credentials': 'The device has no SSH credentials.',
  'no-upgrader': "No upgrader handles the device's OS.",
  'no-address': 'The device has no management address.',
  'address-not-allowed': "The device's address is in a network devices may not be reached at (server settings devices.*): it was not contacted.",
  'image-deleted': 'The image was deleted.',
  'offline-deadline': 'The device stayed unreachable until the deadline.',
  'internal-error': 'An unexpected error in fleetflash; the server log has the details.',
};

export function describeErrorCode(code: string | null | undefined): string | null {
  if (!code) return null;
  return ERROR_TEXT[code] ?? code;
}

/** `-c -n` from the options an operation ran with. */
export function optionFlags(options: Record<string, boolean> | undefined): string {
  const flags = Object.entries(options ?? {}).filter(([, on]) => on).map(([key]) => `-${key}`);
  return flags.length > 0 ? flags.join(' ') : 'none';
}
