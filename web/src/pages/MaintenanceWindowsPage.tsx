import { useMemo, useState } from 'react';
import { api, call } from '../api/client';
import { DataTable } from '../components/DataTable';
import { useOrganizations } from '../components/firmware/common';
import {
  type MaintenanceWindow,
  splitList,
  WEEKDAY_TEXT,
  WindowForm,
  type Period,
  type WindowFields,
} from '../components/maintenance-windows/WindowForm';
import { EmptyState, ErrorMessage, Loading, PageHeader, Pagination } from '../components/ui';
import { useLoad } from '../hooks/useLoad';
import { useOrganizationFilter, useSession } from '../hooks/useSession';

const PAGE_SIZE = 20;

/** "Mon–Fri 01:00–05:00": a period as people write it (consecutive days as a range). */
export function periodText(period: Period): string {
  const order = Object.keys(WEEKDAY_TEXT) as Period['days'];
  const indexes = period.days.map((day) => order.indexOf(day)).sort((a, b) => a - b);
  const consecutive = indexes.length > 2 && indexes.every((index, at) => at === 0 || index === indexes[at - 1]! + 1);
  const days = consecutive
    ? `${WEEKDAY_TEXT[order[indexes[0]!]!]}–${WEEKDAY_TEXT[order[indexes.at(-1)!]!]}`
    : indexes.map((index) => WEEKDAY_TEXT[order[index]!]).join(', ');
  return `${days} ${period.start}–${period.end}`;
}

function toBody(fields: WindowFields) {
  return {
    name: fields.name,
    time_zone: fields.timeZone,
    schedule: fields.schedule,
    applies_to: { groups: splitList(fields.groups), locations: splitList(fields.locations) },
  };
}

/** An organization's maintenance windows: the hours in which its devices may start an upgrade. */
export function MaintenanceWindowsPage() {
  const { me, canWrite } = useSession();
  const filter = useOrganizationFilter();
  const { organizations, nameOf } = useOrganizations();
  const [page, setPage] = useState(1);
  const windows = useLoad(
    () =>
      call(api.GET('/api/v1/maintenance-windows/', { params: { query: { page, page_size: PAGE_SIZE, ...filter } } })),
    [page, filter.organization],
  );
  const [editing, setEditing] = useState<string | null>(null);
  const [created, setCreated] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState('');

  const administered = useMemo(() => {
    const admin = new Set(me?.memberships.filter((m) => m.role === 'admin').map((m) => m.organization));
    const choices = organizations.filter((o) => me?.is_superuser || admin.has(o.id));
    return filter.organization ? choices.filter((o) => o.slug === filter.organization) : choices;
  }, [me, organizations, filter.organization]);
  const single = administered.length === 1 ? administered[0] : undefined;

  const create = async (fields: WindowFields) => {
    const organization = fields.organization ?? single?.id;
    const window = await call(
      api.POST('/api/v1/maintenance-windows/', {
        body: { ...toBody(fields), ...(organization ? { organization } : {}) },
      }),
    );
    setMessage(`Created maintenance window “${window.name}”.`);
    setCreated((count) => count + 1);
    setPage(1);
    await windows.reload();
  };
  const remove = async (window: MaintenanceWindow) => {
    setError(null);
    try {
      await call(api.DELETE('/api/v1/maintenance-windows/{id}/', { params: { path: { id: window.id } } }));
      setMessage(`Deleted maintenance window “${window.name}”: its devices may upgrade at any hour.`);
      await windows.reload();
    } catch (caught) {
      setError(caught);
    }
  };

  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <>
      <PageHeader title="Maintenance windows" />
      <p>
        Upgrades of a device start only inside its window: the window naming the device’s group, else its location. A
        mass upgrade can name a window for all its devices instead. No flash starts in the last minutes before a window
        closes (setting <code>window_end_margin</code>); upgrades outside their window wait, pending, for the next
        opening without using up a retry.
      </p>
      {canWrite && administered.length > 0 ? (
        <section className="panel" aria-labelledby="window-new">
          <h2 id="window-new" style={{ marginTop: 0 }}>
            New maintenance window{single ? ` for ${single.name}` : ''}
          </h2>
          <WindowForm
            key={created}
            initial={{
              name: '',
              timeZone: browserZone,
              schedule: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '01:00', end: '05:00' }],
              groups: '',
              locations: '',
            }}
            organizations={single ? undefined : administered}
            submitLabel="Create window"
            onSubmit={create}
          />
        </section>
      ) : null}

      <h2>Windows</h2>
      <p role="status" className="muted">
        {message}
      </p>
      <ErrorMessage error={windows.error ?? error} />
      {windows.data === undefined ? (
        windows.error ? null : (
          <Loading what="Loading maintenance windows" />
        )
      ) : windows.data.results.length === 0 ? (
        <EmptyState>
          No maintenance windows: devices upgrade at any hour
          {canWrite ? '. Create one above.' : '. An organization admin can add one.'}
        </EmptyState>
      ) : (
        <>
          <DataTable<MaintenanceWindow>
            rows={windows.data.results}
            rowKey={(window) => window.id}
            rowProps={(window) => ({ 'data-window': window.name })}
            columns={[
              { header: 'Name', cell: (window) => window.name },
              { header: 'Organization', className: 'hide-narrow', cell: (window) => nameOf(window.organization) },
              {
                header: 'Hours',
                cell: (window) => (
                  <>
                    {window.schedule.map((period) => (
                      <div key={periodText(period)}>{periodText(period)}</div>
                    ))}
                    <div className="muted">{window.time_zone}</div>
                  </>
                ),
              },
              {
                header: 'Devices',
                cell: (window) =>
                  [
                    window.applies_to.groups.length ? `groups: ${window.applies_to.groups.join(', ')}` : '',
                    window.applies_to.locations.length ? `locations: ${window.applies_to.locations.join(', ')}` : '',
                  ]
                    .filter(Boolean)
                    .join('; ') || 'only mass upgrades that name it',
              },
              {
                header: <span className="visually-hidden">Actions</span>,
                cell: (window) =>
                  canWrite ? (
                    <div className="actions">
                      <button type="button" onClick={() => setEditing(editing === window.id ? null : window.id)}>
                        Edit
                      </button>
                      <button type="button" className="danger" onClick={() => void remove(window)}>
                        Delete
                      </button>
                    </div>
                  ) : null,
              },
            ]}
          />
          <Pagination page={page} pageSize={PAGE_SIZE} count={windows.data.count} onPage={setPage} />
        </>
      )}
      {editing && windows.data?.results.some((window) => window.id === editing) ? (
        <EditWindow
          window={windows.data.results.find((window) => window.id === editing)!}
          onDone={() => {
            setEditing(null);
            void windows.reload();
          }}
        />
      ) : null}
    </>
  );
}

function EditWindow({ window, onDone }: { window: MaintenanceWindow; onDone: () => void }) {
  return (
    <section className="panel" aria-labelledby="window-edit">
      <h2 id="window-edit" style={{ marginTop: 0 }}>
        Change maintenance window “{window.name}”
      </h2>
      <WindowForm
        initial={{
          name: window.name,
          timeZone: window.time_zone,
          schedule: window.schedule,
          groups: window.applies_to.groups.join(', '),
          locations: window.applies_to.locations.join(', '),
        }}
        submitLabel="Save changes"
        onCancel={onDone}
        onSubmit={async (fields) => {
          await call(
            api.PATCH('/api/v1/maintenance-windows/{id}/', {
              params: { path: { id: window.id } },
              body: toBody(fields),
            }),
          );
          onDone();
        }}
      />
    </section>
  );
}
