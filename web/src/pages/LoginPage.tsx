import { type FormEvent, useState } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { api, call } from '../api/client';
import { ErrorMessage, Field } from '../components/ui';
import { usePageTitle } from '../hooks/usePageTitle';
import { useSession } from '../hooks/useSession';

export function LoginPage() {
  const { me, refresh } = useSession();
  const [params] = useSearchParams();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  usePageTitle('Log in');
  const next = params.get('next') || '/';
  if (me) return <Navigate to={next.startsWith('/') && !next.startsWith('//') ? next : '/'} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await call(api.POST('/api/v1/auth/login', { body: { username, password } }));
      await refresh();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form onSubmit={(event) => void submit(event)} aria-labelledby="login-title">
        <h1 id="login-title">fleetflash</h1>
        <p className="muted">Log in to manage your routers' firmware.</p>
        <Field label="Username">
          {(id) => (
            <input
              id={id}
              name="username"
              autoComplete="username"
              required
              value={username}
              onChange={(event) => setUsername(event.target.value)}
            />
          )}
        </Field>
        <Field label="Password">
          {(id) => (
            <input
              id={id}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
          )}
        </Field>
        <ErrorMessage error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </main>
  );
}
