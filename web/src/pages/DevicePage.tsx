import { type KeyboardEvent, useRef } from 'react';
import { useParams } from 'react-router';
import { api, ApiError, call } from '../api/client';
import type { paths } from '../api/schema';
import { AgentPanel } from '../components/devices/AgentPanel';
import { BackupList } from '../components/devices/BackupList';
import { FirmwareTab } from '../components/devices/FirmwareTab';
import { useCanWriteIn, useOrganizationInfo } from '../components/devices/organization';
import { UpgradeHistory } from '../components/devices/UpgradeHistory';
import { ErrorMessage, Loading, PageHeader, formatDate } from '../components/ui';
import { useLoad } from '../hooks/useLoad';
import { useUrlParams } from '../hooks/useUrlParams';

type Device = paths['/api/v1/devices/{id}/']['get']['responses'][200]['content']['application/json'];

const TABS = [
  { id: 'overview', label: 'Overview' },
  { id: 'firmware', label: 'Firmware' },
  { id: 'history', label: 'Upgrade history' },
  { id: 'backups', label: 'Backups' },
] as const;
type TabId = (typeof TABS)[number]['id'];

function readTab(value: string | null): TabId {
  return TABS.find((tab) => tab.id === value)?.id ?? 'overview';
}

export function DevicePage() {
  const { id = '' } = useParams();
  // A new device is a new page: nothing of the previous one's state is kept.
  return <DeviceView key={id} id={id} />;
}

function DeviceView({ id }: { id: string }) {
  const [params, changeParams] = useUrlParams();
  const tab = readTab(params.get('tab'));
  const listPage = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const device = useLoad(() => call(api.GET('/api/v1/devices/{id}/', { params: { path: { id } } })), [id]);
  const organization = useOrganizationInfo(device.data?.organization);
  const canWrite = useCanWriteIn(device.data?.organization);

  const showTab = (next: TabId) => {
    changeParams(
      (updated) => {
        if (next === 'overview') updated.delete('tab');
        else updated.set('tab', next);
        updated.delete('page');
      },
      { replace: true },
    );
  };
  const showPage = (pageTab: TabId) => (page: number) => {
    changeParams((updated) => {
      updated.set('tab', pageTab);
      if (page > 1) updated.set('page', String(page));
      else updated.delete('page');
    });
  };

  const back = { to: '/devices', label: 'Devices' };
  if (!device.data) {
    const notFound = device.error instanceof ApiError && device.error.status === 404;
    return (
      <>
        <PageHeader title={notFound ? 'Device not found' : 'Device'} back={back} />
        {device.error ? <ErrorMessage error={device.error} /> : <Loading what="Loading the device" />}
        {device.error && !notFound ? (
          <button type="button" onClick={() => void device.reload()}>
            Try again
          </button>
        ) : null}
      </>
    );
  }

  const data = device.data;
  return (
    <>
      <PageHeader
        title={data.name || data.mac_address}
        back={back}
        actions={data.is_active ? null : <span className="badge badge-muted">deactivated</span>}
      />
      <Tabs current={tab} onChange={showTab} />
      <div
        role="tabpanel"
        id={`panel-${tab}`}
        aria-labelledby={`tab-${tab}`}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: ARIA tabs pattern: Tab goes from the tabs into the panel
        tabIndex={0}
      >
        {tab === 'overview' ? <Overview device={data} organizationName={organization?.name} /> : null}
        {tab === 'overview' && data.management === 'agent' ? (
          <AgentPanel
            device={data}
            organizationSlug={organization?.slug}
            canWrite={canWrite}
            onManagementChanged={() => void device.reload()}
          />
        ) : null}
        {tab === 'firmware' ? <FirmwareTab device={data} canWrite={canWrite} /> : null}
        {tab === 'history' ? <UpgradeHistory deviceId={data.id} page={listPage} onPage={showPage('history')} /> : null}
        {tab === 'backups' ? (
          <BackupList deviceId={data.id} page={listPage} onPage={showPage('backups')} canWrite={canWrite} />
        ) : null}
      </div>
    </>
  );
}

