import { useState } from 'react';
import { Link } from 'react-router';
import { api, call } from '../../api/client';
import type { paths } from '../../api/schema';
import { ErrorMessage } from '../ui';

type RestoreFailed = paths['/api/v1/firmware/batch-upgrade-operation/{id}/restore-failed/']['post'];
type Restored = RestoreFailed['responses'][201]['content']['application/json'];

/**
 * "Restore the pre-upgrade backup of the failed devices": one restore per failed device that has a
 * backup taken before its flash. The restores are operations of their own, linked here once queued.
 */
export function RestoreFailedBackups({ batchId, failed }: { batchId: string; failed: number }) {
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<Restored | null>(null);
  if (failed === 0) return null;

  const restore = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(
        await call(
          api.POST('/api/v1/firmware/batch-upgrade-operation/{id}/restore-failed/', {
            params: { path: { id: batchId } },
            body: {},
          }),
        ),
      );
      setConfirming(false);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="batch-restore" style={{ marginTop: '1rem' }}>
      <h2 id="batch-restore" style={{ marginTop: 0 }}>
        Configuration backups of the failed devices
      </h2>
      <p>
        Each device's configuration was backed up before its flash (unless the backup option was "off"). Restoring sends
        the backup back, runs sysupgrade -r and reboots the device.
      </p>
      {confirming ? (
        <fieldset className="group" aria-label="Confirm restoring">
          <p style={{ marginTop: 0 }}>
            Restore the pre-upgrade backup of up to {failed} failed device{failed === 1 ? '' : 's'}? Each one reboots.
          </p>
          <div className="actions">
            <button type="button" className="primary" onClick={() => void restore()} disabled={busy}>
              {busy ? 'Restoring…' : 'Restore the backups'}
            </button>
            <button type="button" onClick={() => setConfirming(false)} disabled={busy}>
              Keep them as they are
            </button>
          </div>
        </fieldset>
      ) : (
        <button type="button" onClick={() => setConfirming(true)}>
          Restore the pre-upgrade backup of the failed devices
        </button>
      )}
      <ErrorMessage error={error} />
      {result ? (
        <div role="status">
          <p>
            {result.operations.length} restore{result.operations.length === 1 ? '' : 's'} queued
            {result.skipped.length > 0 ? `; ${result.skipped.length} device(s) left alone` : ''}.
          </p>
          <ul>
            {result.operations.map((operation) => (
              <li key={operation.id}>
                <Link to={`/operations/${operation.id}`}>Restore of {operation.device_name}</Link>
              </li>
            ))}
            {result.skipped.map((skip) => (
              <li key={skip.device}>
                <Link to={`/devices/${skip.device}`}>A device</Link>: {skip.detail}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
