import { useMemo, useState } from 'react';
import { api, call } from '../api/client';
import { DataTable } from '../components/DataTable';
import { useOrganizations } from '../components/firmware/common';
import {
  EXAMPLE_PROBE,
  type HealthCheck,
  HealthCheckForm,
  type HealthCheckFields,
} from '../components/health-checks/HealthCheckForm';
import { EmptyState, ErrorMessage, Loading, PageHeader, Pagination } from '../components/ui';
import { useLoad } from '../hooks/useLoad';
import { useOrganizationFilter, useSession } from '../hooks/useSession';

const PAGE_SIZE = 20;

/** An organization's health checks: probes an upgrade runs on the router after proof of boot. */
export function HealthChecksPage() {
  const { me, canWrite } = useSession();
  const filter = useOrganizationFilter();
  const { organizations, nameOf } = useOrganizations();
  const [page, setPage] = useState(1);
  const checks = useLoad(
    () => call(api.GET('/api/v1/health-checks/', { params: { query: { page, page_size: PAGE_SIZE, ...filter } } })),
    [page, filter.organization],
  );
  const [editing, setEditing] = useState<string | null>(null);
  const [created, setCreated] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState('');

  const administered = useMemo(() => {
    const admin = new Set(me?.memberships.filter((m) => m.role === 'admin').map((m) => m.organization));
    const choices = organizations.filter((o) => me?.is_superuser || admin.has(o.id));
    return filter.organization ? choices.filter((o) => o.slug === filter.organization) : choices;
  }, [me, organizations, filter.organization]);
  const single = administered.length === 1 ? administered[0] : undefined;

  const create = async (fields: HealthCheckFields) => {
    const organization = fields.organization ?? single?.id;
    const check = await call(
      api.POST('/api/v1/health-checks/', {
        body: { name: fields.name, probes: fields.probes, ...(organization ? { organization } : {}) },
      }),
    );
    setMessage(`Created health check “${check.name}”.`);
    setCreated((count) => count + 1);
    setPage(1);
    await checks.reload();
  };
  const remove = async (check: HealthCheck) => {
    setError(null);
    try {
      await call(api.DELETE('/api/v1/health-checks/{id}/', { params: { path: { id: check.id } } }));
      setMessage(`Deleted health check “${check.name}”; upgrades already requested still run their copy.`);
      await checks.reload();
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <>
      <PageHeader title="Health checks" />
      <p>
        After an upgrade proved the router booted the new release, its health check runs each probe in order on the
        router; a probe that does not exit 0 within its timeout fails the upgrade (<code>health-check-failed</code>, not
        retried: the flash happened) and counts toward the rollout’s failure threshold. Name one as a firmware
        category’s default, or choose one when launching an upgrade.
      </p>
      {canWrite && administered.length > 0 ? (
        <section className="panel" aria-labelledby="health-check-new">
          <h2 id="health-check-new" style={{ marginTop: 0 }}>
            New health check{single ? ` for ${single.name}` : ''}
          </h2>
          <HealthCheckForm
            key={created}
            initial={{ name: '', probes: [EXAMPLE_PROBE] }}
            organizations={single ? undefined : administered}
            submitLabel="Create health check"
            onSubmit={create}
          />
        </section>
      ) : null}

      <h2>Health checks</h2>
      <p role="status" className="muted">
        {message}
      </p>
      <ErrorMessage error={checks.error ?? error} />
      {checks.data === undefined ? (
        checks.error ? null : (
          <Loading what="Loading health checks" />
        )
      ) : checks.data.results.length === 0 ? (
        <EmptyState>
          No health checks: upgrades end at proof of boot
          {canWrite ? '. Create one above.' : '. An organization admin can add one.'}
        </EmptyState>
      ) : (
        <>
          <DataTable<HealthCheck>
            rows={checks.data.results}
            rowKey={(check) => check.id}
            rowProps={(check) => ({ 'data-health-check': check.name })}
            columns={[
              { header: 'Name', cell: (check) => check.name },
              { header: 'Organization', className: 'hide-narrow', cell: (check) => nameOf(check.organization) },
              {
                header: 'Probes',
                cell: (check) =>
                  check.probes.map((probe) => (
                    <div key={probe.name}>
                      {probe.name}: <code>{probe.command}</code>{' '}
                      <span className="muted">({probe.timeout_seconds} s)</span>
                    </div>
                  )),
              },
              {
                header: <span className="visually-hidden">Actions</span>,
                cell: (check) =>
                  canWrite ? (
                    <div className="actions">
                      <button type="button" onClick={() => setEditing(editing === check.id ? null : check.id)}>
                        Edit
                      </button>
                      <button type="button" className="danger" onClick={() => void remove(check)}>
                        Delete
                      </button>
                    </div>
                  ) : null,
              },
            ]}
          />
          <Pagination page={page} pageSize={PAGE_SIZE} count={checks.data.count} onPage={setPage} />
        </>
      )}
      {editing && checks.data?.results.some((check) => check.id === editing) ? (
        <EditHealthCheck
          check={checks.data.results.find((check) => check.id === editing)!}
          onDone={() => {
            setEditing(null);
            void checks.reload();
          }}
        />
      ) : null}
    </>
  );
}

function EditHealthCheck({ check, onDone }: { check: HealthCheck; onDone: () => void }) {
  return (
    <section className="panel" aria-labelledby="health-check-edit">
      <h2 id="health-check-edit" style={{ marginTop: 0 }}>
        Change health check “{check.name}”
      </h2>
      <HealthCheckForm
        initial={{ name: check.name, probes: check.probes }}
        submitLabel="Save changes"
        onCancel={onDone}
        onSubmit={async (fields) => {
          await call(
            api.PATCH('/api/v1/health-checks/{id}/', {
              params: { path: { id: check.id } },
              body: { name: fields.name, probes: fields.probes },
            }),
          );
          onDone();
        }}
      />
    </section>
  );
}
