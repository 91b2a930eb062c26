import { Link } from 'react-router';
import { api, call } from '../../api/client';
import { useLoad } from '../../hooks/useLoad';
import { DataTable } from '../DataTable';
import { ErrorMessage, formatDate, Loading, ProgressBar, StatusBadge } from '../ui';
import type { Batch } from './model';

const SHOWN = 10;

/** The mass upgrades of one build, newest first: a link to each, its status and progress. */
export function BuildBatches({ buildId, version }: { buildId: string; version: string }) {
  const batches = useLoad(
    () =>
      call(
        api.GET('/api/v1/firmware/batch-upgrade-operation/', {
          params: { query: { build: buildId, page_size: SHOWN } },
        }),
      ),
    [buildId],
  );
  return (
    <section aria-labelledby="build-batches-title">
      <h2 id="build-batches-title">Mass upgrades</h2>
      <ErrorMessage error={batches.error} />
      {batches.data === undefined ? (
        batches.error ? null : (
          <Loading what="Loading the mass upgrades" />
        )
      ) : (
        <>
          <DataTable<Batch>
            label={`Mass upgrades to ${version}`}
            rows={batches.data.results}
            rowKey={(batch) => batch.id}
            empty="No mass upgrade of this build yet."
            columns={[
              {
                header: 'Started',
                cell: (batch) => (
                  <Link to={`/batches/${batch.id}`}>{formatDate(batch.started_at ?? batch.created)}</Link>
                ),
              },
              { header: 'Status', cell: (batch) => <StatusBadge status={batch.status} /> },
              {
                header: 'Progress',
                cell: (batch) => (
                  <>
                    <ProgressBar
                      label={`Progress of the mass upgrade of ${formatDate(batch.created)}`}
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
                cell: (batch) =>
                  `${batch.counts.success} succeeded, ${batch.counts.failed + batch.counts.aborted} failed, ` +
                  `${batch.counts.skipped} skipped`,
              },
            ]}
          />
          {batches.data.count > SHOWN ? (
            <p>
              <Link to={`/batches?build=${buildId}`}>All {batches.data.count} mass upgrades of this build</Link>
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}
