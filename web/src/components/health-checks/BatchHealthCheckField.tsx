import { api, call } from '../../api/client';
import { useLoad } from '../../hooks/useLoad';
import { Field } from '../ui';

/** The choice's value for "no health check" (the API's null). */
export const NO_HEALTH_CHECK = 'none';

/**
 * The health check of a mass upgrade: the category's default (left out of the request), none (null), or
 * one of the organization's checks.
 */
export function BatchHealthCheckField({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
}) {
  const checks = useLoad(() => call(api.GET('/api/v1/health-checks/', { params: { query: { page_size: 100 } } })), []);
  return (
    <Field
      label="Health check"
      error={error}
      hint="Probes run on each router after proof of boot; a failing probe fails its upgrade."
    >
      {(id, describedBy) => (
        <select id={id} aria-describedby={describedBy} value={value} onChange={(event) => onChange(event.target.value)}>
          <option value="">The category's default</option>
          <option value={NO_HEALTH_CHECK}>None</option>
          {(checks.data?.results ?? []).map((check) => (
            <option key={check.id} value={check.id}>
              {check.name} ({check.probes.length} probe{check.probes.length === 1 ? '' : 's'})
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** The request field for the choice: absent for the default, null for none, else the id. */
export function healthCheckField(value: string): { health_check?: string | null } {
  if (value === '') return {};
  return { health_check: value === NO_HEALTH_CHECK ? null : value };
}
