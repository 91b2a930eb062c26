import { useState } from 'react';
import { api, call } from '../../api/client';
import { useLoad } from '../../hooks/useLoad';
import { ErrorMessage, Loading, Pagination } from '../ui';
import { SKIP_REASON_TEXT, type SkipReason } from './model';
import { SkippedTable } from './SkippedTable';

const PAGE_SIZE = 25;

/** The devices a mass upgrade left out, with why: collapsed, loaded when opened. */
export function BatchSkipped({
  batchId,
  count,
  skipReasons,
}: {
  batchId: string;
  count: number;
  skipReasons: Record<string, number>;
}) {
  const [open, setOpen] = useState(false);
  const reasons = Object.entries(skipReasons).filter(([, number]) => number > 0);
  return (
    <section>
      <h2 id="batch-skipped">Skipped devices</h2>
      <p className="muted" id="batch-skip-rule">
        Skipped devices do not count as failures when they needed nothing or were not meant for this upgrade (already on
        the build, deactivated, no fitting image, a newer release, not on a build of this category). A device that
        should have been upgraded but could not be (no address, no credentials, no upgrader, another upgrade running)
        makes the mass upgrade end “completed with failures”.
      </p>
      {count === 0 ? (
        <p className="muted">No device was skipped.</p>
      ) : (
        <details className="panel" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
          <summary>
            {count} skipped
            {reasons.length > 0 ? (
              <span className="muted">
                {' '}
                —{' '}
                {reasons
                  .map(([reason, number]) => `${SKIP_REASON_TEXT[reason as SkipReason] ?? reason}: ${number}`)
                  .join(', ')}
              </span>
            ) : null}
          </summary>
          {open ? <SkippedList batchId={batchId} /> : null}
        </details>
      )}
    </section>
  );
}

function SkippedList({ batchId }: { batchId: string }) {
  const [page, setPage] = useState(1);
  const skipped = useLoad(
    () =>
      call(
        api.GET('/api/v1/firmware/batch-upgrade-operation/{id}/skipped/', {
          params: { path: { id: batchId }, query: { page, page_size: PAGE_SIZE } },
        }),
      ),
    [batchId, page],
  );
  if (skipped.data === undefined)
    return skipped.error ? <ErrorMessage error={skipped.error} /> : <Loading what="Loading the skipped devices" />;
  return (
    <>
      <ErrorMessage error={skipped.error} />
      <div style={{ marginTop: '0.75rem' }}>
        <SkippedTable rows={skipped.data.results} />
      </div>
      <Pagination page={page} pageSize={PAGE_SIZE} count={skipped.data.count} onPage={setPage} />
    </>
  );
}
