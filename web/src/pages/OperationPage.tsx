import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ApiError, call } from '../api/client';
import type { paths } from '../api/schema';
import {
  describeImage,
  describeUnknownImage,
  type FittingImage,
  loadFittingImages,
} from '../components/devices/imageCatalog';
import { type LogLine, mergeLogLines, OperationLog } from '../components/devices/OperationLog';
import {
  errorCodeText,
  type OperationErrorCode,
  type OperationStatus,
  optionFlags,
} from '../components/upgrades/model';
import { useCanWriteIn } from '../components/devices/organization';
import { ErrorMessage, Loading, PageHeader, ProgressBar, StatusBadge, formatDate } from '../components/ui';
import { WindowWait } from '../components/upgrades/WindowWait';
import { type LiveEventType, useEvents } from '../hooks/useEvents';

type Operation =
  paths['/api/v1/firmware/upgrade-operation/{id}/']['get']['responses'][200]['content']['application/json'];

export function OperationPage() {
  const { id = '' } = useParams();
  // Another operation (e.g. after "Retry") starts from a clean slate.
  return <OperationView key={id} id={id} />;
}

function OperationView({ id }: { id: string }) {
  const { operation, lines, error, reload } = useLiveOperation(id);
  const image = useImage(operation?.device, operation?.image ?? null);

  if (!operation) {
    const notFound = error instanceof ApiError && error.status === 404;
    return (
      <>
        <PageHeader title={notFound ? 'Upgrade not found' : 'Upgrade'} back={{ to: '/devices', label: 'Devices' }} />
        {error ? <ErrorMessage error={error} /> : <Loading what="Loading the upgrade" />}
        {error && !notFound ? (
          <button type="button" onClick={() => void reload()}>
            Try again
          </button>
        ) : null}
      </>
    );
  }

  const lastError = [...lines].reverse().find((line) => line.level === 'error');
  return (
    <>
      <PageHeader
        title={`${operation.kind === 'restore' ? 'Configuration restore' : 'Upgrade'} of ${operation.device_name}`}
        back={{ to: `/devices/${operation.device}?tab=history`, label: `${operation.device_name}: upgrade history` }}
      />
      {error ? <ErrorMessage error={error} /> : null}

      <section className="panel" aria-label="Upgrade status">
        <p style={{ marginTop: 0, display: 'flex', flexWrap: 'wrap', gap: '0.5rem', alignItems: 'center' }}>
          <StatusBadge status={operation.status} />
          <span className="muted">{statusSentence(operation)}</span>
        </p>
        <p className="visually-hidden" aria-live="polite">
          Status: {operation.status}
        </p>
        <ProgressBar
          label="Upgrade progress"
          value={operation.progress}
          outcome={operation.finished ? operation.status : null}
        />
        <OperationActions operation={operation} onChanged={reload} />
      </section>

      <section className="panel" aria-labelledby="operation-details-title">
        <h2 id="operation-details-title" style={{ marginTop: 0 }}>
          Details
        </h2>
        <dl className="kv">
          <dt>Device</dt>
          <dd>
            <Link to={`/devices/${operation.device}`}>{operation.device_name}</Link>
          </dd>
          <dt>{operation.kind === 'restore' ? 'Backup restored' : 'Image'}</dt>
          <dd>
            {operation.kind === 'restore'
              ? `configuration backup ${operation.image_sha256.slice(0, 12)}…`
              : image
                ? describeImage(image)
                : operation.image
                  ? describeUnknownImage(operation.image_sha256)
                  : `deleted ${describeUnknownImage(operation.image_sha256)}`}
            <br />
            <small className="muted" style={{ wordBreak: 'break-all' }}>
              SHA-256 {operation.image_sha256}
            </small>
          </dd>
          {operation.kind === 'upgrade' ? (
            <>
              <dt>Health check</dt>
              <dd data-testid="operation-health-check">
                {operation.health_check
                  ? `${operation.health_check.name}: ${operation.health_check.probes
                      .map((probe) => probe.name)
                      .join(', ')}`
                  : 'none'}
              </dd>
            </>
          ) : null}
          <dt>Status</dt>
          <dd>
            <StatusBadge status={operation.status} />
          </dd>
          <dt>Attempt</dt>
          <dd>{operation.attempt}</dd>
          {operation.status === 'pending' && operation.next_attempt_at ? (
            <>
              <dt>Next attempt</dt>
              <dd>{formatDate(operation.next_attempt_at)}</dd>
            </>
          ) : null}
          {operation.waiting_for_window ? <WindowWait wait={operation.waiting_for_window} /> : null}
          <dt>Error</dt>
          <dd>
            {operation.error_code ? (
              <>
                <code>{operation.error_code}</code>: {errorCodeText(operation.error_code)}
                {lastError ? (
                  <>
                    <br />
                    <span className="muted">{lastError.message}</span>
                  </>
                ) : null}
              </>
            ) : (
              <span className="muted">none</span>
            )}
          </dd>
          <dt>Options</dt>
          <dd>
            <code>{optionFlags(operation.options)}</code>
          </dd>
          {operation.batch ? (
            <>
              <dt>Mass upgrade</dt>
              <dd>
                <Link to={`/batches/${operation.batch}`}>Open the mass upgrade</Link>{' '}
                <span className="muted">(stage {operation.stage})</span>
              </dd>
            </>
          ) : null}
          {operation.retry_of ? (
            <>
              <dt>Retry of</dt>
              <dd>
                <Link to={`/operations/${operation.retry_of}`}>the previous attempt</Link>
              </dd>
            </>
          ) : null}
          <dt>Created</dt>
          <dd>{formatDate(operation.created)}</dd>
          <dt>Started</dt>
          <dd>{formatDate(operation.started_at)}</dd>
          <dt>Finished</dt>
          <dd>{formatDate(operation.finished_at)}</dd>
        </dl>
      </section>

      <section aria-labelledby="operation-log-title">
        <h2 id="operation-log-title">Log</h2>
        <OperationLog lines={lines} />
      </section>
    </>
  );
}

