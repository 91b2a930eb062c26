import { useEffect, useId, useRef, useState } from 'react';
import { type DeviceManagement, LAST_RESULT_TEXT, type LastResult, MANAGEMENT_TEXT } from './fleet';

const DEBOUNCE_MS = 300;

/** A select whose options are value → label; `any` (the empty value) means no filter. */
export function ChoiceField<Value extends string>({
  label,
  value,
  choices,
  onChange,
}: {
  label: string;
  value: Value | '';
  choices: readonly (readonly [Value, string])[];
  onChange: (value: Value | '') => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value as Value | '')}>
        <option value="">Any</option>
        {choices.map(([choice, text]) => (
          <option key={choice} value={choice}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

export const REACHABLE_CHOICES = [
  ['true', 'Online'],
  ['false', 'Offline'],
] as const;

export const BEHIND_CHOICES = [
  ['true', 'Behind the latest build'],
  ['false', 'On the latest build'],
] as const;

export const LAST_RESULT_CHOICES = Object.entries(LAST_RESULT_TEXT) as [LastResult, string][];

export const MANAGEMENT_CHOICES = Object.entries(MANAGEMENT_TEXT) as [DeviceManagement, string][];

export const STATUS_CHOICES = [
  ['active', 'Active'],
  ['deactivated', 'Deactivated'],
] as const;

/**
 * A text filter that follows the URL but writes to it only once typing pauses. A value that comes
 * back from the URL after our own write does not overwrite what the user typed since.
 */
export function DebouncedField({
  label,
  value,
  onCommit,
  type = 'text',
  placeholder,
  suggestions,
}: {
  label: string;
  value: string;
  onCommit: (value: string) => void;
  type?: 'text' | 'search';
  placeholder?: string;
  suggestions?: string[] | undefined;
}) {
  const id = useId();
  const [draft, setDraft] = useState(value);
  const committed = useRef(value);
  const commit = useRef(onCommit);
  commit.current = onCommit;

  // The URL changed by itself (back, forward, a link, "Clear filters"): show its value.
  useEffect(() => {
    if (value !== committed.current) {
      committed.current = value;
      setDraft(value);
    }
  }, [value]);

  useEffect(() => {
    const trimmed = draft.trim();
    if (trimmed === committed.current) return undefined;
    const timer = setTimeout(() => {
      if (trimmed === committed.current) return; // Enter applied it already
      committed.current = trimmed;
      commit.current(trimmed);
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [draft]);

  const listId = suggestions && suggestions.length > 0 ? `${id}-suggestions` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        value={draft}
        placeholder={placeholder}
        list={listId}
        autoComplete="off"
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={(event) => {
          // Enter applies at once.
          if (event.key === 'Enter' && draft.trim() !== committed.current) {
            committed.current = draft.trim();
            onCommit(draft.trim());
          }
        }}
      />
      {listId ? (
        <datalist id={listId}>
          {suggestions!.map((suggestion) => (
            <option key={suggestion} value={suggestion} />
          ))}
        </datalist>
      ) : null}
    </div>
  );
}
