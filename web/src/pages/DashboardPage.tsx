import { Link } from 'react-router';
import { api, call } from '../api/client';
import { devicesLink, FleetHealth } from '../components/devices/FleetHealth';
import { EmptyState, ErrorMessage, formatDate, Loading, PageHeader, ProgressBar, StatusBadge } from '../components/ui';
import { applyBatchEvent, type Batch, errorCodeText, ifLoaded } from '../components/upgrades/model';
import { useThrottled } from '../components/upgrades/timing';
import { useEvents } from '../hooks/useEvents';
import { useLoad } from '../hooks/useLoad';
import { useOrganizationFilter } from '../hooks/useSession';

/** The fleet at a glance: what runs where, which mass upgrades are going on, what failed lately. */
export function DashboardPage() {
  const organizationFilter = useOrganizationFilter();
  const organization = organizationFilter.organization;

  const summary = useLoad(
    () => call(api.GET('/api/v1/devices/summary/', { params: { query: organizationFilter } })),
    [organization],
  );
  const builds = useLoad(
    () => call(api.GET('/api/v1/firmware/build/', { params: { query: { ...organizationFilter, page_size: 1 } } })),
    [organization],
  );
  // The running ones (scheduled, in progress, paused: the server says which), newest first.
  const running = useLoad(async () => {
    const page = await call(
      api.GET('/api/v1/firmware/batch-upgrade-operation/', {
        params: { query: { ...organizationFilter, finished: false, page_size: 60 } },
      }),
    );
    return page.results;
  }, [organization]);
  const recent = useLoad(
    () =>
      call(
        api.GET('/api/v1/firmware/batch-upgrade-operation/', {
          params: { query: { ...organizationFilter, page_size: 5 } },
        }),
      ),
    [organization],
  );
  const failures = useLoad(
    () =>
      call(
        api.GET('/api/v1/firmware/upgrade-operation/', {
          params: { query: { ...organizationFilter, status: 'failed', page_size: 10 } },
        }),
      ),
    [organization],
  );

  // Live: batch events move the progress bars; a batch we do not list yet (just launched) or one
  // that ended reloads the lists; failed operations reload the failures. All throttled.
  const reloadBatches = useThrottled(() => {
    void running.reload();
    void recent.reload();
  }, 3000);
  const reloadFailures = useThrottled(() => void failures.reload(), 5000);
  const reloadSummary = useThrottled(() => void summary.reload(), 5000);
  useEvents(organizationFilter, (type, data) => {
    if (type === 'batch') {
      const update = (batches: Batch[]) => batches.map((batch) => applyBatchEvent(batch, data));
      const known = running.data?.some((batch) => batch.id === data.id);
      running.setData(ifLoaded(update));
      recent.setData(ifLoaded((page) => ({ ...page, results: update(page.results) })));
      // The event carries the batch's fields, `finished` included.
      if (!known || data.finished !== false) reloadBatches();
    } else if (type === 'operation') {
      if (data.status === 'failed') reloadFailures();
      if (data.status === 'success') reloadSummary();
    }
  });

  return (
    <>
      <PageHeader title="Dashboard" />
      <div className="grid">
        <section className="panel">
          <h2 id="dash-firmware" style={{ marginTop: 0 }}>
            Devices per firmware version
          </h2>
          {summary.data === undefined ? (
            summary.error ? (
              <ErrorMessage error={summary.error} />
            ) : (
              <Loading />
            )
          ) : summary.data.total === 0 ? (
            <EmptyState>
              No routers yet. Routers appear here when they register with your organization's registration secret, or
              when you <Link to="/devices">add them on the Devices page</Link>.
            </EmptyState>
          ) : (
            <>
              <p className="muted">
                <Link to="/devices">{summary.data.total}</Link> devices,{' '}
                <Link to={devicesLink({ status: 'active' })}>{summary.data.active} active</Link>.
              </p>
              <FleetHealth summary={summary.data} />
              <BarChart
                label="Devices per firmware version"
                rows={summary.data.by_firmware.map((row) => ({
                  label: row.os || 'unknown',
                  count: row.count,
                  href: row.os ? devicesLink({ os: row.os }) : null,
                }))}
                total={summary.data.total}
              />
            </>
          )}
          {builds.data && builds.data.count === 0 ? (
            <EmptyState>
              No firmware yet. <Link to="/firmware">Add a category and a build</Link>, then upload its images, to
              upgrade your routers.
            </EmptyState>
          ) : null}
        </section>
        <section className="panel">
          <h2 id="dash-models" style={{ marginTop: 0 }}>
            Devices per model
          </h2>
          {summary.data === undefined ? (
            summary.error ? null : (
              <Loading />
            )
          ) : summary.data.total === 0 ? (
            <EmptyState>The models of your routers show here once they have registered.</EmptyState>
          ) : (
            <BarChart
              label="Devices per model"
              rows={summary.data.by_model.map((row) => ({
                label: row.model || 'unknown',
                count: row.count,
                href: row.model ? devicesLink({ model: row.model }) : null,
              }))}
              total={summary.data.total}
            />
          )}
        </section>
      </div>

      <section className="panel">
        <h2 id="dash-running" style={{ marginTop: 0 }}>
          Running mass upgrades
        </h2>
        <ErrorMessage error={running.error} />
        {running.data === undefined ? (
          running.error ? null : (
            <Loading />
          )
        ) : running.data.length === 0 ? (
          <p className="muted">
            No mass upgrade is running. Start one from a build's page in <Link to="/firmware">Firmware</Link> (“Mass
            upgrade…”).
          </p>
        ) : (
          <BatchList batches={running.data} />
        )}
      </section>

      <div className="grid">
        <section className="panel">
          <h2 id="dash-recent" style={{ marginTop: 0 }}>
            Recent mass upgrades
          </h2>
          <ErrorMessage error={recent.error} />
          {recent.data === undefined ? (
            recent.error ? null : (
              <Loading />
            )
          ) : recent.data.results.length === 0 ? (
            <p className="muted">None yet.</p>
          ) : (
            <>
              <BatchList batches={recent.data.results} />
              <p>
                <Link to="/batches">All mass upgrades</Link>
              </p>
            </>
          )}
        </section>
        <section className="panel">
          <h2 id="dash-failures" style={{ marginTop: 0 }}>
            Recent failures
          </h2>
          <ErrorMessage error={failures.error} />
          {failures.data === undefined ? (
            failures.error ? null : (
              <Loading />
            )
          ) : failures.data.results.length === 0 ? (
            <p className="muted">No failed upgrade lately.</p>
          ) : (
            <ul style={{ paddingLeft: '1.1rem', margin: 0 }}>
              {failures.data.results.map((operation) => (
                <li key={operation.id} style={{ marginBottom: '0.5rem' }}>
                  <Link to={`/devices/${operation.device}`}>{operation.device_name}</Link>{' '}
                  {operation.error_code ? <code>{operation.error_code}</code> : null}{' '}
                  <span className="muted">
                    {errorCodeText(operation.error_code) || 'Failed.'}{' '}
                    {formatDate(operation.finished_at ?? operation.modified)}
                  </span>{' '}
                  <Link to={`/operations/${operation.id}`}>Details</Link>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </>
  );
}

/**
 * A horizontal bar chart as a list: each row says its label and count in text (a link to the devices it
 * counts, where there is one); the bar is decoration.
 */
function BarChart({
  label,
  rows,
  total,
}: {
  label: string;
  rows: { label: string; count: number; href: string | null }[];
  total: number;
}) {
  const max = Math.max(1, ...rows.map((row) => row.count));
  const listed = rows.reduce((sum, row) => sum + row.count, 0);
  return (
    <>
      <ul className="bars" aria-label={label}>
        {rows.map((row) => (
          <li className="bar-row" key={row.label}>
            <span style={{ overflowWrap: 'anywhere' }}>
              {row.href ? <Link to={row.href}>{row.label}</Link> : row.label}
            </span>
            <div className="bar" aria-hidden="true" style={{ width: `${(row.count / max) * 100}%` }} />
            <span>{row.href ? <Link to={row.href}>{row.count}</Link> : row.count}</span>
          </li>
        ))}
      </ul>
      {listed < total ? <p className="muted">{total - listed} more in smaller groups.</p> : null}
    </>
  );
}

function BatchList({ batches }: { batches: Batch[] }) {
  return (
    <ul style={{ listStyle: 'none', padding: 0, margin: 0, display: 'flex', flexDirection: 'column', gap: '0.75rem' }}>
      {batches.map((batch) => (
        <li key={batch.id}>
          <div
            style={{ display: 'flex', flexWrap: 'wrap', gap: '0.5rem', alignItems: 'center', marginBottom: '0.25rem' }}
          >
            <Link to={`/batches/${batch.id}`}>{batch.build_version || 'deleted build'}</Link>
            <StatusBadge status={batch.status} />
            <span className="muted">
              {batch.progress_report} · {formatDate(batch.created)}
            </span>
          </div>
          <ProgressBar label={`Progress of ${batch.build_version}`} value={batch.progress} />
        </li>
      ))}
    </ul>
  );
}
