import { type CSSProperties, type KeyboardEvent, useId, useState } from 'react';
import { PACKAGE_NAME } from './asu';

const chip: CSSProperties = {
  display: 'inline-flex',
  alignItems: 'center',
  gap: '0.2rem',
  margin: '0 0.35rem 0.35rem 0',
  fontFamily: 'ui-monospace, monospace',
};
const chipButton: CSSProperties = {
  padding: '0 0.35rem',
  border: 0,
  background: 'transparent',
  color: 'inherit',
  fontSize: '0.95rem',
  lineHeight: 1.2,
};
const list: CSSProperties = {
  listStyle: 'none',
  padding: 0,
  margin: '0.25rem 0 0.5rem',
  display: 'flex',
  flexWrap: 'wrap',
};

/**
 * The package list of an image: the profile's defaults as chips (removing one asks for `-name`),
 * packages added on top, and a field with the target's package index as suggestions.
 */
export function PackageEditor({
  defaults,
  removed,
  added,
  available,
  onChange,
  error,
}: {
  defaults: readonly string[];
  removed: readonly string[];
  added: readonly string[];
  /** Every package of the architecture's index; empty while unknown. */
  available: readonly string[];
  onChange: (next: { removed: string[]; added: string[] }) => void;
  error?: string | undefined;
}) {
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const inputId = useId();
  const listId = useId();
  const kept = defaults.filter((item) => !removed.includes(item));

  const add = () => {
    const text = name.trim();
    if (!text) {
      setProblem('Type a package name first.');
      return;
    }
    if (!PACKAGE_NAME.test(text)) {
      setProblem('A package name has letters, digits, and . _ , - only (a leading - removes a package).');
      return;
    }
    const bare = text.replace(/^-/, '');
    setProblem(null);
    setName('');
    if (text.startsWith('-')) {
      if (defaults.includes(bare))
        onChange({ removed: [...new Set([...removed, bare])], added: added.filter((item) => item !== bare) });
      else
        onChange({ removed: [...removed], added: [...added.filter((item) => item !== bare && item !== text), text] });
      return;
    }
    if (defaults.includes(bare)) {
      onChange({ removed: removed.filter((item) => item !== bare), added: [...added] });
      if (!removed.includes(bare)) setProblem(`${bare} is already in the image by default.`);
      return;
    }
    if (added.includes(bare)) {
      setProblem(`${bare} is already added.`);
      return;
    }
    onChange({ removed: [...removed], added: [...added.filter((item) => item !== `-${bare}`), bare] });
    if (available.length > 0 && !available.includes(bare))
      setProblem(`${bare} is not in this target's package index: the build may refuse it.`);
  };
  const onKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      add();
    }
  };
  const errorId = `${inputId}-error`;
  const messages = [error, problem].filter((text): text is string => Boolean(text));

  return (
    <div>
      <h3 style={{ marginBottom: '0.25rem' }}>Default packages</h3>
      {defaults.length === 0 ? (
        <p className="muted">This model has no default packages listed.</p>
      ) : (
        <ul style={list} aria-label="Default packages">
          {kept.map((item) => (
            <li key={item} className="badge" style={chip}>
              {item}
              <button
                type="button"
                style={chipButton}
                onClick={() => onChange({ removed: [...removed, item], added: [...added] })}
                aria-label={`Remove ${item}`}
                title={`Remove ${item}`}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {removed.length > 0 ? (
        <>
          <h3 style={{ marginBottom: '0.25rem' }}>Removed</h3>
          <ul style={list} aria-label="Removed packages">
            {removed.map((item) => (
              <li key={item} className="badge badge-bad" style={chip}>
                <s>{item}</s>
                <button
                  type="button"
                  style={chipButton}
                  onClick={() => onChange({ removed: removed.filter((other) => other !== item), added: [...added] })}
                  aria-label={`Restore ${item}`}
                  title={`Restore ${item}`}
                >
                  ↺
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h3 style={{ marginBottom: '0.25rem' }}>Added</h3>
      {added.length === 0 ? (
        <p className="muted" style={{ marginTop: 0 }}>
          None yet.
        </p>
      ) : (
        <ul style={list} aria-label="Added packages">
          {added.map((item) => (
            <li key={item} className={`badge ${item.startsWith('-') ? 'badge-bad' : 'badge-busy'}`} style={chip}>
              {item}
              <button
                type="button"
                style={chipButton}
                onClick={() => onChange({ removed: [...removed], added: added.filter((other) => other !== item) })}
                aria-label={`Remove ${item}`}
                title={`Remove ${item}`}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className={`field${messages.length > 0 ? ' has-error' : ''}`}>
        <label htmlFor={inputId}>Add package</label>
        <div style={{ display: 'flex', gap: '0.5rem', flexWrap: 'wrap' }}>
          <input
            id={inputId}
            list={listId}
            value={name}
            onChange={(event) => {
              setName(event.target.value);
              setProblem(null);
            }}
            onKeyDown={onKey}
            autoComplete="off"
            spellCheck={false}
            placeholder="e.g. luci"
            aria-describedby={messages.length > 0 ? errorId : undefined}
            aria-invalid={error ? true : undefined}
            style={{ flex: '1 1 12rem' }}
          />
          <button type="button" onClick={add}>
            Add
          </button>
        </div>
        <datalist id={listId}>
          {available.map((item) => (
            <option key={item} value={item} />
          ))}
        </datalist>
        {messages.length > 0 ? (
          <small id={errorId} className="field-error" role="alert">
            {messages.join(' ')}
          </small>
        ) : null}
      </div>
    </div>
  );
}
