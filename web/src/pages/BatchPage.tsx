import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, call } from '../api/client';
import { ErrorMessage, formatDate, Loading, PageHeader, ProgressBar, StatusBadge } from '../components/ui';
import { BatchFailures } from '../components/upgrades/BatchFailures';
import { BatchOperations, useBatchOperations } from '../components/upgrades/BatchOperations';
import { RolloutRows, StageTable } from '../components/upgrades/BatchPlan';
import { BatchSkipped } from '../components/upgrades/BatchSkipped';
import { RestoreFailedBackups } from '../components/upgrades/RestoreFailedBackups';
import { BatchSafetyRows } from '../components/upgrades/BatchSafetyRows';
import {
  applyBatchEvent,
  type Batch,
  BATCH_STATUS_TEXT,
  ifLoaded,
  type OperationErrorCode,
  pauseSentence,
} from '../components/upgrades/model';
import { useEvents } from '../hooks/useEvents';
import { useLoad } from '../hooks/useLoad';
import { useSession } from '../hooks/useSession';

type BatchAction = 'pause' | 'resume' | 'cancel' | 'retry-failed';

function runAction(action: BatchAction, id: string, reason?: OperationErrorCode): Promise<Batch> {
  const options = { params: { path: { id } } };
  switch (action) {
    case 'pause':
      return call(api.POST('/api/v1/firmware/batch-upgrade-operation/{id}/pause/', options));
    case 'resume':
      return call(api.POST('/api/v1/firmware/batch-upgrade-operation/{id}/resume/', options));
    case 'cancel':
      return call(api.POST('/api/v1/firmware/batch-upgrade-operation/{id}/cancel/', options));
    case 'retry-failed':
      return call(
        api.POST('/api/v1/firmware/batch-upgrade-operation/{id}/retry-failed/', {
          params: { path: { id }, query: reason ? { error_code: reason } : {} },
        }),
      );
  }
}

