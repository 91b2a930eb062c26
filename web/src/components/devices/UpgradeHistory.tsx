import { Link } from 'react-router';
import { api, ApiError, call } from '../../api/client';
import type { paths } from '../../api/schema';
import { useLoad } from '../../hooks/useLoad';
import { DataTable } from '../DataTable';
import { EmptyState, ErrorMessage, Loading, Pagination, StatusBadge, formatDate } from '../ui';
import { describeImage, describeUnknownImage, loadFittingImages } from './imageCatalog';
import { errorCodeText } from '../upgrades/model';

const PAGE_SIZE = 20;

type HistoryGet = paths['/api/v1/firmware/device/{id}/upgrade-operation/']['get'];
type HistoryOperation = HistoryGet['responses'][200]['content']['application/json']['results'][number];

/** A device's upgrade operations, newest first, one page at a time. */
export function UpgradeHistory({
  deviceId,
  page,
  onPage,
}: {
  deviceId: string;
  page: number;
  onPage: (page: number) => void;
}) {
  const operations = useLoad(
    () =>
      call(
        api.GET('/api/v1/firmware/device/{id}/upgrade-operation/', {
          params: { path: { id: deviceId }, query: { page, page_size: PAGE_SIZE } },
        }),
      ),
    [deviceId, page],
  );
  // Only to name the images (they fit the device); the history is readable without it.
  const catalog = useLoad(() => loadFittingImages(deviceId), [deviceId]);
  const imageName = (id: string | null, sha256: string) => {
    const image = id ? catalog.data?.find((candidate) => candidate.id === id) : undefined;
    if (image) return describeImage(image);
    return id ? describeUnknownImage(sha256) : `deleted ${describeUnknownImage(sha256)}`;
  };

  if (operations.error instanceof ApiError && operations.error.code === 'InvalidPage') {
    return (
      <p className="error" role="alert">
        There is no page {page} of this history.{' '}
        <button type="button" onClick={() => onPage(1)}>
          Go to page 1
        </button>
      </p>
    );
  }
  if (!operations.data)
    return operations.error ? (
      <ErrorMessage error={operations.error} />
    ) : (
      <Loading what="Loading the upgrade history" />
    );
  if (operations.data.count === 0) {
    return (
      <EmptyState>
        This device has not been upgraded by fleetflash yet. Start an upgrade on the Firmware tab.
      </EmptyState>
    );
  }
  return (
    <>
      <ErrorMessage error={operations.error} />
      <DataTable<HistoryOperation>
        caption="Upgrade history, newest first"
        busy={operations.loading}
        rows={operations.data.results}
        rowKey={(operation) => operation.id}
        columns={[
          {
            header: 'Upgrade',
            cell: (operation) => (
              <>
                <Link to={`/operations/${operation.id}`}>{formatDate(operation.created)}</Link>
                {operation.batch ? (
                  <>
                    <br />
                    <small className="muted">mass upgrade</small>
                  </>
                ) : null}
              </>
            ),
          },
          {
            header: 'Status',
            cell: (operation) => (
              <>
                <StatusBadge status={operation.status} />
                {operation.attempt > 1 ? <small className="muted"> attempt {operation.attempt}</small> : null}
              </>
            ),
          },
          {
            header: 'Image',
            className: 'hide-narrow',
            cell: (operation) => imageName(operation.image, operation.image_sha256),
          },
          { header: 'Started', className: 'hide-narrow', cell: (operation) => formatDate(operation.started_at) },
          { header: 'Finished', className: 'hide-narrow', cell: (operation) => formatDate(operation.finished_at) },
          {
            header: 'Error',
            cell: (operation) =>
              operation.error_code ? (
                <>
                  <code>{operation.error_code}</code>
                  <br />
                  <small className="muted hide-narrow">{errorCodeText(operation.error_code)}</small>
                </>
              ) : (
                <span className="muted">—</span>
              ),
          },
        ]}
      />
      <Pagination page={page} pageSize={PAGE_SIZE} count={operations.data.count} onPage={onPage} />
    </>
  );
}
