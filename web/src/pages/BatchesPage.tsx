import { Link } from 'react-router';
import { api, call } from '../api/client';
import { DataTable } from '../components/DataTable';
import {
  EmptyState,
  ErrorMessage,
  Field,
  formatDate,
  Loading,
  PageHeader,
  Pagination,
  ProgressBar,
  StatusBadge,
} from '../components/ui';
import {
  applyBatchEvent,
  type Batch,
  BATCH_STATUSES,
  BATCH_STATUS_TEXT,
  type BatchStatus,
  ifLoaded,
} from '../components/upgrades/model';
import { useThrottled } from '../components/upgrades/timing';
import { useEvents } from '../hooks/useEvents';
import { useLoad } from '../hooks/useLoad';
import { useUrlParams } from '../hooks/useUrlParams';
import { useOrganizationFilter } from '../hooks/useSession';

const PAGE_SIZE = 20;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A day of the date fields (local time) as the instant it starts; `after` days later for an end. */
function startOfDay(day: string, after = 0): string | undefined {
  if (!DAY.test(day)) return undefined;
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const start = new Date(year, month - 1, date + after);
  return Number.isNaN(start.getTime()) ? undefined : start.toISOString();
}

/** Every mass upgrade, newest first, with its live progress; filtered by build, status and day, all in the URL. */
export function BatchesPage() {
  const [params, changeParams, setParams] = useUrlParams();
  const organizationFilter = useOrganizationFilter();
  const status = BATCH_STATUSES.find((value) => value === params.get('status'));
  const build = UUID.test(params.get('build') ?? '') ? params.get('build')! : '';
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const createdFrom = startOfDay(from);
  // "To" is the last day shown: the list ends where the next day starts.
  const createdTo = startOfDay(to, 1);
  const builds = useLoad(
    () =>
      call(
        api.GET('/api/v1/firmware/build/', {
          params: { query: { ...organizationFilter, page_size: 100, ordering: '-created' } },
        }),
      ),
    [organizationFilter.organization],
  );

  const batches = useLoad(
    () =>
      call(
        api.GET('/api/v1/firmware/batch-upgrade-operation/', {
          params: {
            query: {
              ...organizationFilter,
              ...(status ? { status } : {}),
              ...(build ? { build } : {}),
              ...(createdFrom ? { created_from: createdFrom } : {}),
              ...(createdTo ? { created_to: createdTo } : {}),
              page,
              page_size: PAGE_SIZE,
            },
          },
        }),
      ),
    [organizationFilter.organization, status, build, createdFrom, createdTo, page],
  );
  const filtered = Boolean(status || build || createdFrom || createdTo);

  const setParam = (name: string, value: string | null) => {
    changeParams(
      (next) => {
        if (value) next.set(name, value);
        else next.delete(name);
        if (name !== 'page') next.delete('page');
      },
      { replace: name !== 'page' },
    );
  };

  // Progress moves live: batch events update the rows on this page; a batch we do not show yet
  // (launched meanwhile, or now matching the filter) reloads the page, at most every few seconds.
  const reload = useThrottled(() => void batches.reload(), 3000);
  useEvents(organizationFilter, (type, data) => {
    if (type !== 'batch') return;
    const shown = batches.data?.results.some((batch) => batch.id === data.id);
    if (!shown) {
      if (page === 1) reload();
      return;
    }
    batches.setData(
      ifLoaded((current) => ({ ...current, results: current.results.map((batch) => applyBatchEvent(batch, data)) })),
    );
  });

  return (
    <>
      <PageHeader title="Mass upgrades" />
      <div className="filters">
        <Field label="Build">
          {(id) => (
            <select id={id} value={build} onChange={(event) => setParam('build', event.target.value)}>
              <option value="">All</option>
              {build && !builds.data?.results.some((entry) => entry.id === build) ? (
                <option value={build}>the chosen build</option>
              ) : null}
              {(builds.data?.results ?? []).map((entry) => (
                <option key={entry.id} value={entry.id}>
                  {entry.category_relation.name} {entry.version}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Created from">
          {(id) => (
            <input
              id={id}
              type="date"
              value={from}
              max={to || undefined}
              onChange={(event) => setParam('from', event.target.value)}
            />
          )}
        </Field>
        <Field label="Created to">
          {(id) => (
            <input
              id={id}
              type="date"
              value={to}
              min={from || undefined}
              onChange={(event) => setParam('to', event.target.value)}
            />
          )}
        </Field>
        <Field label="Status">
          {(id) => (
            <select id={id} value={status ?? ''} onChange={(event) => setParam('status', event.target.value)}>
              <option value="">All</option>
              {BATCH_STATUSES.map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <ErrorMessage error={batches.error} />
      {batches.data === undefined ? (
        batches.error ? null : (
          <Loading what="Loading mass upgrades" />
        )
      ) : batches.data.results.length === 0 ? (
        <EmptyState>
          {filtered ? (
            <>
              No mass upgrade{status ? ` is ${BATCH_STATUS_TEXT[status]}` : ''} with these filters.{' '}
              <button type="button" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
                Show all
              </button>
            </>
          ) : (
            <>
              No mass upgrade yet. To start one, open a build in <Link to="/firmware">Firmware</Link> and choose{' '}
              <strong>Mass upgrade…</strong>: you will see which devices it would upgrade before anything happens.
            </>
          )}
        </EmptyState>
      ) : (
        <>
          <DataTable<Batch>
            rows={batches.data.results}
            rowKey={(batch) => batch.id}
            rowLink={(batch) => `/batches/${batch.id}`}
            columns={[
              { header: 'Build', cell: (batch) => batch.build_version || 'deleted build' },
              { header: 'Status', cell: (batch) => <StatusBadge status={batch.status} /> },
              {
                header: 'Progress',
                cell: (batch) => (
                  <>
                    <ProgressBar
                      label={`Progress of ${batch.build_version}`}
                      value={batch.progress}
                      outcome={batch.finished ? batch.status : null}
                    />
                    <small className="muted">{batch.progress_report}</small>
                  </>
                ),
              },
              {
                header: 'Devices',
                className: 'hide-narrow',
                cell: (batch) => describeCounts(batch.status, batch.counts),
              },
              { header: 'Created', className: 'hide-narrow', cell: (batch) => formatDate(batch.created) },
            ]}
          />
          <Pagination
            page={page}
            pageSize={PAGE_SIZE}
            count={batches.data.count}
            onPage={(next) => setParam('page', String(next))}
          />
        </>
      )}
    </>
  );
}

function describeCounts(
  status: BatchStatus,
  counts: { success: number; failed: number; aborted: number; in_progress: number; skipped: number },
): string {
  const parts = [`${counts.success} succeeded`];
  if (counts.failed + counts.aborted > 0) parts.push(`${counts.failed + counts.aborted} failed`);
  if (counts.in_progress > 0 && status !== 'cancelled') parts.push(`${counts.in_progress} upgrading`);
  if (counts.skipped > 0) parts.push(`${counts.skipped} skipped`);
  return parts.join(', ');
}
