import { api, call } from '../../api/client';
import { useLoad } from '../../hooks/useLoad';
import { Field } from '../ui';

/**
 * The mass upgrade's maintenance window: none (each device keeps its own, by group or location) or one
 * window for every device of the batch.
 */
export function BatchWindowField({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (id: string) => void;
  error?: string | undefined;
}) {
  const windows = useLoad(
    () => call(api.GET('/api/v1/maintenance-windows/', { params: { query: { page_size: 100 } } })),
    [],
  );
  return (
    <Field
      label="Maintenance window"
      error={error}
      hint="Upgrades start only while it is open. Left as is, each device keeps its own window (by group or location)."
    >
      {(id, describedBy) => (
        <select id={id} aria-describedby={describedBy} value={value} onChange={(event) => onChange(event.target.value)}>
          <option value="">Each device's own</option>
          {(windows.data?.results ?? []).map((window) => (
            <option key={window.id} value={window.id}>
              {window.name} ({window.time_zone})
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
