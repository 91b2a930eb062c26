import { api, call } from '../../api/client';
import { useLoad } from '../../hooks/useLoad';
import { Field } from '../ui';

/** The choice's value for "no health check" (the API's null). */
export const NO_HEALTH_CHECK = 'none';

/**
 * The health check of a mass upgrade or of a single one: the category's default (left out of the request),
 * none (null), or one of the organization's checks. A single upgrade names its device's organization: the
 * server refuses another organization's check, so only that one's are offered.
 */
export function BatchHealthCheckField({
  value,
  onChange,
  error,
  organization,
  hint = 'Probes run on each router after proof of boot; a failing probe fails its upgrade.',
}: {
  value: string;
  /** The value chosen and what the choice reads (the check's name, "None" or the default). */
  onChange: (value: string, label: string) => void;
  error?: string | undefined;
  /** Offers only this organization's checks (an id); left out: every check the person sees. */
  organization?: string | undefined;
  hint?: string;
}) {
  const checks = useLoad(() => call(api.GET('/api/v1/health-checks/', { params: { query: { page_size: 100 } } })), []);
  const offered = (checks.data?.results ?? []).filter(
    (check) => organization === undefined || check.organization === organization,
  );
  return (
    <Field label="Health check" error={error} hint={hint}>
      {(id, describedBy) => (
        <select
          id={id}
          aria-describedby={describedBy}
          aria-invalid={error ? true : undefined}
          value={value}
          onChange={(event) => {
            const option = event.target.selectedOptions[0];
            onChange(event.target.value, option?.dataset.name ?? option?.text ?? '');
          }}
        >
          <option value="">The category's default</option>
          <option value={NO_HEALTH_CHECK}>None</option>
          {offered.map((check) => (
            <option key={check.id} value={check.id} data-name={check.name}>
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
