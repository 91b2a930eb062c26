import { Link } from 'react-router';
import { api, call } from '../../api/client';
import { useLoad } from '../../hooks/useLoad';
import { BACKUP_MODE_TEXT, type Batch } from './model';

/**
 * The upgrade-safety settings of a mass upgrade, as rows of its settings list: the configuration backup,
 * the health check it runs after each reboot (the copy taken at launch), and the maintenance window it
 * holds every device to, if it names one (else each device keeps its own).
 */
export function BatchSafetyRows({ batch }: { batch: Batch }) {
  const windowId = batch.maintenance_window;
  const named = useLoad(
    async () =>
      windowId === null
        ? null
        : await call(api.GET('/api/v1/maintenance-windows/{id}/', { params: { path: { id: windowId } } })),
    [windowId],
  );
  const check = batch.health_check;
  return (
    <>
      <dt>Configuration backup</dt>
      <dd>{BACKUP_MODE_TEXT[batch.backup]}</dd>
      <dt>Health check</dt>
      <dd data-testid="batch-health-check">
        {check
          ? `${check.name}: ${check.probes.map((probe) => probe.name).join(', ')}`
          : 'none: upgrades end at proof of boot'}
      </dd>
      <dt>Maintenance window</dt>
      <dd data-testid="batch-window">
        {windowId === null ? (
          "each device's own, if it has one"
        ) : named.data ? (
          <Link to="/maintenance-windows">
            {named.data.name} ({named.data.time_zone})
          </Link>
        ) : named.error ? (
          'a window no longer found'
        ) : (
          'loading…'
        )}
      </dd>
    </>
  );
}
