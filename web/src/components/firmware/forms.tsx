import { type FormEvent, useState } from 'react';
import { Field } from '../ui';
import { fieldError, FormError, type OrganizationChoice } from './common';

/** The forms of categories and builds, used both to create and to edit them. */

/** Runs a form's submit, keeping its busy state and the API's error. */
function useSubmit<T>(onSubmit: (draft: T) => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent, draft: T) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit(draft);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, submit };
}

export interface CategoryDraft {
  name: string;
  description: string;
  /** Organization id; '' for none (shared, or left to the server when the user has one organization). */
  organization: string;
  /** The default health check's id, '' for none (only where the form offers the choice). */
  healthCheck?: string;
}

export interface OrganizationSelect {
  options: OrganizationChoice[];
  /** Superusers may leave it empty: a shared category. */
  allowShared: boolean;
}

export function CategoryForm({
  label,
  initial,
  submitLabel,
  organizationSelect,
  healthChecks,
  onSubmit,
  onCancel,
}: {
  /** The form's accessible name, e.g. "New category". */
  label: string;
  initial: CategoryDraft;
  submitLabel: string;
  organizationSelect?: OrganizationSelect | undefined;
  /** The organization's health checks, offered as the category's default (not for shared categories). */
  healthChecks?: { id: string; name: string }[] | undefined;
  onSubmit: (draft: CategoryDraft) => Promise<void>;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState(initial);
  const { busy, error, submit } = useSubmit(onSubmit);
  const change = (part: Partial<CategoryDraft>) => setDraft((current) => ({ ...current, ...part }));
  return (
    <form className="panel" aria-label={label} onSubmit={(event) => void submit(event, draft)}>
      <Field label="Name" error={fieldError(error, 'name')} hint="Unique in its organization, e.g. the product line.">
        {(id, describedBy) => (
          <input
            id={id}
            aria-describedby={describedBy}
            required
            maxLength={64}
            // biome-ignore lint/a11y/noAutofocus: the form appears when the user opens it; its first field takes focus
            autoFocus
            value={draft.name}
            onChange={(event) => change({ name: event.target.value })}
          />
        )}
      </Field>
      <Field label="Description" error={fieldError(error, 'description')}>
        {(id, describedBy) => (
          <textarea
            id={id}
            aria-describedby={describedBy}
            maxLength={10_000}
            rows={3}
            value={draft.description}
            onChange={(event) => change({ description: event.target.value })}
          />
        )}
      </Field>
      {organizationSelect ? (
        <Field
          label="Organization"
          error={fieldError(error, 'organization')}
          hint={
            organizationSelect.allowShared
              ? 'Shared categories are readable by every organization; only superusers change them.'
              : undefined
          }
        >
          {(id, describedBy) => (
            <select
              id={id}
              aria-describedby={describedBy}
              required={!organizationSelect.allowShared}
              value={draft.organization}
              onChange={(event) => change({ organization: event.target.value })}
            >
              <option value="">
                {organizationSelect.allowShared ? 'Shared (all organizations)' : 'Choose an organization'}
              </option>
              {organizationSelect.options.map((organization) => (
                <option key={organization.id} value={organization.id}>
                  {organization.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
      {healthChecks ? (
        <Field
          label="Default health check"
          error={fieldError(error, 'health_check')}
          hint="Upgrades of its builds run it after the reboot unless they choose another."
        >
          {(id, describedBy) => (
            <select
              id={id}
              aria-describedby={describedBy}
              value={draft.healthCheck ?? ''}
              onChange={(event) => change({ healthCheck: event.target.value })}
            >
              <option value="">None</option>
              {healthChecks.map((check) => (
                <option key={check.id} value={check.id}>
                  {check.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
      <FormError
        error={error}
        fields={organizationSelect ? ['name', 'description', 'organization'] : ['name', 'description']}
      />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export interface BuildDraft {
  version: string;
  os: string;
  changelog: string;
}

export function BuildForm({
  label,
  initial,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  label: string;
  initial: BuildDraft;
  submitLabel: string;
  onSubmit: (draft: BuildDraft) => Promise<void>;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState(initial);
  const { busy, error, submit } = useSubmit(onSubmit);
  const change = (part: Partial<BuildDraft>) => setDraft((current) => ({ ...current, ...part }));
  return (
    <form className="panel" aria-label={label} onSubmit={(event) => void submit(event, draft)}>
      <Field
        label="Version"
        error={fieldError(error, 'version')}
        hint="Unique in the category, e.g. 23.05.3 or 2024.06-rc1."
      >
        {(id, describedBy) => (
          <input
            id={id}
            aria-describedby={describedBy}
            required
            maxLength={32}
            // biome-ignore lint/a11y/noAutofocus: the form appears when the user opens it; its first field takes focus
            autoFocus
            value={draft.version}
            onChange={(event) => change({ version: event.target.value })}
          />
        )}
      </Field>
      <Field
        label="OS identifier"
        error={fieldError(error, 'os')}
        hint={
          <>
            Optional. The string devices report, e.g. "OpenWrt 23.05.3 r23809-234f1a2efa"; it tells which devices run
            this build.
          </>
        }
      >
        {(id, describedBy) => (
          <input
            id={id}
            aria-describedby={describedBy}
            maxLength={64}
            value={draft.os}
            onChange={(event) => change({ os: event.target.value })}
          />
        )}
      </Field>
      <Field label="Changelog" error={fieldError(error, 'changelog')}>
        {(id, describedBy) => (
          <textarea
            id={id}
            aria-describedby={describedBy}
            rows={5}
            value={draft.changelog}
            onChange={(event) => change({ changelog: event.target.value })}
          />
        )}
      </Field>
      <FormError error={error} fields={['version', 'os', 'changelog']} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The body of a build create or update: an empty OS identifier is "not known yet" (null). */
export function buildBody(draft: BuildDraft): { version: string; os: string | null; changelog: string } {
  return { version: draft.version.trim(), os: draft.os.trim() || null, changelog: draft.changelog };
}
