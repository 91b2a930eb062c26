import { useCallback, useState } from 'react';
import { Link } from 'react-router';
import { api, call } from '../../api/client';
import { useLoad } from '../../hooks/useLoad';
import { DataTable } from '../DataTable';
import { EmptyState, ErrorMessage, Field, Loading, Pagination, ProgressBar, StatusBadge } from '../ui';
import {
  applyOperationEvent,
  errorCodeText,
  ifLoaded,
  type Operation,
  OPERATION_STATUSES,
  type OperationStatus,
  stageName,
} from './model';
import { useDebounced, useThrottled } from './timing';

const PAGE_SIZE = 25;

/**
 * The operations of a mass upgrade, with their filters, kept live: `apply` takes the `operation`
 * events of the batch (the page owns the one event stream). A row on the page changes in place; an
 * operation not on the page (a retry replacing a failed one, say) loads the page again, at most
 * every few seconds.
 */
export function useBatchOperations(batchId: string) {
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<OperationStatus | ''>('');
  const [page, setPage] = useState(1);
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
              ...(status ? { status } : {}),
              ...(searched ? { search: searched } : {}),
            },
          },
        }),
      ),
    [batchId, page, status, searched],
  );
  const { setData, reload, data } = operations;
  const reloadSoon = useThrottled(() => void reload(), 3000);
  const apply = useCallback(
    (event: Record<string, unknown>) => {
      if (data?.results.some((operation) => operation.id === event.id)) {
        setData(
          ifLoaded((current) => ({
            ...current,
            results: current.results.map((operation) => applyOperationEvent(operation, event)),
          })),
        );
      } else {
        reloadSoon();
      }
    },
    [data, setData, reloadSoon],
  );
  return {
    operations,
    apply,
    reload,
    search,
    status,
    page,
    setSearch: (value: string) => {
      setSearch(value);
      setPage(1);
    },
    setStatus: (value: OperationStatus | '') => {
      setStatus(value);
      setPage(1);
    },
    setPage,
  };
}

export type BatchOperationsState = ReturnType<typeof useBatchOperations>;

export function BatchOperations({ state }: { state: BatchOperationsState }) {
  const { operations, search, status, page } = state;
  const filtered = search.trim() !== '' || status !== '';
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
      </div>
      <ErrorMessage error={operations.error} />
      {operations.data === undefined ? (
        operations.error ? null : (
          <Loading what="Loading the upgrades" />
        )
      ) : operations.data.results.length === 0 ? (
        <EmptyState>
          {filtered
            ? 'No upgrade matches the search and status: change or clear them.'
            : 'This mass upgrade has no upgrades: every device was skipped (see below).'}
        </EmptyState>
      ) : (
        <>
          <DataTable<Operation>
            rows={operations.data.results}
            rowKey={(operation) => operation.id}
            rowProps={(operation) => ({ 'data-operation': operation.id })}
            columns={[
              {
                header: 'Device',
                cell: (operation) => <Link to={`/devices/${operation.device}`}>{operation.device_name}</Link>,
              },
              { header: 'Stage', className: 'hide-narrow', cell: (operation) => stageName(operation.stage) },
              { header: 'Status', cell: (operation) => <StatusBadge status={operation.status} /> },
              {
                header: 'Progress',
                cell: (operation) => (
                  <ProgressBar label={`Progress of ${operation.device_name}`} value={operation.progress} />
                ),
              },
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
