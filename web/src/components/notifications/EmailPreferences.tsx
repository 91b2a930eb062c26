import { useEffect, useState } from 'react';
import { api, call } from '../../api/client';
import type { paths } from '../../api/schema';
import { useLoad } from '../../hooks/useLoad';
import { useOrganizations } from '../firmware/common';
import { ErrorMessage, Loading } from '../ui';
import { EVENT_LABELS, type NotificationEvent, SUBSCRIBABLE_EVENTS } from './text';

type Preferences =
  paths['/api/v1/notifications/email-preferences/']['get']['responses'][200]['content']['application/json'];

/** Key of the "all my organizations" row. */
const ALL = 'all';

/** "My notifications": which events reach the user by email, for all their organizations or per organization. */
export function EmailPreferences() {
  const preferences = useLoad(() => call(api.GET('/api/v1/notifications/email-preferences/')), []);
  const { organizations } = useOrganizations();
  const [choices, setChoices] = useState<Record<string, NotificationEvent[]>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (preferences.data) setChoices(toChoices(preferences.data));
  }, [preferences.data]);

  if (preferences.data === undefined)
    return preferences.error ? <ErrorMessage error={preferences.error} /> : <Loading what="Loading your choices" />;
  const { email_available: available, email } = preferences.data;

  const toggle = (key: string, event: NotificationEvent, on: boolean) => {
    setSaved(false);
    setChoices((current) => {
      const events = new Set(current[key] ?? []);
      if (on) events.add(event);
      else events.delete(event);
      return { ...current, [key]: SUBSCRIBABLE_EVENTS.filter((known) => events.has(known)) };
    });
  };
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const subscriptions = Object.entries(choices).map(([key, events]) => ({
        organization: key === ALL ? null : key,
        events,
      }));
      preferences.setData(await call(api.PUT('/api/v1/notifications/email-preferences/', { body: { subscriptions } })));
      setSaved(true);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const rows = [{ key: ALL, name: 'All my organizations' }, ...organizations.map((o) => ({ key: o.id, name: o.name }))];
  return (
    <section className="panel" aria-labelledby="email-heading">
      <h2 id="email-heading" style={{ marginTop: 0 }}>
        Email
      </h2>
      {!available ? (
        <p role="note">
          Email is off on this server: no SMTP server is set (settings <code>email.*</code>). Your choices are kept and
          take effect once an administrator sets one.
        </p>
      ) : null}
      {email ? (
        <p>
          Emails go to <strong>{email}</strong>. Nothing is sent until you choose events below.
        </p>
      ) : (
        <p role="note">Your user has no email address: add one to your user to receive email.</p>
      )}
      {rows.map((row) => (
        <fieldset key={row.key} className="checks" aria-label={`Email for ${row.name}`}>
          <legend>{row.name}</legend>
          {SUBSCRIBABLE_EVENTS.map((event) => (
            <label key={event}>
              <input
                type="checkbox"
                checked={(choices[row.key] ?? []).includes(event)}
                onChange={(change) => toggle(row.key, event, change.target.checked)}
              />
              {EVENT_LABELS[event]}
            </label>
          ))}
        </fieldset>
      ))}
      <div className="actions">
        <button type="button" className="primary" onClick={() => void save()} disabled={busy}>
          {busy ? 'Saving…' : 'Save email choices'}
        </button>
      </div>
      <p role="status" className="muted">
        {saved ? 'Saved.' : ''}
      </p>
      <ErrorMessage error={error} />
    </section>
  );
}

function toChoices(preferences: Preferences): Record<string, NotificationEvent[]> {
  return Object.fromEntries(
    preferences.subscriptions.map((subscription) => [subscription.organization ?? ALL, subscription.events]),
  );
}
