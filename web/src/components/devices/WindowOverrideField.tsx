/**
 * An admin's explicit override of the device's maintenance window for one upgrade: it starts now
 * (`ignore_maintenance_window`, recorded in the audit log). Without it, an upgrade outside the window
 * waits, pending, for the window's next opening.
 */
export function WindowOverrideField({
  id,
  checked,
  onChange,
}: {
  id: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <div className="checkbox">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
        aria-describedby={`${id}-description`}
      />
      <div>
        <label htmlFor={id}>Start now, ignoring the maintenance window</label>
        <br />
        <small id={`${id}-description`} className="muted">
          Without this, an upgrade outside the device's maintenance window waits for the window to open.
        </small>
      </div>
    </div>
  );
}
