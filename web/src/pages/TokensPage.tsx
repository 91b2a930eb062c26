import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api, ApiError, call } from '../api/client';
import type { paths } from '../api/schema';
import { DataTable } from '../components/DataTable';
import { EmptyState, ErrorMessage, Field, formatDate, Loading, PageHeader, Pagination } from '../components/ui';
import { useLoad } from '../hooks/useLoad';

const PAGE_SIZE = 20;

type Json<T> = T extends { responses: { 200: { content: { 'application/json': infer Body } } } } ? Body : never;
/** A new token, as the server answers once (the only time the secret is shown). */
type CreatedToken = paths['/api/v1/auth/tokens/']['post']['responses'][201]['content']['application/json'];
type Created = Pick<CreatedToken, 'name' | 'token'>;

/** Your API tokens, for scripts and CI: create (the secret shows once), list, revoke. */
export function TokensPage() {
  const [page, setPage] = useState(1);
  const tokens = useLoad(
    () => call(api.GET('/api/v1/auth/tokens/', { params: { query: { page, page_size: PAGE_SIZE } } })),
    [page],
  );
  const [created, setCreated] = useState<Created | null>(null);

  return (
    <>
      <PageHeader title="API tokens" />
      <p>
        An API token lets a script, CI job or tool use the fleetflash API as you, with your rights. Send it in the
        header <code>Authorization: Bearer &lt;token&gt;</code>, for example:
      </p>
      <pre
        className="log"
        style={{ maxHeight: 'none' }}
      >{`curl -H "Authorization: Bearer $FLEETFLASH_TOKEN" ${window.location.origin}/api/v1/devices/`}</pre>

      <CreateToken
        onCreated={(token) => {
          setCreated(token);
          setPage(1);
          void tokens.reload();
        }}
      />
      {created ? <NewSecret created={created} onDone={() => setCreated(null)} /> : null}

      <h2>Your tokens</h2>
      <ErrorMessage error={tokens.error} />
      {tokens.data === undefined ? (
        tokens.error ? null : (
          <Loading what="Loading your tokens" />
        )
      ) : tokens.data.results.length === 0 ? (
        <EmptyState>
          You have no API token. Create one above for each script or tool, so you can revoke one without touching the
          others.
        </EmptyState>
      ) : (
        <>
          <DataTable<Token>
            rows={tokens.data.results}
            rowKey={(token) => token.id}
            columns={[
              { header: 'Name', cell: (token) => token.name },
              { header: 'Starts with', className: 'hide-narrow', cell: (token) => <code>{token.prefix}…</code> },
              { header: 'Created', className: 'hide-narrow', cell: (token) => formatDate(token.created) },
              { header: 'Expires', cell: (token) => <Expires token={token} /> },
              {
                header: 'Last used',
                className: 'hide-narrow',
                cell: (token) => (token.last_used_at ? formatDate(token.last_used_at) : 'never'),
              },
              {
                header: <span className="visually-hidden">Actions</span>,
                cell: (token) => <RevokeToken token={token} onRevoked={() => void tokens.reload()} />,
              },
            ]}
          />
          <Pagination page={page} pageSize={PAGE_SIZE} count={tokens.data.count} onPage={setPage} />
        </>
      )}
    </>
  );
}