function statusSentence(operation: Operation): string {
  switch (operation.status) {
    case 'pending':
      return operation.attempt > 0 ? 'Waiting to try again.' : 'Queued: it starts when a worker is free.';
    case 'in-progress':
      return operation.flash_started
        ? 'Flashing: the device is writing the new image and rebooting.'
        : 'Preparing the device.';
    case 'success':
      return 'The device runs the new image.';
    case 'failed':
      return operation.flash_started ? 'Failed after flashing started: check the device.' : 'Failed.';
    case 'aborted':
      return 'Aborted before anything was changed on the device.';
    case 'cancelled':
      return 'Cancelled.';
    default:
      return '';
  }
}

/** "Cancel upgrade" and "Retry", each with its error (or why it is not possible) next to it. */
function OperationActions({ operation, onChanged }: { operation: Operation; onChanged: () => Promise<void> }) {
  const navigate = useNavigate();
  const canWrite = useCanWriteIn(operation.organization);
  const [busy, setBusy] = useState<'cancel' | 'retry' | null>(null);
  const [cancelError, setCancelError] = useState<unknown>(null);
  const [retryError, setRetryError] = useState<unknown>(null);
  if (!canWrite) return <p className="muted">Your role lets you follow this upgrade, not cancel or retry it.</p>;

  // `finished` and `can_retry` are the server's (a new status reloads the operation, see useLiveOperation).
  const cancelBlocked = operation.finished
    ? `This upgrade has ended (${operation.status}): there is nothing to cancel.`
    : operation.flash_started
      ? 'Flashing has started: it can no longer be cancelled.'
      : null;

  const cancel = async () => {
    setBusy('cancel');
    setCancelError(null);
    try {
      await call(
        api.POST('/api/v1/firmware/upgrade-operation/{id}/cancel/', { params: { path: { id: operation.id } } }),
      );
    } catch (caught) {
      setCancelError(caught);
    } finally {
      setBusy(null);
    }
    await onChanged();
  };
  const retry = async () => {
    setBusy('retry');
    setRetryError(null);
    try {
      const next = await call(
        api.POST('/api/v1/firmware/upgrade-operation/{id}/retry/', { params: { path: { id: operation.id } } }),
      );
      navigate(`/operations/${next.id}`);
    } catch (caught) {
      setRetryError(caught);
      setBusy(null);
    }
  };

  return (
    <div style={{ marginTop: '1rem' }}>
      <div className="actions" style={{ alignItems: 'center' }}>
        <button
          type="button"
          className="danger"
          disabled={cancelBlocked !== null || busy !== null}
          aria-describedby={cancelBlocked ? 'cancel-reason' : undefined}
          onClick={() => void cancel()}
        >
          {busy === 'cancel' ? 'Cancelling…' : 'Cancel upgrade'}
        </button>
        {cancelBlocked ? (
          <span id="cancel-reason" className="muted">
            {cancelBlocked}
          </span>
        ) : null}
      </div>
      <ErrorMessage error={cancelError} />
      {operation.can_retry ? (
        <div style={{ marginTop: '0.75rem' }}>
          <div className="actions" style={{ alignItems: 'center' }}>
            <button type="button" className="primary" disabled={busy !== null} onClick={() => void retry()}>
              {busy === 'retry' ? 'Starting again…' : 'Retry'}
            </button>
            <span className="muted">Starts a new upgrade of the same device with the same image and options.</span>
          </div>
          <ErrorMessage error={retryError} />
        </div>
      ) : null}
    </div>
  );
}

/**
 * The operation and its log, kept up to date by live events: `operation` events update the status
 * in place, `log` events append lines after the last one shown. A gap in the sequence numbers
 * (missed events) is filled from the log endpoint; nothing is ever shown twice.
 */
