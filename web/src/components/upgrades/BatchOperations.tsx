import { useCallback, useState } from 'react';
import { Link } from 'react-router';
import { api, call } from '../../api/client';
import { useLoad } from '../../hooks/useLoad';
import { useUrlParams } from '../../hooks/useUrlParams';
import { type Column, DataTable } from '../DataTable';
import { sortable } from '../devices/ListControls';
import { EmptyState, ErrorMessage, Field, Loading, Pagination, ProgressBar, StatusBadge } from '../ui';
import {
  applyOperationEvent,
  errorCodeText,
  ifLoaded,
  type Operation,
  OPERATION_ERROR_CODES,
  OPERATION_STATUSES,
  type OperationErrorCode,
  type OperationStatus,
  stageName,
} from './model';
import { useDebounced, useThrottled } from './timing';

const PAGE_SIZE = 25;

/** Fields of the operations list's `ordering` (the server's list); a stage sort goes on by status within a stage. */
const ORDERING_FIELDS = ['stage', 'status', 'device_name', 'progress', 'created'] as const;
const DEFAULT_ORDERING = '-created';

function validOrdering(value: string | null): string {
  if (!value) return DEFAULT_ORDERING;
  const known = value
    .split(',')
    .every((term) => (ORDERING_FIELDS as readonly string[]).includes(term.replace(/^-/, '')));
  return known ? value : DEFAULT_ORDERING;
}

/**
 * The operations of a mass upgrade, with their filters, kept live: `apply` takes the `operation`
 * events of the batch (the page owns the one event stream). A row on the page changes in place; an
 * operation not on the page (a retry replacing a failed one, say), or one whose status changed (the
 * server says whether it is finished), loads the page again, at most every few seconds. The status
 * and reason filters, the order and the page live in the URL, so a filtered list can be linked to.
 */
export function useBatchOperations(batchId: string) {
  const [params, changeParams] = useUrlParams();
  const [search, setSearch] = useState('');
  const status = OPERATION_STATUSES.find((value) => value === params.get('status')) ?? '';
  const reason = OPERATION_ERROR_CODES.find((value) => value === params.get('reason')) ?? '';
  const ordering = validOrdering(params.get('ordering'));
  const page = Math.max(1, Number(params.get('page')) || 1);
  const searched = useDebounced(search.trim());
  const operations = useLoad(
    () =>
      call(
        api.GET('/api/v1/firmware/batch-upgrade-operation/{id}/operations/', {
          params: {
            path: { id: batchId },
            query: {
              page,
              page_size: PAGE_SIZE,
              ordering,
              ...(status ? { status } : {}),
              // The same rows as the failure group of that reason counts and retries (not pending ones after it).
              ...(reason ? { failure_reason: reason } : {}),
              ...(searched ? { search: searched } : {}),
            },
          },
        }),
      ),
    [batchId, page, status, reason, ordering, searched],
  );
  const { setData, reload, data } = operations;
  const reloadSoon = useThrottled(() => void reload(), 3000);
  const apply = useCallback(
    (event: Record<string, unknown>) => {
      const shown = data?.results.find((operation) => operation.id === event.id);
      if (shown) {
        setData(
          ifLoaded((current) => ({
            ...current,
            results: current.results.map((operation) => applyOperationEvent(operation, event)),
          })),
        );
        if (typeof event.status === 'string' && event.status !== shown.status) reloadSoon();
      } else {
        reloadSoon();
      }
    },
    [data, setData, reloadSoon],
  );
  const setParam = (name: string, value: string) => {
    changeParams(
      (next) => {
        if (value) next.set(name, value);
        else next.delete(name);
        if (name !== 'page') next.delete('page');
      },
      { replace: true },
    );
  };
  return {
    operations,
    apply,
    reload,
    search,
    status,
    reason,
    ordering,
    page,
    setSearch: (value: string) => {
      setSearch(value);
      setParam('page', '');
    },
    setStatus: (value: OperationStatus | '') => setParam('status', value),
    setReason: (value: OperationErrorCode | '') => setParam('reason', value),
    setOrdering: (value: string) => setParam('ordering', value === DEFAULT_ORDERING ? '' : value),
    setPage: (value: number) => setParam('page', value > 1 ? String(value) : ''),
  };
}

