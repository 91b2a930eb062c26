import { useEffect } from 'react';
import { api, call } from '../../api/client';
import { useLoad } from '../../hooks/useLoad';
import { DataTable } from '../DataTable';
import { ErrorMessage, formatDate, Loading } from '../ui';
import { DELIVERY_STATUS_BADGE, DELIVERY_STATUS_LABELS, EVENT_LABELS } from './text';

/** While deliveries are pending, the log is read again this often. */
const REFRESH_MS = 2000;

/** A webhook's delivery log: the latest deliveries with status, attempts and the last error. */
export function WebhookDeliveries({ webhookId, refreshKey }: { webhookId: string; refreshKey: number }) {
  const log = useLoad(
    () =>
      call(
        api.GET('/api/v1/webhooks/{id}/deliveries/', {
          params: { path: { id: webhookId }, query: { page_size: 20 } },
        }),
      ),
    [webhookId, refreshKey],
  );
  const pending = log.data?.results.some((delivery) => delivery.status === 'pending') ?? false;
  const { reload } = log;
  // biome-ignore lint/correctness/useExhaustiveDependencies: each new answer schedules the next read while pending
  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(() => void reload(), REFRESH_MS);
    return () => clearTimeout(timer);
  }, [pending, reload, log.data]);

  if (log.data === undefined)
    return log.error ? <ErrorMessage error={log.error} /> : <Loading what="Loading deliveries" />;
  type Delivery = (typeof log.data.results)[number];
  return (
    <>
      <ErrorMessage error={log.error} />
      <DataTable<Delivery>
        label="Delivery log"
        rows={log.data.results}
        rowKey={(delivery) => delivery.id}
        rowProps={(delivery) => ({ 'data-status': delivery.status })}
        empty="No deliveries yet. Press “Send test” to send one now."
        columns={[
          { header: 'Event', cell: (delivery) => EVENT_LABELS[delivery.event] },
          {
            header: 'Status',
            cell: (delivery) => (
              <span className={`badge badge-${DELIVERY_STATUS_BADGE[delivery.status]}`} data-status={delivery.status}>
                {DELIVERY_STATUS_LABELS[delivery.status]}
              </span>
            ),
          },
          {
            header: 'Attempts',
            cell: (delivery) =>
              delivery.attempt_log.length === 0 ? (
                delivery.attempts
              ) : (
                <details>
                  <summary>{delivery.attempts}</summary>
                  <ol className="attempts">
                    {delivery.attempt_log.map((attempt) => (
                      <li key={attempt.attempt}>
                        {formatDate(attempt.started_at)}: {attempt.error ?? `HTTP ${attempt.status_code ?? '—'}`} (
                        {attempt.duration_ms} ms{attempt.host ? `, to ${attempt.host}` : ''})
                      </li>
                    ))}
                  </ol>
                </details>
              ),
          },
          {
            header: 'Last answer',
            cell: (delivery) =>
              delivery.last_error ?? (delivery.last_status_code ? `HTTP ${delivery.last_status_code}` : '—'),
          },
          {
            header: 'Next attempt',
            className: 'hide-narrow',
            cell: (delivery) => (delivery.next_attempt_at ? formatDate(delivery.next_attempt_at) : '—'),
          },
          { header: 'Created', className: 'hide-narrow', cell: (delivery) => formatDate(delivery.created) },
        ]}
      />
      <p className="muted">
        Each attempt is logged with its time, duration and answer (API:{' '}
        <code>GET /api/v1/webhooks/{webhookId}/deliveries/</code>).
      </p>
    </>
  );
}