function useLiveOperation(id: string) {
  const [operation, setOperation] = useState<Operation | undefined>(undefined);
  const [lines, setLines] = useState<LogLine[]>([]);
  const [error, setError] = useState<Error | null>(null);
  const lastSeq = useRef(0);
  const status = useRef<OperationStatus | null>(null);
  const loaded = useRef(false);
  const early = useRef<[LiveEventType, Record<string, unknown>][]>([]);
  const catchingUp = useRef(false);
  const gapsSeen = useRef(0);

  const addLines = useCallback((incoming: readonly LogLine[]) => {
    const fresh = incoming.filter((line) => line.seq > lastSeq.current);
    if (fresh.length === 0) return;
    lastSeq.current = Math.max(lastSeq.current, ...fresh.map((line) => line.seq));
    setLines((current) => mergeLogLines(current, fresh));
  }, []);

  const handler = useRef<(type: LiveEventType, data: Record<string, unknown>) => void>(() => undefined);

  const reload = useCallback(async () => {
    try {
      const fresh = await call(api.GET('/api/v1/firmware/upgrade-operation/{id}/', { params: { path: { id } } }));
      setOperation((current) => {
        if (!current || Date.parse(fresh.modified) >= Date.parse(current.modified)) return fresh;
        // Live events overtook this answer: keep what they said, take the rest (timestamps) from it.
        const { status: liveStatus, progress, attempt, error_code, flash_started, next_attempt_at, modified } = current;
        return {
          ...fresh,
          status: liveStatus,
          progress,
          attempt,
          error_code,
          flash_started,
          next_attempt_at,
          modified,
        };
      });
      status.current = fresh.status;
      addLines(fresh.log_lines);
      setError(null);
      if (!loaded.current) {
        // Events that came before the first answer: those it already holds are skipped.
        loaded.current = true;
        const waiting = early.current;
        early.current = [];
        for (const [type, data] of waiting) handler.current(type, data);
      }
    } catch (caught) {
      setError(caught as Error);
    }
  }, [id, addLines]);

  /** Fetches the lines after the last one shown (again, if more were missed meanwhile). */
  const catchUp = useCallback(async () => {
    gapsSeen.current += 1;
    if (catchingUp.current) return;
    catchingUp.current = true;
    try {
      let served = 0;
      while (served < gapsSeen.current) {
        served = gapsSeen.current;
        try {
          const answer = await call(
            api.GET('/api/v1/firmware/upgrade-operation/{id}/log/', {
              params: { path: { id }, query: { after: lastSeq.current } },
            }),
          );
          addLines(answer.results);
        } catch {
          await reload(); // the whole operation, log included
        }
      }
    } finally {
      catchingUp.current = false;
    }
  }, [id, addLines, reload]);

  const handle = useCallback(
    (type: LiveEventType, data: Record<string, unknown>) => {
      if (type === 'operation' && data.id === id) {
        const next = typeof data.status === 'string' ? (data.status as OperationStatus) : null;
        setOperation((current) => {
          if (!current) return current;
          if (typeof data.modified === 'string' && Date.parse(data.modified) < Date.parse(current.modified))
            return current; // older than what we show
          return {
            ...current,
            status: next ?? current.status,
            progress: typeof data.progress === 'number' ? data.progress : current.progress,
            attempt: typeof data.attempt === 'number' ? data.attempt : current.attempt,
            error_code:
              data.error_code === null || typeof data.error_code === 'string'
                ? (data.error_code as OperationErrorCode | null)
                : current.error_code,
            flash_started: typeof data.flash_started === 'boolean' ? data.flash_started : current.flash_started,
            next_attempt_at:
              data.next_attempt_at === null || typeof data.next_attempt_at === 'string'
                ? data.next_attempt_at
                : current.next_attempt_at,
            modified: typeof data.modified === 'string' ? data.modified : current.modified,
          };
        });
        // A new status brings timestamps (started, finished) the event does not carry.
        if (next && next !== status.current) {
          status.current = next;
          void reload();
        }
      } else if (type === 'log' && data.operation === id && typeof data.seq === 'number') {
        if (data.seq <= lastSeq.current) return; // shown already
        if (data.seq === lastSeq.current + 1) {
          addLines([
            {
              seq: data.seq,
              at: typeof data.at === 'string' ? data.at : new Date().toISOString(),
              level: data.level === 'warning' || data.level === 'error' ? data.level : 'info',
              message: typeof data.message === 'string' ? data.message : '',
            },
          ]);
        } else {
          void catchUp();
        }
      }
    },
    [id, addLines, catchUp, reload],
  );

  handler.current = handle;

  useEvents({ operation: id }, (type, data) => {
    // Events that arrive before the operation is loaded wait for it (the load may or may not include them).
    if (loaded.current) handle(type, data);
    else early.current.push([type, data]);
  });

  useEffect(() => {
    void reload();
  }, [reload]);

  return { operation, lines, error, reload };
}

/** The operation's image among those that fit its device, once known (it names the version and hardware). */
function useImage(deviceId: string | undefined, imageId: string | null): FittingImage | undefined {
  const [image, setImage] = useState<FittingImage | undefined>(undefined);
  useEffect(() => {
    if (!deviceId || !imageId) return undefined;
    let current = true;
    loadFittingImages(deviceId)
      .then((images) => {
        if (current) setImage(images.find((candidate) => candidate.id === imageId));
      })
      .catch(() => undefined); // the checksum stays shown
    return () => {
      current = false;
    };
  }, [deviceId, imageId]);
  return image;
}