/** WAI-ARIA tabs: one tab stop, arrow keys (and Home/End) move between tabs. */
function Tabs({ current, onChange }: { current: TabId; onChange: (tab: TabId) => void }) {
  const buttons = useRef<Record<string, HTMLButtonElement | null>>({});
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = TABS.findIndex((tab) => tab.id === current);
    const last = TABS.length - 1;
    const target =
      event.key === 'ArrowRight'
        ? index === last
          ? 0
          : index + 1
        : event.key === 'ArrowLeft'
          ? index === 0
            ? last
            : index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : null;
    if (target === null) return;
    event.preventDefault();
    const next = TABS[target];
    if (!next) return;
    onChange(next.id);
    buttons.current[next.id]?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label="Device" onKeyDown={onKeyDown}>
      {TABS.map((tab) => (
        <button
          key={tab.id}
          ref={(element) => {
            buttons.current[tab.id] = element;
          }}
          type="button"
          role="tab"
          id={`tab-${tab.id}`}
          aria-selected={tab.id === current}
          aria-controls={`panel-${tab.id}`}
          tabIndex={tab.id === current ? 0 : -1}
          onClick={() => onChange(tab.id)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}

function Overview({ device, organizationName }: { device: Device; organizationName: string | undefined }) {
  const missing = <span className="muted">—</span>;
  return (
    <section className="panel" aria-label="Key facts">
      <dl className="kv">
        <dt>Name</dt>
        <dd>{device.name || missing}</dd>
        <dt>MAC address</dt>
        <dd>
          <code>{device.mac_address}</code>
        </dd>
        <dt>Model</dt>
        <dd>{device.model || missing}</dd>
        <dt>Board</dt>
        <dd>{device.board_name ? <code>{device.board_name}</code> : missing}</dd>
        <dt>OS</dt>
        <dd>{device.os || <span className="muted">not reported yet</span>}</dd>
        <dt>Management</dt>
        <dd>{device.management === 'agent' ? 'Pull agent (the router polls fleetflash)' : 'SSH'}</dd>
        <dt>Address</dt>
        <dd>
          {device.management === 'agent' && !device.management_ip ? (
            <span className="muted">none needed (the agent connects to fleetflash)</span>
          ) : device.management_ip ? (
            <>
              {device.management_ip}
              <span className="muted">, SSH port {device.ssh_port}</span>
            </>
          ) : (
            <span className="muted">none (it cannot be upgraded until it has one)</span>
          )}
        </dd>
        <dt>Organization</dt>
        <dd>{organizationName ?? <span className="muted">{device.organization}</span>}</dd>
        <dt>Group</dt>
        <dd>{device.group || missing}</dd>
        <dt>Location</dt>
        <dd>{device.location || missing}</dd>
        <dt>Active</dt>
        <dd>{device.is_active ? 'Yes' : 'No: deactivated devices are not upgraded'}</dd>
        <dt>Last seen</dt>
        <dd>{device.last_seen ? formatDate(device.last_seen) : <span className="muted">never</span>}</dd>
        {device.management === 'agent' ? null : (
          <>
            <dt>SSH credentials</dt>
            <dd>{device.credentials ? 'its own' : "the organization's default"}</dd>
            <dt>SSH host key</dt>
            <dd>
              {device.ssh_host_key ? (
                <code style={{ wordBreak: 'break-all' }}>{device.ssh_host_key}</code>
              ) : (
                <span className="muted">not pinned yet (pinned on the first connection)</span>
              )}
            </dd>
          </>
        )}
        <dt>Added</dt>
        <dd>{formatDate(device.created)}</dd>
        <dt>Changed</dt>
        <dd>{formatDate(device.modified)}</dd>
      </dl>
    </section>
  );
}