function CreateToken({ onCreated }: { onCreated: (created: Created) => void }) {
  const [name, setName] = useState('');
  const [days, setDays] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fields, setFields] = useState<Record<string, string>>({});

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!name.trim()) problems.name = 'Give the token a name, e.g. the script that will use it.';
    const expires = days.trim() === '' ? null : Number(days);
    if (expires !== null && (!Number.isInteger(expires) || expires < 1 || expires > 3650))
      problems.expires_in_days = 'Enter a whole number of days from 1 to 3650, or leave it empty.';
    setFields(problems);
    setError(null);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      const answer = await call(
        api.POST('/api/v1/auth/tokens/', { body: { name: name.trim(), expires_in_days: expires } }),
      );
      onCreated({ name: answer.name, token: answer.token });
      setName('');
      setDays('');
    } catch (caught) {
      if (caught instanceof ApiError && Object.keys(caught.fields).length > 0) setFields(caught.fields);
      else setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel" onSubmit={(event) => void submit(event)} noValidate>
      <h2 id="token-new" style={{ marginTop: 0 }}>
        New token
      </h2>
      <div className="filters">
        <Field label="Name" error={fields.name} hint="What uses it, e.g. “deploy script”.">
          {(id, describedBy) => (
            <input
              id={id}
              aria-describedby={describedBy}
              value={name}
              maxLength={100}
              onChange={(event) => setName(event.target.value)}
              autoComplete="off"
            />
          )}
        </Field>
        <Field label="Expires in days" error={fields.expires_in_days} hint="Optional; empty: never expires.">
          {(id, describedBy) => (
            <input
              id={id}
              aria-describedby={describedBy}
              type="number"
              min={1}
              max={3650}
              step={1}
              inputMode="numeric"
              value={days}
              onChange={(event) => setDays(event.target.value)}
            />
          )}
        </Field>
      </div>
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Creating…' : 'Create token'}
      </button>
      <ErrorMessage error={error} />
    </form>
  );
}

function NewSecret({ created, onDone }: { created: Created; onDone: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // Keyboard and screen reader users land on the secret they must copy now.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a token created while this panel is open focuses it again
  useEffect(() => heading.current?.focus(), [created]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.token);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <section className="panel">
      <h2 id="token-secret" ref={heading} tabIndex={-1} style={{ marginTop: 0 }}>
        Token “{created.name}” created
      </h2>
      <p>
        <strong>This is the only time the token is shown: copy it now and keep it somewhere safe.</strong> fleetflash
        stores only a hash of it.
      </p>
      <p className="secret">{created.token}</p>
      <div className="actions">
        <button type="button" className="primary" onClick={() => void copy()}>
          Copy
        </button>
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
      <p role="status" className={copied === 'failed' ? 'field-error' : 'muted'}>
        {copied === 'yes'
          ? 'Copied to the clipboard.'
          : copied === 'failed'
            ? 'Copying is not allowed here: select the token and copy it by hand.'
            : ''}
      </p>
    </section>
  );
}

type Token = Json<paths['/api/v1/auth/tokens/']['get']>['results'][number];

function Expires({ token }: { token: Token }) {
  if (!token.expires_at) return 'never';
  const expired = new Date(token.expires_at).getTime() < Date.now();
  return (
    <>
      {formatDate(token.expires_at)}
      {expired ? (
        <>
          {' '}
          <span className="badge badge-bad">expired</span>
        </>
      ) : null}
    </>
  );
}

function RevokeToken({ token, onRevoked }: { token: Token; onRevoked: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const revoke = async () => {
    setBusy(true);
    setError(null);
    try {
      await call(api.DELETE('/api/v1/auth/tokens/{id}/', { params: { path: { id: token.id } } }));
      onRevoked();
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };
  return (
    <>
      {confirming ? (
        <fieldset className="group" aria-label={`Confirm revoking ${token.name}`}>
          <p style={{ margin: '0 0 0.4rem' }}>Revoke “{token.name}”? What uses it stops working.</p>
          <div className="actions">
            <button
              type="button"
              className="danger"
              onClick={() => void revoke()}
              disabled={busy}
              // biome-ignore lint/a11y/noAutofocus: replaces the Revoke button just pressed, so the focus moves here
              autoFocus
            >
              {busy ? 'Revoking…' : 'Yes, revoke'}
            </button>
            <button type="button" onClick={() => setConfirming(false)} disabled={busy}>
              Keep
            </button>
          </div>
        </fieldset>
      ) : (
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          Revoke
        </button>
      )}
      <ErrorMessage error={error} />
    </>
  );
}
