import { useId, useMemo, useState } from 'react';
import type { paths } from '../../api/schema';
import { Field } from '../ui';

type ProfilesGet = paths['/api/v1/profiles/{version}/{target}/{subtarget}']['get'];
type Profiles = ProfilesGet['responses'][200]['content']['application/json'];
export type Profile = Profiles['profiles'][number];

const SHOWN = 60;

/**
 * The router model: a search box ("Archer C7", a board name, a profile id) over the target's
 * profiles, and the matches as radio buttons (arrow keys move between them).
 */
export function ModelPicker({
  profiles,
  value,
  onChange,
  error,
}: {
  profiles: readonly Profile[];
  value: string;
  onChange: (id: string) => void;
  error?: string | undefined;
}) {
  const [search, setSearch] = useState('');
  const groupName = useId();
  const matches = useMemo(() => {
    const words = search.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) return profiles;
    return profiles.filter((profile) => {
      const text = `${profile.title} ${profile.id} ${profile.supported_devices.join(' ')}`.toLowerCase();
      return words.every((word) => text.includes(word));
    });
  }, [profiles, search]);
  const shown = matches.slice(0, SHOWN);
  const chosen = profiles.find((profile) => profile.id === value);
  // The chosen model stays visible (and selectable) even when the search no longer matches it.
  const list = chosen && !shown.includes(chosen) ? [chosen, ...shown] : shown;

  return (
    <div>
      <Field
        label="Model"
        error={error}
        hint={`Search by name, board or profile id among ${profiles.length} models of this target.`}
      >
        {(id, describedBy) => (
          <input
            id={id}
            type="search"
            aria-describedby={describedBy}
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            placeholder="e.g. Archer C7"
            autoComplete="off"
          />
        )}
      </Field>
      <fieldset
        style={{
          border: '1px solid var(--line)',
          borderRadius: 8,
          padding: '0.5rem 0.75rem',
          maxHeight: '20rem',
          overflowY: 'auto',
          margin: 0,
        }}
      >
        <legend className="muted" style={{ fontSize: '0.9rem' }}>
          {matches.length === 0
            ? 'No match'
            : matches.length > SHOWN
              ? `First ${SHOWN} of ${matches.length} matches: type more to narrow`
              : `${matches.length} ${matches.length === 1 ? 'match' : 'matches'}`}
        </legend>
        {list.length === 0 ? (
          <p className="muted" style={{ margin: 0 }}>
            No model of this target matches “{search}”.
          </p>
        ) : (
          list.map((profile) => {
            const radioId = `${groupName}-${profile.id}`;
            return (
              <div className="checkbox" key={profile.id}>
                <input
                  type="radio"
                  id={radioId}
                  name={groupName}
                  value={profile.id}
                  checked={profile.id === value}
                  onChange={() => onChange(profile.id)}
                />
                <label htmlFor={radioId}>
                  {profile.title} <small className="muted">({profile.id})</small>
                </label>
              </div>
            );
          })
        )}
      </fieldset>
      {chosen ? (
        <p aria-live="polite">
          Chosen: <strong>{chosen.title}</strong> <code>{chosen.id}</code>
        </p>
      ) : (
        <p className="muted">Choose your router's model in the list.</p>
      )}
    </div>
  );
}
