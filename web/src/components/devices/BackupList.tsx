import { api, ApiError, call } from '../../api/client';
import type { paths } from '../../api/schema';
import { useLoad } from '../../hooks/useLoad';
import { DataTable } from '../DataTable';
import { EmptyState, ErrorMessage, Loading, Pagination, formatBytes, formatDate } from '../ui';

const PAGE_SIZE = 20;

type BackupsGet = paths['/api/v1/devices/{id}/backups/']['get'];
type Backup = BackupsGet['responses'][200]['content']['application/json']['results'][number];

/** The configuration backups taken before the device's upgrades, newest first, each downloadable. */
export function BackupList({
  deviceId,
  page,
  onPage,
}: {
  deviceId: string;
  page: number;
  onPage: (page: number) => void;
}) {
  const backups = useLoad(
    () =>
      call(
        api.GET('/api/v1/devices/{id}/backups/', {
          params: { path: { id: deviceId }, query: { page, page_size: PAGE_SIZE } },
        }),
      ),
    [deviceId, page],
  );
  if (backups.error instanceof ApiError && backups.error.code === 'InvalidPage') {
    return (
      <p className="error" role="alert">
        There is no page {page} of backups.{' '}
        <button type="button" onClick={() => onPage(1)}>
          Go to page 1
        </button>
      </p>
    );
  }
  if (!backups.data)
    return backups.error ? <ErrorMessage error={backups.error} /> : <Loading what="Loading the backups" />;
  if (backups.data.count === 0) {
    return (
      <EmptyState>
        No configuration backup yet: one is taken before every upgrade (unless its backup option is "off").
      </EmptyState>
    );
  }
  return (
    <>
      <ErrorMessage error={backups.error} />
      <DataTable<Backup>
        caption="Configuration backups, newest first (sysupgrade -b archives, restored with sysupgrade -r)"
        busy={backups.loading}
        rows={backups.data.results}
        rowKey={(backup) => backup.id}
        columns={[
          { header: 'Taken', cell: (backup) => formatDate(backup.created) },
          { header: 'Release', cell: (backup) => backup.release || <span className="muted">unknown</span> },
          { header: 'Size', className: 'hide-narrow', cell: (backup) => formatBytes(backup.size) },
          {
            header: 'SHA-256',
            className: 'hide-narrow',
            cell: (backup) => <code title={backup.sha256}>{backup.sha256.slice(0, 12)}…</code>,
          },
          {
            header: 'Archive',
            cell: (backup) => (
              <a
                href={backup.download_url}
                download
                aria-label={`Download the backup of ${formatDate(backup.created)}`}
              >
                Download
              </a>
            ),
          },
        ]}
      />
      <Pagination page={page} pageSize={PAGE_SIZE} count={backups.data.count} onPage={onPage} />
    </>
  );
}
