import { useState } from 'react';
import { api, call } from '../../api/client';
import type { paths } from '../../api/schema';
import { ErrorMessage, formatDate } from '../ui';

type Device = paths['/api/v1/devices/{id}/']['get']['responses'][200]['content']['application/json'];

/**
 * The command that installs and enrolls the pull agent on a router. The registration secret is never
 * shown here (the server keeps only its hash): the admin who made it pastes it in place of the placeholder.
 * The server's URL is repeated as the installer's first argument: a script piped into sh cannot tell
 * where it was downloaded from.
 */
export function installCommand(organizationSlug: string, secret = '<registration secret>'): string {
  const server = window.location.origin;
  return `wget -qO- ${server}/agent/install.sh | sh -s -- ${server} ${organizationSlug} '${secret}'`;
}

/** A command with a copy button. */
export function CopyableCommand({ command, label }: { command: string; label: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(command);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <>
      <figure style={{ margin: 0 }}>
        <figcaption className="muted">{label}</figcaption>
        <pre style={{ overflowX: 'auto' }}>{command}</pre>
      </figure>
      <div className="actions">
        <button type="button" onClick={() => void copy()}>
          Copy the command
        </button>
      </div>
      <p role="status" className={copied === 'failed' ? 'field-error' : 'muted'}>
        {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'failed' ? 'Select the command and copy it.' : ''}
      </p>
    </>
  );
}

/**
 * The "pull agent" box of a device its agent manages: what the agent last said, the one command that
 * (re)installs and enrolls it, and for admins the device token's rotation and revocation.
 */
export function AgentPanel({
  device,
  organizationSlug,
  canWrite,
  onManagementChanged,
}: {
  device: Device;
  organizationSlug: string | undefined;
  canWrite: boolean;
  /** The device went back to SSH management: the page reloads it. */
  onManagementChanged: () => void;
}) {
  const [confirmSsh, setConfirmSsh] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const act = async (action: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      await action();
      setMessage(done);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  const path = { params: { path: { id: device.id } } };
  return (
    <section className="panel" aria-labelledby="pull-agent">
      <h2 id="pull-agent" style={{ marginTop: 0 }}>
        Pull agent
      </h2>
      <p className="muted">
        This router is managed by its pull agent: it polls fleetflash, which never connects to it (routers behind NAT).
        It needs no SSH credentials and no address.
      </p>
      <dl className="kv">
        <dt>Agent version</dt>
        <dd>{device.agent_version ?? <span className="muted">unknown</span>}</dd>
        <dt>Last poll</dt>
        <dd>
          {device.agent_last_poll_at ? formatDate(device.agent_last_poll_at) : <span className="muted">never</span>}
        </dd>
        <dt>Release reported</dt>
        <dd>{device.agent_release ?? <span className="muted">unknown</span>}</dd>
      </dl>
      <h3>Install and enroll</h3>
      <p>
        Run on the router as root, with the organization's registration secret in place of the placeholder (it is never
        shown here):
      </p>
      <CopyableCommand label="Install command" command={installCommand(organizationSlug ?? '<organization>')} />
      {canWrite ? (
        <>
          <h3>Device token</h3>
          <div className="actions">
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                void act(
                  () => call(api.POST('/api/v1/devices/{id}/agent-token/rotate/', path)),
                  'A new token was issued: the agent takes it with its next poll.',
                )
              }
            >
              Rotate the token
            </button>
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                void act(
                  () => call(api.DELETE('/api/v1/devices/{id}/agent-token/', path)),
                  'The token was revoked: the agent must be enrolled again.',
                )
              }
            >
              Revoke the token
            </button>
            <button type="button" disabled={busy} onClick={() => setConfirmSsh(true)}>
              Manage over SSH instead…
            </button>
          </div>
          {confirmSsh ? (
            <fieldset className="panel" aria-label="Manage over SSH">
              <p>
                Every device token is revoked and the agent stops working; upgrades connect over SSH again, so the
                device needs SSH credentials and an address. It is managed by its agent again only if the agent is
                enrolled again.
              </p>
              <div className="actions">
                <button
                  type="button"
                  className="danger"
                  disabled={busy}
                  onClick={() =>
                    void act(async () => {
                      await call(api.POST('/api/v1/devices/{id}/manage-over-ssh/', path));
                      onManagementChanged();
                    }, 'The device is managed over SSH now.')
                  }
                >
                  Manage over SSH
                </button>
                <button type="button" disabled={busy} onClick={() => setConfirmSsh(false)}>
                  Keep the agent
                </button>
              </div>
            </fieldset>
          ) : null}
          <p role="status" className="muted">
            {message ?? ''}
          </p>
          <ErrorMessage error={error} />
        </>
      ) : null}
    </section>
  );
}
