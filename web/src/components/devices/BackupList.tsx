import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, ApiError, call } from '../../api/client';
import type { paths } from '../../api/schema';
import { useLoad } from '../../hooks/useLoad';
import { DataTable } from '../DataTable';
import { EmptyState, ErrorMessage, Loading, Pagination, formatBytes, formatDate } from '../ui';

const PAGE_SIZE = 20;

type BackupsGet = paths['/api/v1/devices/{id}/backups/']['get'];
type Backup = BackupsGet['responses'][200]['content']['application/json']['results'][number];

/**
 * The configuration backups taken before the device's upgrades, newest first. Admins may download
 * one or restore it (after a confirmation: the device reboots); operators only see the list, as an
 * archive holds the router's secrets (the server refuses them the download too).
 */
export function BackupList({
  deviceId,
  page,
  onPage,
  canWrite,
}: {
  deviceId: string;
  page: number;
  onPage: (page: number) => void;
  canWrite: boolean;
}) {
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState<Backup | null>(null);
  const [restoring, setRestoring] = useState(false);
  const [restoreError, setRestoreError] = useState<unknown>(null);
  const backups = useLoad(
    () =>
      call(
        api.GET('/api/v1/devices/{id}/backups/', {
          params: { path: { id: deviceId }, query: { page, page_size: PAGE_SIZE } },
        }),
      ),
    [deviceId, page],
  );
  const restore = async (backup: Backup) => {
    setRestoring(true);
    setRestoreError(null);
    try {
      const operation = await call(
        api.POST('/api/v1/devices/{id}/backups/{backupId}/restore', {
          params: { path: { id: deviceId, backupId: backup.id } },
          body: {},
        }),
      );
      navigate(`/operations/${operation.id}`);
    } catch (caught) {
      setRestoreError(caught);
      setRestoring(false);
    }
  };

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
            cell: (backup) =>
              canWrite ? (
                <div className="actions">
                  <a
                    href={backup.download_url}
                    download
                    aria-label={`Download the backup of ${formatDate(backup.created)}`}
                  >
                    Download
                  </a>
                  <button
                    type="button"
                    onClick={() => setConfirming(backup)}
                    aria-label={`Restore the backup of ${formatDate(backup.created)}`}
                  >
                    Restore…
                  </button>
                </div>
              ) : (
                <span className="muted">Admins only (holds the router's secrets)</span>
              ),
          },
        ]}
      />
      <Pagination page={page} pageSize={PAGE_SIZE} count={backups.data.count} onPage={onPage} />
      {confirming ? (
        <fieldset className="panel group" aria-label="Confirm the restore" style={{ marginTop: '0.75rem' }}>
          <p style={{ marginTop: 0 }}>
            Restore the configuration backed up on {formatDate(confirming.created)} (from {confirming.release})? It
            replaces the device's configuration (sysupgrade -r) and reboots the device.
          </p>
          <div className="actions">
            <button type="button" className="primary" onClick={() => void restore(confirming)} disabled={restoring}>
              {restoring ? 'Starting the restore…' : 'Restore and reboot'}
            </button>
            <button type="button" onClick={() => setConfirming(null)} disabled={restoring}>
              Keep the current configuration
            </button>
          </div>
          <ErrorMessage error={restoreError} />
        </fieldset>
      ) : null}
    </>
  );
}
