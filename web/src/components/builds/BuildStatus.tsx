import { useCallback, useEffect, useRef, useState } from 'react';
import { useEvents } from '../../hooks/useEvents';
import { DataTable } from '../DataTable';
import { ErrorMessage, StatusBadge } from '../ui';
import { BUILD_ERROR_TEXT, BUILD_STAGES, type BuildAnswer, type BuildImage, fetchBuild, sortImages } from './asu';

/**
 * Follows an image build until it is done or failed: its `build` events (stage changes, at once)
 * and, as a fallback when events do not get through, a poll of GET /api/v1/build/{hash} every 2 s.
 */
export function useFollowBuild() {
  const [answer, setAnswer] = useState<BuildAnswer | null>(null);
  const [lastStage, setLastStage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const hash = answer?.request_hash ?? null;
  const running = answer?.status === 202;

  const accept = useCallback((next: BuildAnswer) => {
    setAnswer((current) => {
      // A slow poll must not turn a finished build back into a running one.
      if (current && current.request_hash === next.request_hash && current.status !== 202 && next.status === 202)
        return current;
      if (current && current.request_hash !== next.request_hash && next.status === 202 && current.status === 202)
        return current;
      return next;
    });
    const stage = next.imagebuilder_status;
    if (stage && stage !== 'failed' && stage !== 'done') setLastStage(stage);
  }, []);

  const refresh = useCallback(async () => {
    if (!hash) return;
    try {
      const next = await fetchBuild(hash);
      if (next.request_hash === hash) accept(next);
      setError(null);
    } catch (caught) {
      setError(caught);
    }
  }, [hash, accept]);

  useEvents(hash && running ? { build: hash } : null, (type, data) => {
    if (type !== 'build' || data.request_hash !== hash) return;
    if (data.status === 'success' || data.status === 'failed') {
      void refresh();
      return;
    }
    const stage = typeof data.imagebuilder_status === 'string' ? data.imagebuilder_status : undefined;
    if (stage) setLastStage(stage);
    setAnswer((current) =>
      current && current.request_hash === hash && current.status === 202 && stage
        ? { ...current, imagebuilder_status: stage }
        : current,
    );
  });

  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;
  useEffect(() => {
    if (!hash || !running) return undefined;
    const timer = window.setInterval(() => void refreshRef.current(), 2000);
    return () => window.clearInterval(timer);
  }, [hash, running]);

  const start = useCallback((first: BuildAnswer) => {
    setLastStage(null);
    setError(null);
    setAnswer(first);
    const stage = first.imagebuilder_status;
    if (stage && stage !== 'failed' && stage !== 'done') setLastStage(stage);
  }, []);

  return { answer, lastStage, error, start };
}

export function BuildStatus({
  answer,
  lastStage,
  error,
}: {
  answer: BuildAnswer;
  lastStage: string | null;
  error: unknown;
}) {
  const state =
    answer.status === 200
      ? 'success'
      : answer.status === 500
        ? 'failed'
        : answer.imagebuilder_status === 'queued'
          ? 'queued'
          : 'building';
  const current =
    answer.status === 200
      ? 'done'
      : answer.status === 500
        ? (lastStage ?? 'queued')
        : (answer.imagebuilder_status ?? 'queued');
  const currentIndex = BUILD_STAGES.findIndex((stage) => stage.id === current);

  return (
    <div aria-live="polite">
      <p>
        <StatusBadge status={state} />{' '}
        <span className="muted">
          Request <code>{answer.request_hash.slice(0, 12)}</code>
        </span>
      </p>
      <ol aria-label="Build stages" style={{ paddingLeft: '1.25rem' }}>
        {BUILD_STAGES.map((stage, index) => {
          const isCurrent = index === currentIndex;
          const failedHere = isCurrent && answer.status === 500;
          const done = index < currentIndex || (answer.status === 200 && isCurrent);
          return (
            <li
              key={stage.id}
              aria-current={isCurrent ? 'step' : undefined}
              className={done || isCurrent ? undefined : 'muted'}
              style={{ fontWeight: isCurrent ? 600 : undefined }}
            >
              {stage.label}
              {failedHere ? (
                <>
                  {' '}
                  <span className="badge badge-bad">failed</span>
                </>
              ) : done ? (
                ' ✓'
              ) : isCurrent ? (
                <>
                  {' '}
                  <span className="badge badge-busy">now</span>
                </>
              ) : null}
              {isCurrent && stage.id === 'queued' && answer.status === 202 ? <QueueInfo answer={answer} /> : null}
            </li>
          );
        })}
      </ol>
      <ErrorMessage error={error} />
      {answer.status === 200 ? <BuildImages answer={answer} /> : null}
      {answer.status === 500 ? <BuildFailure answer={answer} /> : null}
    </div>
  );
}

function QueueInfo({ answer }: { answer: BuildAnswer }) {
  const position = answer.queue_position ?? 0;
  const wait = answer.estimated_wait_seconds;
  return (
    <span className="muted">
      {' — '}
      {position === 0
        ? 'next in the queue'
        : `position ${position} in the queue (${position} ${position === 1 ? 'build' : 'builds'} before it)`}
      {typeof wait === 'number' ? `, about ${wait < 90 ? `${wait} s` : `${Math.round(wait / 60)} min`}` : ''}
    </span>
  );
}

function BuildImages({ answer }: { answer: BuildAnswer }) {
  const images = sortImages(answer.images ?? []);
  const binDir = answer.bin_dir ?? answer.request_hash;
  return (
    <section>
      <h3 id="build-images">Images</h3>
      <p className="muted">
        {answer.version_number ? `OpenWrt ${answer.version_number}` : null}
        {answer.version_code ? ` (${answer.version_code})` : null}
        {answer.expires_at ? ` · kept until ${new Date(answer.expires_at).toLocaleString()}` : null}
      </p>
      {images.length === 0 ? (
        <p className="muted">The build produced no image files.</p>
      ) : (
        <DataTable<BuildImage>
          rows={images}
          rowKey={(image) => image.name}
          columns={[
            {
              header: 'File',
              cellProps: () => ({ style: { overflowWrap: 'anywhere' } }),
              cell: (image) => (
                <a href={`/store/${encodeURIComponent(binDir)}/${encodeURIComponent(image.name)}`} download>
                  {image.name}
                </a>
              ),
            },
            {
              header: 'Type',
              className: 'hide-narrow',
              cell: (image) => `${image.type ?? ''}${image.filesystem ? ` (${image.filesystem})` : ''}`,
            },
            {
              header: 'SHA-256',
              cell: (image) => <code style={{ wordBreak: 'break-all', fontSize: '0.8rem' }}>{image.sha256}</code>,
            },
          ]}
        />
      )}
    </section>
  );
}

function BuildFailure({ answer }: { answer: BuildAnswer }) {
  const stderr = (answer.stderr ?? '').trimEnd();
  const tail = stderr.split('\n').slice(-40).join('\n');
  return (
    <section>
      <h3 id="build-failed">The build failed</h3>
      <p className="error" role="alert">
        {answer.detail ?? 'Error: the build failed.'}
      </p>
      <dl className="kv">
        {answer.error_code ? (
          <>
            <dt>Error code</dt>
            <dd>
              <code>{answer.error_code}</code> {BUILD_ERROR_TEXT[answer.error_code] ?? ''}
            </dd>
          </>
        ) : null}
        {answer.missing_packages && answer.missing_packages.length > 0 ? (
          <>
            <dt>Missing packages</dt>
            <dd>{answer.missing_packages.join(', ')}</dd>
          </>
        ) : null}
        {answer.conflicting_packages && answer.conflicting_packages.length > 0 ? (
          <>
            <dt>Conflicting packages</dt>
            <dd>{answer.conflicting_packages.join(', ')}</dd>
          </>
        ) : null}
        {answer.error_kind === 'infrastructure' ? (
          <>
            <dt>What to do</dt>
            <dd>A problem on the server, not in your request: request the build again later.</dd>
          </>
        ) : null}
      </dl>
      {tail ? (
        <details style={{ marginTop: '0.75rem' }}>
          <summary>Build output (last lines of stderr)</summary>
          <pre className="log">{tail}</pre>
        </details>
      ) : null}
    </section>
  );
}
