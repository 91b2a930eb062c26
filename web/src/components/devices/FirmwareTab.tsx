import { Link } from 'react-router';
import { api, ApiError, call } from '../../api/client';
import type { paths } from '../../api/schema';
import { useEvents } from '../../hooks/useEvents';
import { useLoad } from '../../hooks/useLoad';
import { ErrorMessage, Loading, ProgressBar, StatusBadge, formatDate } from '../ui';
import { describeImage, forgetFittingImages, loadFittingImages } from './imageCatalog';
import { type DeviceFirmware, UpgradeForm } from './UpgradeForm';

type Device = paths['/api/v1/devices/{id}/']['get']['responses'][200]['content']['application/json'];
type LatestOperation = NonNullable<DeviceFirmware['upgrade_operation']>;

/** The device's current image, its latest upgrade (followed live) and the form to upgrade it. */
export function FirmwareTab({ device, canWrite }: { device: Device; canWrite: boolean }) {
  const firmware = useLoad(async () => {
    try {
      return await call(api.GET('/api/v1/firmware/device/{id}/firmware/', { params: { path: { id: device.id } } }));
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'DeviceFirmwareNotFound') return null;
      throw caught;
    }
  }, [device.id]);
  const catalog = useLoad(() => loadFittingImages(device.id), [device.id]);

  // The latest upgrade's status and progress, live.
  useEvents({ device: device.id }, (type, data) => {
    if (type !== 'operation' || data.device !== device.id || typeof data.id !== 'string') return;
    const current = firmware.data?.upgrade_operation;
    if (current && current.id === data.id) {
      firmware.setData((record) => {
        if (!record?.upgrade_operation) return record ?? null;
        const operation = record.upgrade_operation;
        const status = typeof data.status === 'string' ? (data.status as LatestOperation['status']) : operation.status;
        const progress = typeof data.progress === 'number' ? data.progress : operation.progress;
        return { ...record, upgrade_operation: { ...operation, status, progress } };
      });
      // A new status: whether it is final (and the installed firmware, which may have changed) comes from the server.
      if (typeof data.status === 'string' && data.status !== current.status) void firmware.reload();
    } else {
      void firmware.reload(); // a new upgrade started elsewhere
    }
  });

  const fitting = catalog.data;
  const record = firmware.data;
  const current = record ? fitting?.find((image) => image.id === record.image) : undefined;

  return (
    <>
      <section className="panel" aria-labelledby="current-firmware-title">
        <h2 id="current-firmware-title" style={{ marginTop: 0 }}>
          Current firmware
        </h2>
        <ErrorMessage error={firmware.error} />
        {record === undefined ? (
          firmware.loading ? (
            <Loading what="Loading the device's firmware" />
          ) : null
        ) : record === null ? (
          <p>
            <strong>Unknown yet.</strong> fleetflash has not recorded which image this device runs. It is recorded when
            the device's OS string matches a build's OS identifier and an image of that build fits its board, or when an
            upgrade succeeds.
          </p>
        ) : (
          <dl className="kv">
            <dt>Image</dt>
            <dd>{current ? describeImage(current) : <ImageNotListed loading={catalog.loading} />}</dd>
            <dt>State</dt>
            <dd>
              {record.installed ? (
                <span className="badge badge-ok">installed</span>
              ) : (
                <span className="badge badge-wait">not installed yet</span>
              )}
              {record.installed ? null : (
                <span className="muted"> (being upgraded to it, or the upgrade did not succeed)</span>
              )}
            </dd>
            <dt>Recorded</dt>
            <dd>{formatDate(record.modified)}</dd>
            <dt>Latest upgrade</dt>
            <dd>
              <LatestUpgrade operation={record.upgrade_operation} />
            </dd>
          </dl>
        )}
      </section>

      <section className="panel">
        {canWrite ? (
          <UpgradeForm
            device={device}
            images={fitting}
            imagesLoading={catalog.loading}
            imagesError={catalog.error}
            onRetryImages={() => {
              forgetFittingImages();
              void catalog.reload();
            }}
            firmware={record}
          />
        ) : (
          <>
            <h2 style={{ marginTop: 0 }}>Upgrade</h2>
            <p className="muted">
              Your role in this device's organization lets you see its firmware, not upgrade it. Ask an admin of the
              organization.
            </p>
          </>
        )}
      </section>
    </>
  );
}

function LatestUpgrade({ operation }: { operation: LatestOperation | null }) {
  if (!operation) return <span className="muted">none</span>;
  return (
    <span style={{ display: 'inline-flex', flexWrap: 'wrap', gap: '0.5rem', alignItems: 'center' }}>
      <StatusBadge status={operation.status} />
      {operation.finished ? null : (
        <span style={{ minWidth: '8rem' }}>
          <ProgressBar label="Latest upgrade progress" value={operation.progress} />
        </span>
      )}
      <Link to={`/operations/${operation.id}`}>Open the latest upgrade</Link>
    </span>
  );
}

function ImageNotListed({ loading }: { loading: boolean }) {
  if (loading) return <span className="muted">Loading…</span>;
  return <span className="muted">an image not among the newest builds that fit (or deleted)</span>;
}
