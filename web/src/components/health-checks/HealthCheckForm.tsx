import { type FormEvent, useState } from 'react';
import { ApiError } from '../../api/client';
import type { paths } from '../../api/schema';
import { ErrorMessage, Field } from '../ui';

export type HealthCheck = paths['/api/v1/health-checks/{id}/']['get']['responses'][200]['content']['application/json'];
export type Probe = HealthCheck['probes'][number];

export interface HealthCheckFields {
  organization?: string;
  name: string;
  probes: Probe[];
}

/** The documented examples (docs/operations.md), offered as the first probe of a new check. */
export const EXAMPLE_PROBE: Probe = {
  name: 'WAN up',
  command: `ubus call network.interface.wan status | grep -q '"up": true'`,
  timeout_seconds: 10,
};

/**
 * The fields of a health check: a name and its probes in order (name, shell command, timeout in
 * seconds). The server checks everything again and names the field it refuses.
 */
export function HealthCheckForm({
  initial,
  organizations,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial: HealthCheckFields;
  organizations?: { id: string; name: string }[] | undefined;
  submitLabel: string;
  onSubmit: (fields: HealthCheckFields) => Promise<void>;
  onCancel?: () => void;
}) {
  const [fields, setFields] = useState<HealthCheckFields>(initial);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (change: Partial<HealthCheckFields>) => setFields((current) => ({ ...current, ...change }));
  const setProbe = (index: number, change: Partial<Probe>) =>
    set({ probes: fields.probes.map((probe, at) => (at === index ? { ...probe, ...change } : probe)) });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (fields.name.trim() === '') found.name = 'Give the check a name, e.g. “Router works”.';
    if (organizations && !fields.organization) found.organization = 'Choose the organization.';
    fields.probes.forEach((probe, index) => {
      if (probe.name.trim() === '') found[`probes.${index}.name`] = 'Name the probe.';
      if (probe.command.trim() === '') found[`probes.${index}.command`] = 'Give the command to run.';
    });
    setProblems(found);
    setError(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      await onSubmit({
        ...fields,
        name: fields.name.trim(),
        probes: fields.probes.map((probe) => ({ ...probe, name: probe.name.trim() })),
      });
    } catch (caught) {
      if (caught instanceof ApiError && Object.keys(caught.fields).length > 0) setProblems(caught.fields);
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <div className="filters">
        {organizations ? (
          <Field label="Organization" error={problems.organization}>
            {(id, describedBy) => (
              <select
                id={id}
                aria-describedby={describedBy}
                value={fields.organization ?? ''}
                onChange={(event) => set({ organization: event.target.value })}
              >
                <option value="">Choose…</option>
                {organizations.map((organization) => (
                  <option key={organization.id} value={organization.id}>
                    {organization.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
        <Field label="Name" error={problems.name}>
          {(id, describedBy) => (
            <input
              id={id}
              aria-describedby={describedBy}
              value={fields.name}
              maxLength={100}
              onChange={(event) => set({ name: event.target.value })}
            />
          )}
        </Field>
      </div>
      {problems.probes ? (
        <small className="field-error" role="alert">
          {problems.probes}
        </small>
      ) : null}
      {fields.probes.map((probe, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: probes have no identity but their place in the list
        <fieldset key={index} className="group" aria-label={`Probe ${index + 1}`}>
          <legend>Probe {index + 1}</legend>
          <div className="filters">
            <Field label="Probe name" error={problems[`probes.${index}.name`]}>
              {(id, describedBy) => (
                <input
                  id={id}
                  aria-describedby={describedBy}
                  value={probe.name}
                  maxLength={100}
                  onChange={(event) => setProbe(index, { name: event.target.value })}
                />
              )}
            </Field>
            <Field
              label="Command"
              error={problems[`probes.${index}.command`]}
              hint="Run on the router after the reboot; passes when it exits 0."
            >
              {(id, describedBy) => (
                <input
                  id={id}
                  aria-describedby={describedBy}
                  value={probe.command}
                  maxLength={1000}
                  size={50}
                  onChange={(event) => setProbe(index, { command: event.target.value })}
                />
              )}
            </Field>
            <Field label="Timeout (s)" error={problems[`probes.${index}.timeout_seconds`]}>
              {(id, describedBy) => (
                <input
                  id={id}
                  aria-describedby={describedBy}
                  type="number"
                  min={1}
                  max={300}
                  value={probe.timeout_seconds}
                  onChange={(event) => setProbe(index, { timeout_seconds: Number(event.target.value) })}
                />
              )}
            </Field>
          </div>
          {fields.probes.length > 1 ? (
            <button type="button" onClick={() => set({ probes: fields.probes.filter((_probe, at) => at !== index) })}>
              Remove probe {index + 1}
            </button>
          ) : null}
        </fieldset>
      ))}
      <div className="actions">
        {fields.probes.length < 20 ? (
          <button
            type="button"
            onClick={() => set({ probes: [...fields.probes, { name: '', command: '', timeout_seconds: 5 }] })}
          >
            Add a probe
          </button>
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          {submitLabel}
        </button>
        {onCancel ? (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
      <ErrorMessage error={error} />
    </form>
  );
}
