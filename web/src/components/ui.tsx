import { type ReactNode, useId } from 'react';
import { Link } from 'react-router';
import { usePageTitle } from '../hooks/usePageTitle';

/** Small shared building blocks. Pages compose these; they keep labels, roles and states consistent. */

/**
 * A progress bar. With `outcome` (the final status of what it measures) the work is over, whatever
 * the recorded progress: the bar is full, coloured by the outcome, and says it ("failed"), rather
 * than standing half-filled as if the work were still going on.
 */
export function ProgressBar({ value, label, outcome }: { value: number; label: string; outcome?: string | null }) {
  const percent = outcome ? 100 : Math.max(0, Math.min(100, Math.round(value)));
  const tone = outcome ? ` progress-${STATUS_CLASS[outcome] ?? 'muted'}` : '';
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={outcome ? `finished: ${outcome}` : undefined}
      data-value={percent}
      data-outcome={outcome ?? undefined}
    >
      <div className={`progress-fill${tone}`} style={{ width: `${percent}%` }} />
      <span className="progress-text">{outcome ?? `${percent} %`}</span>
    </div>
  );
}

/** An error about a whole page or action (role=alert, so screen readers announce it). */
export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {error instanceof Error ? error.message : String(error)}
    </p>
  );
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="muted" aria-live="polite">
      {what}…
    </p>
  );
}

/** What to do when a list is empty: a sentence and, often, the action that fills it. */
export function EmptyState({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

/** A labelled form field with its error next to it. `children` is the control; it gets the id. */
export function Field({
  label,
  error,
  hint,
  children,
}: {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  children: (id: string, describedBy: string | undefined) => ReactNode;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children(id, describedBy)}
      {hint ? (
        <small id={hintId} className="muted">
          {hint}
        </small>
      ) : null}
      {error ? (
        <small id={errorId} className="field-error" role="alert">
          {error}
        </small>
      ) : null}
    </div>
  );
}

const STATUS_CLASS: Record<string, string> = {
  success: 'ok',
  attached: 'ok',
  done: 'ok',
  'in-progress': 'busy',
  started: 'busy',
  building: 'busy',
  queued: 'wait',
  pending: 'wait',
  scheduled: 'wait',
  paused: 'warn',
  failed: 'bad',
  aborted: 'bad',
  cancelled: 'muted',
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge badge-${STATUS_CLASS[status] ?? 'muted'}`} data-status={status}>
      {status}
    </span>
  );
}

/** Previous/next for the API's paginated lists (`count`, page numbers from 1). */
export function Pagination({
  page,
  pageSize,
  count,
  onPage,
}: {
  page: number;
  pageSize: number;
  count: number;
  onPage: (page: number) => void;
}) {
  const pages = Math.max(1, Math.ceil(count / pageSize));
  if (count <= pageSize) return <p className="muted pagination">{count} in all</p>;
  return (
    <nav className="pagination" aria-label="Pages">
      <button type="button" onClick={() => onPage(page - 1)} disabled={page <= 1}>
        Previous
      </button>
      <span>
        Page {page} of {pages} ({count} in all)
      </span>
      <button type="button" onClick={() => onPage(page + 1)} disabled={page >= pages}>
        Next
      </button>
    </nav>
  );
}

/** A page's heading, back link and actions; its title is also the browser tab's. */
export function PageHeader({
  title,
  actions,
  back,
}: {
  title: string;
  actions?: ReactNode;
  back?: { to: string; label: string };
}) {
  usePageTitle(title);
  return (
    <header className="page-header">
      {back ? (
        <Link className="back" to={back.to}>
          ← {back.label}
        </Link>
      ) : null}
      <div className="page-header-row">
        <h1>{title}</h1>
        {actions ? <div className="actions">{actions}</div> : null}
      </div>
    </header>
  );
}

export function formatDate(value: string | null | undefined): string {
  return value ? new Date(value).toLocaleString() : '—';
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}