/** One mass upgrade: its live progress, stages, controls, operations and skipped devices. */
export function BatchPage() {
  const { id = '' } = useParams();
  const { canWrite } = useSession();
  const batch = useLoad(
    () => call(api.GET('/api/v1/firmware/batch-upgrade-operation/{id}/', { params: { path: { id } } })),
    [id],
  );
  const operations = useBatchOperations(id);

  // The event carries the same fields as the REST answer (stages, counts, progress): applied as they come.
  useEvents(id ? { batch: id } : null, (type, data) => {
    if (type === 'batch' && data.id === id) {
      batch.setData(ifLoaded((current) => applyBatchEvent(current, data)));
    } else if (type === 'operation' && data.batch === id) {
      operations.apply(data);
    }
  });

  const [busy, setBusy] = useState<BatchAction | null>(null);
  const [retrying, setRetrying] = useState<OperationErrorCode | 'all' | null>(null);
  // Shown next to what was pressed: the controls at the top, or a group's "Retry these" further down.
  const [actionError, setActionError] = useState<{ error: unknown; byGroup: boolean } | null>(null);
  const [confirmingCancel, setConfirmingCancel] = useState(false);
  const act = async (action: BatchAction, reason?: OperationErrorCode) => {
    setBusy(action);
    if (action === 'retry-failed') setRetrying(reason ?? 'all');
    setActionError(null);
    try {
      batch.setData(await runAction(action, id, reason));
      setConfirmingCancel(false);
      if (action === 'cancel' || action === 'retry-failed') void operations.reload();
    } catch (caught) {
      setActionError({ error: caught, byGroup: reason !== undefined });
      void batch.reload();
    } finally {
      setBusy(null);
      setRetrying(null);
    }
  };

  if (batch.data === undefined) {
    return (
      <>
        <PageHeader title="Mass upgrade" back={{ to: '/batches', label: 'Mass upgrades' }} />
        {batch.error ? <ErrorMessage error={batch.error} /> : <Loading what="Loading the mass upgrade" />}
      </>
    );
  }
  const data = batch.data;
  const pause = pauseSentence(data);
  const stages = data.stages.length;
  const finished = data.finished;
  const currentStage = `stage ${Math.min(data.current_stage + 1, stages)} of ${stages}`;
  const controls =
    canWrite && (data.actions.pause || data.actions.resume || data.actions.cancel || data.actions.retry_failed);

  return (
    <>
      <PageHeader
        title={`Mass upgrade to ${data.build_version || 'a deleted build'}`}
        back={{ to: '/batches', label: 'Mass upgrades' }}
      />
      <ErrorMessage error={batch.error} />
      <section className="panel">
        <h2 id="batch-status" style={{ marginTop: 0 }}>
          Status: <StatusBadge status={data.status} />
          {BATCH_STATUS_TEXT[data.status] !== data.status.replace('-', ' ') ? (
            <span className="muted"> {BATCH_STATUS_TEXT[data.status]}</span>
          ) : null}
        </h2>
        <ProgressBar label="Mass upgrade progress" value={data.progress} outcome={data.finished ? data.status : null} />
        <p aria-live="polite">
          {data.progress_report} devices decided
          {stages > 1 ? (
            <> · {finished ? `${stages} stages` : `${currentStage}${data.current_stage === 0 ? ' (canary)' : ''}`}</>
          ) : null}
        </p>
        {pause ? (
          <p className="error" role="status">
            {pause}
          </p>
        ) : null}
        {data.status === 'scheduled' && data.start_at ? (
          <p role="status">Starts at {formatDate(data.start_at)}.</p>
        ) : null}
        {controls ? (
          <fieldset className="actions group" aria-label="Control the mass upgrade">
            {data.actions.pause ? (
              <button type="button" onClick={() => void act('pause')} disabled={busy !== null}>
                {busy === 'pause' ? 'Pausing…' : 'Pause'}
              </button>
            ) : null}
            {data.actions.resume ? (
              <button type="button" className="primary" onClick={() => void act('resume')} disabled={busy !== null}>
                {busy === 'resume' ? 'Resuming…' : 'Resume'}
              </button>
            ) : null}
            {data.actions.retry_failed ? (
              <button type="button" onClick={() => void act('retry-failed')} disabled={busy !== null}>
                {retrying === 'all' ? 'Retrying…' : 'Retry all failed'}
              </button>
            ) : null}
            {data.actions.cancel && !confirmingCancel ? (
              <button
                type="button"
                className="danger"
                onClick={() => setConfirmingCancel(true)}
                disabled={busy !== null}
              >
                Cancel
              </button>
            ) : null}
          </fieldset>
        ) : null}
        {confirmingCancel && data.actions.cancel ? (
          <fieldset className="panel group" aria-label="Confirm cancelling" style={{ marginTop: '0.75rem' }}>
            <p style={{ marginTop: 0 }}>
              Cancel this mass upgrade? Every upgrade not yet flashing is cancelled; devices already flashing finish
              normally. This cannot be undone.
            </p>
            <div className="actions">
              <button
                type="button"
                className="danger"
                onClick={() => void act('cancel')}
                disabled={busy !== null}
                // biome-ignore lint/a11y/noAutofocus: replaces the Cancel button just pressed, so the focus moves here
                autoFocus
              >
                {busy === 'cancel' ? 'Cancelling…' : 'Yes, cancel the mass upgrade'}
              </button>
              <button type="button" onClick={() => setConfirmingCancel(false)} disabled={busy !== null}>
                Keep it going
              </button>
            </div>
          </fieldset>
        ) : null}
        {actionError && !actionError.byGroup ? <ErrorMessage error={actionError.error} /> : null}
      </section>

      <div className="grid">
        <section className="panel">
          <h2 id="batch-counts" style={{ marginTop: 0 }}>
            Devices
          </h2>
          <dl className="kv">
            <dt>To upgrade</dt>
            <dd>{data.counts.operations}</dd>
            <dt>Pending</dt>
            <dd>
              {data.counts.pending}
              {data.counts.waiting_offline > 0 ? ` (${data.counts.waiting_offline} waiting to come online)` : ''}
            </dd>
            {data.counts.waiting_for_window > 0 ? (
              <>
                <dt>Maintenance window</dt>
                <dd data-testid="waiting-for-window">
                  {data.counts.waiting_for_window} waiting for a maintenance window
                </dd>
              </>
            ) : null}
            <dt>In progress</dt>
            <dd>{data.counts.in_progress}</dd>
            <dt>Succeeded</dt>
            <dd>
              {data.counts.success} ({data.success_rate} %)
            </dd>
            <dt>Failed</dt>
            <dd>
              {data.counts.failed} ({data.failed_rate} %)
            </dd>
            <dt>Aborted</dt>
            <dd>
              {data.counts.aborted} ({data.aborted_rate} %)
            </dd>
            <dt>Cancelled</dt>
            <dd>
              {data.counts.cancelled} ({data.cancelled_rate} %)
            </dd>
            <dt>Skipped</dt>
            <dd>{data.counts.skipped}</dd>
          </dl>
        </section>
        <section className="panel">
          <h2 id="batch-settings" style={{ marginTop: 0 }}>
            Settings
          </h2>
          <dl className="kv">
            <dt>Build</dt>
            <dd>
              {data.build ? (
                <Link to={`/firmware/builds/${data.build}`}>{data.build_version}</Link>
              ) : (
                `${data.build_version} (deleted)`
              )}
            </dd>
            <dt>Devices</dt>
            <dd>
              {[
                data.selected_devices !== null ? `selected devices (${data.selected_devices})` : null,
                data.group ? `group "${data.group}"` : null,
                data.location ? `location "${data.location}"` : null,
              ]
                .filter(Boolean)
                .join(', ') || 'all'}
              {data.upgrade_all ? ', also devices not on this category' : ''}
            </dd>
            <RolloutRows rollout={data.rollout} />
            <BatchSafetyRows batch={data} />
            <dt>Offline devices</dt>
            <dd>
              {data.wait_for_offline
                ? `waited for until ${formatDate(data.offline_deadline)}`
                : 'fail after the retries'}
            </dd>
            <dt>Created</dt>
            <dd>{formatDate(data.created)}</dd>
            <dt>Started</dt>
            <dd>{formatDate(data.started_at)}</dd>
            <dt>Finished</dt>
            <dd>{formatDate(data.finished_at)}</dd>
          </dl>
        </section>
      </div>

      {stages > 0 ? <StageTable batch={data} /> : null}

      <BatchFailures
        batch={data}
        canRetry={canWrite}
        retrying={retrying}
        busy={busy !== null}
        onRetry={(reason) => void act('retry-failed', reason)}
      />
      {actionError?.byGroup ? <ErrorMessage error={actionError.error} /> : null}
      {canWrite ? <RestoreFailedBackups batchId={id} failed={data.counts.failed} /> : null}

      <BatchOperations state={operations} />
      <BatchSkipped batchId={id} count={data.counts.skipped} skipReasons={data.skip_reasons} />
    </>
  );
}
