import { useEffect } from 'react';
import { api, call } from '../../api/client';
import { useLoad } from '../../hooks/useLoad';
import { Field } from '../ui';

/**
 * The mass upgrade's maintenance window: none (each device keeps its own, by group or location) or one
 * window for every device of the batch. Only windows of the batch's organization are offered (the server
 * refuses another's); a batch across organizations can name none.
 */
export function BatchWindowField({
  organization,
  value,
  onChange,
  error,
}: {
  /** The id of the organization whose devices the batch upgrades; null when several. */
  organization: string | null;
  value: string;
  onChange: (id: string) => void;
  error?: string | undefined;
}) {
  const windows = useLoad(
    () => call(api.GET('/api/v1/maintenance-windows/', { params: { query: { page_size: 100 } } })),
    [],
  );
  const offered = (windows.data?.results ?? []).filter((window) => window.organization === organization);
  const loaded = windows.data !== undefined;
  // A window chosen for another organization is no choice for this one.
  useEffect(() => {
    if (loaded && value !== '' && !offered.some((window) => window.id === value)) onChange('');
  });
  return (
    <Field
      label="Maintenance window"
      error={error}
      hint={
        organization === null
          ? 'Choose an organization to name a window; each device keeps its own window (by group or location).'
          : 'Upgrades start only while it is open. Left as is, each device keeps its own window (by group or location).'
      }
    >
      {(id, describedBy) => (
        <select id={id} aria-describedby={describedBy} value={value} onChange={(event) => onChange(event.target.value)}>
          <option value="">Each device's own</option>
          {offered.map((window) => (
            <option key={window.id} value={window.id}>
              {window.name} ({window.time_zone})
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
