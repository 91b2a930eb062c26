import { type FormEvent, useState } from 'react';
import { ApiError } from '../../api/client';
import { ErrorMessage, Field } from '../ui';
import { EVENT_LABELS, type NotificationEvent, SUBSCRIBABLE_EVENTS } from './text';

export interface WebhookFields {
  organization?: string;
  url: string;
  description: string;
  events: NotificationEvent[];
  active: boolean;
}

/**
 * The fields of a webhook, for creating one or changing it. `organizations` (id and name) is given
 * when the caller must choose where a new webhook goes.
 */
export function WebhookForm({
  initial,
  organizations,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial: WebhookFields;
  organizations?: { id: string; name: string }[] | undefined;
  submitLabel: string;
  onSubmit: (fields: WebhookFields) => Promise<void>;
  onCancel?: () => void;
}) {
  const [fields, setFields] = useState<WebhookFields>(initial);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (change: Partial<WebhookFields>) => setFields((current) => ({ ...current, ...change }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!/^https?:\/\/\S+$/i.test(fields.url.trim()))
      found.url = 'Enter the receiver’s http:// or https:// URL, e.g. https://hooks.example.com/fleetflash.';
    if (fields.events.length === 0) found.events = 'Choose at least one event.';
    if (organizations && !fields.organization) found.organization = 'Choose the organization.';
    setProblems(found);
    setError(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      await onSubmit({ ...fields, url: fields.url.trim() });
    } catch (caught) {
      if (caught instanceof ApiError && Object.keys(caught.fields).length > 0) setProblems(caught.fields);
      else setError(caught);
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
        <Field label="URL" error={problems.url} hint="fleetflash POSTs JSON here.">
          {(id, describedBy) => (
            <input
              id={id}
              aria-describedby={describedBy}
              type="url"
              value={fields.url}
              maxLength={2000}
              onChange={(event) => set({ url: event.target.value })}
              autoComplete="off"
            />
          )}
        </Field>
        <Field label="Description" error={problems.description} hint="Optional, e.g. “ops chat”.">
          {(id, describedBy) => (
            <input
              id={id}
              aria-describedby={describedBy}
              value={fields.description}
              maxLength={200}
              onChange={(event) => set({ description: event.target.value })}
            />
          )}
        </Field>
      </div>
      <fieldset className="checks" aria-describedby={problems.events ? 'webhook-events-error' : undefined}>
        <legend>Events</legend>
        {SUBSCRIBABLE_EVENTS.map((event) => (
          <label key={event}>
            <input
              type="checkbox"
              checked={fields.events.includes(event)}
              onChange={(change) =>
                set({
                  events: SUBSCRIBABLE_EVENTS.filter((known) =>
                    known === event ? change.target.checked : fields.events.includes(known),
                  ),
                })
              }
            />
            {EVENT_LABELS[event]}
          </label>
        ))}
      </fieldset>
      {problems.events ? (
        <small id="webhook-events-error" className="field-error" role="alert">
          {problems.events}
        </small>
      ) : null}
      <label>
        <input type="checkbox" checked={fields.active} onChange={(event) => set({ active: event.target.checked })} />
        <span> Active (deliveries are sent)</span>
      </label>
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