export type BatchOperationsState = ReturnType<typeof useBatchOperations>;

export function BatchOperations({ state }: { state: BatchOperationsState }) {
  const { operations, search, status, reason, ordering, page } = state;
  const filtered = search.trim() !== '' || status !== '' || reason !== '';
  // A stage sort goes on by status within each stage (the order of a rollout's progress).
  const sortBy = (next: string) => state.setOrdering(/^-?stage$/.test(next) ? `${next},status` : next);
  const sorted = (column: Column<Operation>, label: string, field: string) =>
    sortable(column, label, field, ordering, sortBy);
  return (
    <section>
      <h2 id="batch-operations">Upgrades</h2>
      <div className="filters">
        <Field label="Search">
          {(id) => (
            <input
              id={id}
              type="search"
              placeholder="Device name"
              value={search}
              onChange={(event) => state.setSearch(event.target.value)}
            />
          )}
        </Field>
        <Field label="Status">
          {(id) => (
            <select
              id={id}
              value={status}
              onChange={(event) => state.setStatus(event.target.value as OperationStatus | '')}
            >
              <option value="">All</option>
              {OPERATION_STATUSES.map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Failed with">
          {(id) => (
            <select
              id={id}
              value={reason}
              onChange={(event) => state.setReason(event.target.value as OperationErrorCode | '')}
            >
              <option value="">Any</option>
              {OPERATION_ERROR_CODES.map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {reason ? (
        <p className="muted" id="batch-operations-reason">
          Upgrades that failed or were aborted with <code>{reason}</code>: {errorCodeText(reason)}
        </p>
      ) : null}
      <ErrorMessage error={operations.error} />
      {operations.data === undefined ? (
        operations.error ? null : (
          <Loading what="Loading the upgrades" />
        )
      ) : operations.data.results.length === 0 ? (
        <EmptyState>
          {filtered
            ? 'No upgrade matches the search, status and reason: change or clear them.'
            : 'This mass upgrade has no upgrades: every device was skipped (see below).'}
        </EmptyState>
      ) : (
        <>
          <DataTable<Operation>
            rows={operations.data.results}
            rowKey={(operation) => operation.id}
            rowProps={(operation) => ({ 'data-operation': operation.id })}
            busy={operations.loading}
            columns={[
              sorted(
                {
                  header: 'Device',
                  cell: (operation) => <Link to={`/devices/${operation.device}`}>{operation.device_name}</Link>,
                },
                'Device',
                'device_name',
              ),
              sorted(
                { header: 'Stage', className: 'hide-narrow', cell: (operation) => stageName(operation.stage) },
                'Stage',
                'stage',
              ),
              sorted(
                { header: 'Status', cell: (operation) => <StatusBadge status={operation.status} /> },
                'Status',
                'status',
              ),
              sorted(
                {
                  header: 'Progress',
                  cell: (operation) => (
                    <ProgressBar
                      label={`Progress of ${operation.device_name}`}
                      value={operation.progress}
                      outcome={operation.finished ? operation.status : null}
                    />
                  ),
                },
                'Progress',
                'progress',
              ),
              { header: 'Attempt', className: 'hide-narrow', cell: (operation) => operation.attempt },
              {
                header: 'Error',
                className: 'hide-narrow',
                cell: (operation) =>
                  operation.error_code ? (
                    <>
                      <code>{operation.error_code}</code>{' '}
                      <span className="muted">{errorCodeText(operation.error_code)}</span>
                    </>
                  ) : null,
              },
              {
                header: <span className="visually-hidden">Link</span>,
                cell: (operation) => <Link to={`/operations/${operation.id}`}>Details</Link>,
              },
            ]}
          />
          <Pagination page={page} pageSize={PAGE_SIZE} count={operations.data.count} onPage={state.setPage} />
        </>
      )}
    </section>
  );
}
