import { Link } from 'react-router';
import { DataTable } from '../DataTable';
import { type Batch, errorCodeText, type OperationErrorCode, plural } from './model';

interface FailureGroup {
  reason: OperationErrorCode;
  count: number;
}

/**
 * The failed and aborted upgrades of a mass upgrade grouped by why they ended (the server counts
 * them: `failure_reasons`), most first. Each group links to the upgrades list filtered by its reason
 * and, for those who may, retries that group alone.
 */
export function BatchFailures({
  batch,
  canRetry,
  retrying,
  busy,
  onRetry,
}: {
  batch: Pick<Batch, 'failure_reasons' | 'actions' | 'counts'>;
  /** The viewer may control the mass upgrade. */
  canRetry: boolean;
  /** The group being retried now, if any. */
  retrying: OperationErrorCode | 'all' | null;
  /** An action on the mass upgrade is under way: every button waits. */
  busy: boolean;
  onRetry: (reason: OperationErrorCode) => void;
}) {
  const groups: FailureGroup[] = Object.entries(batch.failure_reasons)
    .filter((entry): entry is [OperationErrorCode, number] => (entry[1] ?? 0) > 0)
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  const total = batch.counts.failed + batch.counts.aborted;
  return (
    <section>
      <h2 id="batch-failures">Failures by reason</h2>
      {groups.length === 0 ? (
        <p className="muted">No upgrade failed or was aborted.</p>
      ) : (
        <>
          <p className="muted">
            {plural(total, 'upgrade')} failed or {total === 1 ? 'was' : 'were'} aborted, for{' '}
            {plural(groups.length, 'reason')}. Retrying a group starts those upgrades again in their stages; the others
            are left as they are.
          </p>
          <DataTable<FailureGroup>
            label="Failures by reason"
            rows={groups}
            rowKey={(group) => group.reason}
            rowHeader
            rowProps={(group) => ({ 'data-reason': group.reason })}
            columns={[
              {
                header: 'Reason',
                cell: (group) => (
                  <>
                    <code>{group.reason}</code> <span className="muted">{errorCodeText(group.reason)}</span>
                  </>
                ),
              },
              { header: 'Upgrades', cell: (group) => group.count },
              {
                header: <span className="visually-hidden">Actions</span>,
                cell: (group) => (
                  <span className="actions" style={{ margin: 0, flexWrap: 'nowrap' }}>
                    <Link
                      to={{ search: `?reason=${group.reason}` }}
                      aria-label={`Show the upgrades that failed with ${group.reason}`}
                      onClick={() =>
                        window.setTimeout(() => document.getElementById('batch-operations')?.scrollIntoView(), 0)
                      }
                    >
                      Show these
                    </Link>
                    {canRetry && batch.actions.retry_failed ? (
                      <button
                        type="button"
                        onClick={() => onRetry(group.reason)}
                        disabled={busy}
                        aria-label={`Retry the ${plural(group.count, 'upgrade')} that failed with ${group.reason}`}
                      >
                        {retrying === group.reason ? 'Retrying…' : 'Retry these'}
                      </button>
                    ) : null}
                  </span>
                ),
              },
            ]}
          />
        </>
      )}
    </section>
  );
}
