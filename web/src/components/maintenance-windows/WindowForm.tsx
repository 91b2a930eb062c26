import { type FormEvent, useMemo, useState } from 'react';
import { ApiError } from '../../api/client';
import type { paths } from '../../api/schema';
import { ErrorMessage, Field } from '../ui';

export type MaintenanceWindow =
  paths['/api/v1/maintenance-windows/{id}/']['get']['responses'][200]['content']['application/json'];
export type Period = MaintenanceWindow['schedule'][number];
type Weekday = Period['days'][number];

export const WEEKDAY_TEXT: Record<Weekday, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};
const WEEKDAYS = Object.keys(WEEKDAY_TEXT) as Weekday[];

export interface WindowFields {
  organization?: string;
  name: string;
  timeZone: string;
  schedule: Period[];
  groups: string;
  locations: string;
}

/** "a, b ,c" → ["a", "b", "c"]: how the form takes group and location lists. */
export function splitList(text: string): string[] {
  return [...new Set(text.split(',').map((part) => part.trim()))].filter((part) => part !== '');
}

/**
 * The fields of a maintenance window: name, IANA time zone (the browser's list as suggestions), weekly
 * periods (days, start, end; an end before the start is the next day) and the groups and locations it
 * covers. The server checks everything again and names the field it refuses.
 */
export function WindowForm({
  initial,
  organizations,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial: WindowFields;
  organizations?: { id: string; name: string }[] | undefined;
  submitLabel: string;
  onSubmit: (fields: WindowFields) => Promise<void>;
  onCancel?: () => void;
}) {
  const [fields, setFields] = useState<WindowFields>(initial);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const zones = useMemo(() => Intl.supportedValuesOf('timeZone'), []);
  const set = (change: Partial<WindowFields>) => setFields((current) => ({ ...current, ...change }));
  const setPeriod = (index: number, change: Partial<Period>) =>
    set({ schedule: fields.schedule.map((period, at) => (at === index ? { ...period, ...change } : period)) });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (fields.name.trim() === '') found.name = 'Give the window a name, e.g. “Night”.';
    if (organizations && !fields.organization) found.organization = 'Choose the organization.';
    fields.schedule.forEach((period, index) => {
      if (period.days.length === 0) found[`schedule.${index}.days`] = 'Choose at least one day.';
    });
    setProblems(found);
    setError(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      await onSubmit({ ...fields, name: fields.name.trim(), timeZone: fields.timeZone.trim() });
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
        <Field label="Time zone" error={problems.time_zone} hint="An IANA name, e.g. Europe/Berlin.">
          {(id, describedBy) => (
            <>
              <input
                id={id}
                aria-describedby={describedBy}
                value={fields.timeZone}
                list="time-zones"
                maxLength={64}
                onChange={(event) => set({ timeZone: event.target.value })}
              />
              <datalist id="time-zones">
                {zones.map((zone) => (
                  <option key={zone} value={zone} />
                ))}
              </datalist>
            </>
          )}
        </Field>
      </div>
      {fields.schedule.map((period, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: periods have no identity but their place in the list
        <fieldset key={index} className="group" aria-label={`Period ${index + 1}`}>
          <legend>Period {index + 1}</legend>
          <div className="checks">
            {WEEKDAYS.map((day) => (
              <label key={day}>
                <input
                  type="checkbox"
                  checked={period.days.includes(day)}
                  onChange={(change) =>
                    setPeriod(index, {
                      days: WEEKDAYS.filter((known) =>
                        known === day ? change.target.checked : period.days.includes(known),
                      ),
                    })
                  }
                />
                {WEEKDAY_TEXT[day]}
              </label>
            ))}
          </div>
          {problems[`schedule.${index}.days`] ? (
            <small className="field-error" role="alert">
              {problems[`schedule.${index}.days`]}
            </small>
          ) : null}
          <div className="filters">
            <Field label="Opens" error={problems[`schedule.${index}.start`]}>
              {(id, describedBy) => (
                <input
                  id={id}
                  aria-describedby={describedBy}
                  type="time"
                  value={period.start}
                  onChange={(event) => setPeriod(index, { start: event.target.value })}
                />
              )}
            </Field>
            <Field
              label="Closes"
              error={problems[`schedule.${index}.end`]}
              hint="Before the opening time: the next day."
            >
              {(id, describedBy) => (
                <input
                  id={id}
                  aria-describedby={describedBy}
                  type="time"
                  value={period.end}
                  onChange={(event) => setPeriod(index, { end: event.target.value })}
                />
              )}
            </Field>
          </div>
          {fields.schedule.length > 1 ? (
            <button
              type="button"
              onClick={() => set({ schedule: fields.schedule.filter((_period, at) => at !== index) })}
            >
              Remove period {index + 1}
            </button>
          ) : null}
        </fieldset>
      ))}
      <button
        type="button"
        onClick={() => set({ schedule: [...fields.schedule, { days: ['sat', 'sun'], start: '01:00', end: '05:00' }] })}
      >
        Add a period
      </button>
      <div className="filters">
        <Field
          label="Device groups"
          error={problems['applies_to.groups']}
          hint="Comma-separated; a device's group decides before its location."
        >
          {(id, describedBy) => (
            <input
              id={id}
              aria-describedby={describedBy}
              value={fields.groups}
              onChange={(event) => set({ groups: event.target.value })}
            />
          )}
        </Field>
        <Field label="Locations" error={problems['applies_to.locations']} hint="Comma-separated.">
          {(id, describedBy) => (
            <input
              id={id}
              aria-describedby={describedBy}
              value={fields.locations}
              onChange={(event) => set({ locations: event.target.value })}
            />
          )}
        </Field>
      </div>
      <div className="actions" style={{ marginTop: '0.6rem' }}>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
        {onCancel ? (
          <button type="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        ) : null}
      </div>
      <ErrorMessage error={error} />
    </form>
  );
}
