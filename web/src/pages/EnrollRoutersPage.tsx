import { useState } from 'react';
import { api, call } from '../api/client';
import { CopyableCommand, installCommand } from '../components/devices/AgentPanel';
import { useOrganizations } from '../components/firmware/common';
import { ErrorMessage, PageHeader } from '../components/ui';
import { useSession } from '../hooks/useSession';

/**
 * An organization's command that installs and enrolls the pull agent on routers behind NAT. The
 * registration secret is kept hashed: it appears in the command only right after an admin makes a new
 * one (the one moment anybody sees it), never afterwards and never in a log.
 */
export function EnrollRoutersPage() {
  const { me } = useSession();
  const { organizations } = useOrganizations();
  const administered = organizations.filter(
    (organization) =>
      me?.is_superuser ||
      me?.memberships.some((entry) => entry.organization === organization.id && entry.role === 'admin'),
  );
  return (
    <>
      <PageHeader title="Enroll routers" />
      <p>
        Routers fleetflash cannot reach (behind NAT, carrier-grade NAT or a firewall) run the pull agent: it polls
        fleetflash, which never connects to them. Run the command of the router's organization on the router as root: it
        installs the agent and enrolls the router with the organization's registration secret.
      </p>
      {organizations.map((organization) => (
        <OrganizationCommand
          key={organization.id}
          id={organization.id}
          name={organization.name}
          slug={organization.slug}
          canMakeSecret={administered.includes(organization)}
        />
      ))}
    </>
  );
}

function OrganizationCommand({
  id,
  name,
  slug,
  canMakeSecret,
}: {
  id: string;
  name: string;
  slug: string;
  canMakeSecret: boolean;
}) {
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const makeSecret = async () => {
    setBusy(true);
    setError(null);
    try {
      const made = await call(
        api.POST('/api/v1/organizations/{id}/registration-secret/', { params: { path: { id } } }),
      );
      setSecret(made.secret);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-label={`Enroll routers of ${name}`}>
      <h2 style={{ marginTop: 0 }}>{name}</h2>
      <CopyableCommand label="Install and enroll" command={installCommand(slug, secret ?? undefined)} />
      {secret ? (
        <p>
          <strong>The secret is shown this once.</strong> It replaced the previous one: routers and scripts that
          register with the old secret must use this one.
        </p>
      ) : canMakeSecret ? (
        <div className="actions">
          <button type="button" disabled={busy} onClick={() => void makeSecret()}>
            Make a new registration secret for this command
          </button>
        </div>
      ) : (
        <p className="muted">An admin of the organization gives you its registration secret.</p>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}
