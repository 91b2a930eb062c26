import { Field } from '../ui';
import { BACKUP_MODE_TEXT, BACKUP_MODES, type BackupMode } from './model';

/** The upgrade's `backup` option: what happens to the configuration backup taken before the flash. */
export function BackupModeField({
  value,
  onChange,
  error,
}: {
  value: BackupMode;
  onChange: (mode: BackupMode) => void;
  error?: string | undefined;
}) {
  return (
    <Field
      label="Configuration backup before flashing"
      error={error}
      hint="sysupgrade -b; the archive is listed on the device's Backups tab."
    >
      {(id, describedBy) => (
        <select
          id={id}
          aria-describedby={describedBy}
          value={value}
          onChange={(event) => onChange(event.target.value as BackupMode)}
        >
          {BACKUP_MODES.map((mode) => (
            <option key={mode} value={mode}>
              {BACKUP_MODE_TEXT[mode]}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
