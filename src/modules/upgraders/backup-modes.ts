/**
 * What an upgrade does about a configuration backup before it flashes (an operation's and a mass
 * upgrade's `backup` option), a closed set exported as an OpenAPI enum.
 */
export const BACKUP_MODES = {
  required: 'Take a backup before flashing; if it fails, the upgrade fails (backup-failed) and nothing is flashed.',
  'best-effort': 'Try to take a backup; if it fails, say so in the log and flash anyway.',
  off: 'Take no backup.',
} as const;

export type BackupMode = keyof typeof BACKUP_MODES;

export const BACKUP_MODE_NAMES = Object.keys(BACKUP_MODES) as BackupMode[];

/** The mode of operations that do not choose one. */
export const DEFAULT_BACKUP_MODE: BackupMode = 'required';
