import { useCallback, useState } from 'react';
import { Link } from 'react-router';
import { api, call } from '../../api/client';
import { useLoad } from '../../hooks/useLoad';
import { EmptyState, ErrorMessage, Field, Loading, Pagination, ProgressBar, StatusBadge } from '../ui';
import { applyOperationEvent, errorCodeText, ifLoaded, OPERATION_STATUSES, type OperationStatus, stageName } from './model';
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
    () => call(api.GET('/api/v1/firmware/batch-upgrade-operation/{id}/operations/', {
      params: { path: { id: batchId }, query: { page, page_size: PAGE_SIZE, ...(status ? { status } : {}), ...(searched ? { search: searched } : {}) } },
    })),
    [batchId, page, status, searched],
  );
  const { setData, reload, data } = operations;
  const reloadSoon = useThrottled(() => void reload(), 3000);
  const apply = useCallback((event: Record<string, unknown>) => {
    if (data?.results.some((operation) => operation.id === event.id)) {
      setData(ifLoaded((current) => ({ ...current, results: current.results.map((operation) => applyOperationEvent(operation, event)) })));
    } else {
      reloadSoon();
    }
  }, [data, setData, reloadSoon]);
  return {
    operations, apply, reload, search, status, page,
    setSearch: (value: string) => { setSearch(value); setPage(1); },
    setStatus: (value: OperationStatus | '') => { setStatus(value); setPage(1); },
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
          {(id) => <input id={id} type="search" placeholder="Device name" value={search} onChange={(event) => state.setSearch(event.target.value)} />}
        </Field>
        <Field label="Status">
          {(id) => (
            <select id={id} value={status} onChange={(event) => state.setStatus(event.target.value as OperationStatus | '')}>
              <option value="">All</option>
              {OPERATION_STATUSES.map((value) => <option key={value} value={value}>{value}</option>)}
            </select>
          )}
        </Field>
      </div>
      <ErrorMessage error={operations.error} />
      {operations.data === undefined ? (operations.error ? null : <Loading what="Loading the upgrades" />) : operations.data.results.length === 0 ? (
        <EmptyState>
          {filtered ? 'No upgrade matches the search and status: change or clear them.' : 'This mass upgrade has no upgrades: every device was skipped (see below).'}
        </EmptyState>
      ) : (
        <>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Device</th>
                  <th scope="col" className="hide-narrow">Stage</th>
                  <th scope="col">Status</th>
                  <th scope="col">Progress</th>
                  <th scope="col" className="hide-narrow">Attempt</th>
                  <th scope="col" className="hide-narrow">Error</th>
                  <th scope="col"><span className="visually-hidden">Link</span></th>
                </tr>
              </thead>
              <tbody>
                {operations.data.results.map((operation) => (
                  <tr key={operation.id} data-operation={operation.id}>
                    <td><Link to={`/devices/${operation.device}`}>{operation.device_name}</Link></td>
                    <td className="hide-narrow">{stageName(operation.stage)}</td>
                    <td><StatusBadge status={operation.status} /></td>
                    <td><ProgressBar label={`Progress of ${operation.device_name}`} value={operation.progress} /></td>
                    <td className="hide-narrow">{operation.attempt}</td>
                    <td className="hide-narrow">
                      {operation.error_code ? <><code>{operation.error_code}</code> <span className="muted">{errorCodeText(operation.error_code)}</span></> : null}
                    </td>
                    <td><Link to={`/operations/${operation.id}`}>Details</Link></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination page={page} pageSize={PAGE_SIZE} count={operations.data.count} onPage={state.setPage} />
        </>
      )}
    </section>
  );
}
