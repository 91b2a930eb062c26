import { Link } from 'react-router';
import type { Column } from '../DataTable';
import { formatDate } from '../ui';
import { errorCodeText } from '../upgrades/model';
import { type FleetDevice, versionStep } from './fleet';
import { sortable } from './ListControls';

const none = (text = '—') => <span className="muted">{text}</span>;

/** The badge class of an operation status, as the rest of the UI colours them. */
function resultBadge(status: NonNullable<FleetDevice['last_upgrade']>['status']): string {
  if (status === 'success') return 'badge badge-ok';
  if (status === 'failed' || status === 'aborted') return 'badge badge-bad';
  if (status === 'cancelled') return 'badge badge-muted';
  return 'badge badge-busy';
}

/** The checkbox column of a list with bulk selection. */
export function selectionColumn(
  selected: ReadonlySet<string>,
  allMatching: boolean,
  onToggle: (device: FleetDevice, on: boolean) => void,
): Column<FleetDevice> {
  return {
    header: <span className="visually-hidden">Selected</span>,
    cell: (device) => (
      <input
        type="checkbox"
        aria-label={`Select ${device.name}`}
        checked={allMatching || selected.has(device.id)}
        disabled={allMatching}
        onChange={(event) => onToggle(device, event.target.checked)}
      />
    ),
  };
}

/** The device list's columns, each sortable by the API's `ordering` field of the same meaning. */
export function fleetColumns(ordering: string, onSort: (ordering: string) => void): Column<FleetDevice>[] {
  const by = (label: string, field: string, column: Omit<Column<FleetDevice>, 'header'>) =>
    sortable<FleetDevice>({ ...column, header: label }, label, field, ordering, onSort);
  return [
    by('Name', 'name', {
      cell: (device) => <Link to={`/devices/${device.id}`}>{device.name || device.mac_address}</Link>,
    }),
    by('Model', 'model', { className: 'hide-narrow', cell: (device) => device.model || none() }),
    by('Firmware', 'os', {
      cell: (device) => {
        const step = versionStep(device);
        return (
          <>
            {device.os || none('unknown')}
            {step ? (
              <>
                <br />
                <span className="badge badge-warn" title="Behind the newest build of its category">
                  {step}
                </span>
              </>
            ) : null}
          </>
        );
      },
    }),
    {
      header: 'Management',
      className: 'hide-narrow',
      cell: (device) =>
        device.management === 'agent' ? (
          <span title={device.agent_version ? `agent ${device.agent_version}` : undefined}>
            <span className="badge">pull agent</span>
            {device.agent_last_poll_at ? (
              <>
                <br />
                <small className="muted">polled {formatDate(device.agent_last_poll_at)}</small>
              </>
            ) : null}
          </span>
        ) : (
          'SSH'
        ),
    },
    by('Location', 'location', { className: 'hide-narrow', cell: (device) => device.location || none() }),
    by('Online', 'last_seen', {
      cell: (device) => (
        <>
          {device.reachable ? (
            <span className="badge badge-ok">online</span>
          ) : (
            <span className="badge badge-muted">offline</span>
          )}
          <br />
          <small className="muted">{device.last_seen ? `seen ${formatDate(device.last_seen)}` : 'never seen'}</small>
        </>
      ),
    }),
    by('Last upgrade', 'last_result', {
      cell: (device) => {
        const last = device.last_upgrade;
        if (!last) return none('never');
        return (
          <>
            <Link to={`/operations/${last.operation}`} className={resultBadge(last.status)}>
              {last.status}
            </Link>
            {last.error_code ? (
              <>
                <br />
                <small>
                  <code>{last.error_code}</code> <span className="muted">{errorCodeText(last.error_code)}</span>
                </small>
              </>
            ) : null}
          </>
        );
      },
    }),
    by('Latest build', 'behind_latest', {
      className: 'hide-narrow',
      cell: (device) =>
        device.behind_latest === null ? (
          none('unknown')
        ) : device.behind_latest ? (
          <span className="badge badge-warn">behind</span>
        ) : (
          <span className="badge badge-ok">latest</span>
        ),
    }),
    by('Active', 'is_active', {
      className: 'hide-narrow',
      cell: (device) =>
        device.is_active ? (
          <span className="badge badge-ok">active</span>
        ) : (
          <span className="badge badge-muted">deactivated</span>
        ),
    }),
  ];
}
