import { useEffect, useId, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, ApiError, call } from '../api/client';
import type { paths } from '../api/schema';
import { type Column, DataTable } from '../components/DataTable';
import { PAGE_SIZES, PageSizeField, sortable } from '../components/devices/ListControls';
import { EmptyState, ErrorMessage, Loading, PageHeader, Pagination, formatDate } from '../components/ui';
import { useLoad } from '../hooks/useLoad';
import { useOrganizationFilter } from '../hooks/useSession';

const DEFAULT_PAGE_SIZE = 25;
const DEFAULT_ORDERING = 'name';
const DEBOUNCE_MS = 300;

/** The URL query parameters the list keeps its state in (so reload, links and back work). */
const TEXT_FILTERS = [
  { param: 'model', label: 'Model', suggestions: 'models' },
  { param: 'os', label: 'Firmware', suggestions: 'firmware' },
  { param: 'group', label: 'Group', suggestions: null },
  { param: 'location', label: 'Location', suggestions: null },
] as const;

type Status = 'any' | 'active' | 'deactivated';
type DeviceRow = paths['/api/v1/devices/']['get']['responses'][200]['content']['application/json']['results'][number];

function readStatus(value: string | null): Status {
  return value === 'active' || value === 'deactivated' ? value : 'any';
}

function readPage(value: string | null): number {
  const page = Number(value);
  return Number.isInteger(page) && page >= 1 ? page : 1;
}

function readPageSize(value: string | null): number {
  const size = Number(value);
  return (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_PAGE_SIZE;
}

export function DevicesPage() {
  const [params, setParams] = useSearchParams();
  const organizationFilter = useOrganizationFilter();
  const search = params.get('search') ?? '';
  const status = readStatus(params.get('status'));
  const page = readPage(params.get('page'));
  const pageSize = readPageSize(params.get('page_size'));
  const ordering = params.get('ordering') || DEFAULT_ORDERING;
  const filters = Object.fromEntries(TEXT_FILTERS.map(({ param }) => [param, params.get(param) ?? ''])) as Record<
    (typeof TEXT_FILTERS)[number]['param'],
    string
  >;
  const filtered = Boolean(search || status !== 'any' || Object.values(filters).some(Boolean));

  /** Changes some parameters; any change but the page's goes back to page 1. */
  const update = (changes: Record<string, string>, replace: boolean) => {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes)) {
          const isDefault =
            (key === 'status' && value === 'any') ||
            (key === 'page' && value === '1') ||
            (key === 'page_size' && value === String(DEFAULT_PAGE_SIZE)) ||
            (key === 'ordering' && value === DEFAULT_ORDERING);
          if (value && !isDefault) next.set(key, value);
          else next.delete(key);
        }
        if (!('page' in changes)) next.delete('page');
        return next;
      },
      { replace },
    );
  };

  /** Drops the filters and the page; the sort and the page size stay as chosen. */
  const clearFilters = () => {
    const kept = new URLSearchParams();
    for (const key of ['ordering', 'page_size']) {
      const value = params.get(key);
      if (value) kept.set(key, value);
    }
    setParams(kept, { replace: false });
  };

  const query = {
    page,
    page_size: pageSize,
    ordering,
    ...organizationFilter,
    ...(search ? { search } : {}),
    ...(filters.model ? { model: filters.model } : {}),
    ...(filters.os ? { os: filters.os } : {}),
    ...(filters.group ? { group: filters.group } : {}),
    ...(filters.location ? { location: filters.location } : {}),
    ...(status !== 'any' ? { is_active: status === 'active' } : {}),
  };
  const queryKey = JSON.stringify(query);
  const devices = useLoad(() => call(api.GET('/api/v1/devices/', { params: { query } })), [queryKey]);
  // Suggestions for the model and firmware filters: the most common ones.
  const summary = useLoad(
    () => call(api.GET('/api/v1/devices/summary/', { params: { query: organizationFilter } })),
    [organizationFilter.organization],
  );

  /** A column sorted by `field` when its header is clicked; the sort goes into the URL like the filters. */
  const by = (label: string, field: string, column: Omit<Column<DeviceRow>, 'header'>) =>
    sortable<DeviceRow>({ ...column, header: label }, label, field, ordering, (next) =>
      update({ ordering: next }, false),
    );

  const pastLastPage = devices.error instanceof ApiError && devices.error.code === 'InvalidPage';
  const suggestionLists = {
    models: summary.data?.by_model.map((row) => row.model).filter(Boolean) ?? [],
    firmware: summary.data?.by_firmware.map((row) => row.os).filter(Boolean) ?? [],
  };

  return (
    <>
      <PageHeader title="Devices" />
      <search aria-label="Filter devices">
        <form className="filters" onSubmit={(event) => event.preventDefault()}>
          <DebouncedField
            label="Search"
            type="search"
            value={search}
            placeholder="Name, MAC or address"
            onCommit={(value) => update({ search: value }, true)}
          />
          {TEXT_FILTERS.map((filter) => (
            <DebouncedField
              key={filter.param}
              label={filter.label}
              value={filters[filter.param]}
              suggestions={filter.suggestions ? suggestionLists[filter.suggestions] : undefined}
              placeholder="Any"
              onCommit={(value) => update({ [filter.param]: value }, true)}
            />
          ))}
          <StatusField value={status} onChange={(value) => update({ status: value }, false)} />
          <PageSizeField value={pageSize} onChange={(value) => update({ page_size: String(value) }, false)} />
          {filtered ? (
            <button type="button" onClick={clearFilters}>
              Clear filters
            </button>
          ) : null}
        </form>
      </search>

      {pastLastPage ? (
        <p className="error" role="alert">
          There is no page {page} of this list any more.{' '}
          <button type="button" onClick={() => update({ page: '1' }, true)}>
            Go to page 1
          </button>
        </p>
      ) : (
        <ErrorMessage error={devices.error} />
      )}

      {devices.data === undefined ? (
        devices.loading ? (
          <Loading what="Loading devices" />
        ) : null
      ) : devices.data.count === 0 ? (
        filtered ? (
          <EmptyState>
            <p>No device matches these filters.</p>
            <button type="button" onClick={clearFilters}>
              Show all devices
            </button>
          </EmptyState>
        ) : (
          <NoDevicesYet />
        )
      ) : (
        <>
          <DataTable<DeviceRow>
            caption={`Devices, page ${page}`}
            busy={devices.loading}
            rows={devices.data.results}
            rowKey={(device) => device.id}
            rowLink={(device) => `/devices/${device.id}`}
            columns={[
              by('Name', 'name', { cell: (device) => device.name || device.mac_address }),
              by('Model', 'model', {
                className: 'hide-narrow',
                cell: (device) => device.model || <span className="muted">—</span>,
              }),
              by('Firmware', 'os', { cell: (device) => device.os || <span className="muted">unknown</span> }),
              by('Group', 'group', {
                className: 'hide-narrow',
                cell: (device) => device.group || <span className="muted">—</span>,
              }),
              by('Location', 'location', {
                className: 'hide-narrow',
                cell: (device) => device.location || <span className="muted">—</span>,
              }),
              by('Address', 'management_ip', {
                className: 'hide-narrow',
                cell: (device) => device.management_ip ?? <span className="muted">—</span>,
              }),
              by('Last seen', 'last_seen', {
                className: 'hide-narrow',
                cell: (device) =>
                  device.last_seen ? formatDate(device.last_seen) : <span className="muted">never</span>,
              }),
              by('Active', 'is_active', {
                cell: (device) =>
                  device.is_active ? (
                    <span className="badge badge-ok">active</span>
                  ) : (
                    <span className="badge badge-muted">deactivated</span>
                  ),
              }),
            ]}
          />
          <Pagination
            page={page}
            pageSize={pageSize}
            count={devices.data.count}
            onPage={(next) => update({ page: String(next) }, false)}
          />
        </>
      )}
    </>
  );
}

/**
 * A text filter that follows the URL but writes to it only once typing pauses. A value that comes
 * back from the URL after our own write does not overwrite what the user typed since.
 */
function DebouncedField({
  label,
  value,
  onCommit,
  type = 'text',
  placeholder,
  suggestions,
}: {
  label: string;
  value: string;
  onCommit: (value: string) => void;
  type?: 'text' | 'search';
  placeholder?: string;
  suggestions?: string[] | undefined;
}) {
  const id = useId();
  const [draft, setDraft] = useState(value);
  const committed = useRef(value);
  const commit = useRef(onCommit);
  commit.current = onCommit;

  // The URL changed by itself (back, forward, a link, "Clear filters"): show its value.
  useEffect(() => {
    if (value !== committed.current) {
      committed.current = value;
      setDraft(value);
    }
  }, [value]);

  useEffect(() => {
    const trimmed = draft.trim();
    if (trimmed === committed.current) return undefined;
    const timer = setTimeout(() => {
      if (trimmed === committed.current) return; // Enter applied it already
      committed.current = trimmed;
      commit.current(trimmed);
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [draft]);

  const listId = suggestions && suggestions.length > 0 ? `${id}-suggestions` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        value={draft}
        placeholder={placeholder}
        list={listId}
        autoComplete="off"
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={(event) => {
          // Enter applies at once.
          if (event.key === 'Enter' && draft.trim() !== committed.current) {
            committed.current = draft.trim();
            onCommit(draft.trim());
          }
        }}
      />
      {listId ? (
        <datalist id={listId}>
          {suggestions!.map((suggestion) => (
            <option key={suggestion} value={suggestion} />
          ))}
        </datalist>
      ) : null}
    </div>
  );
}

function StatusField({ value, onChange }: { value: Status; onChange: (value: Status) => void }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Status</label>
      <select id={id} value={value} onChange={(event) => onChange(readStatus(event.target.value))}>
        <option value="any">Any</option>
        <option value="active">Active</option>
        <option value="deactivated">Deactivated</option>
      </select>
    </div>
  );
}

function NoDevicesYet() {
  return (
    <EmptyState>
      <p>
        <strong>No devices yet.</strong>
      </p>
      <p>
        Routers register themselves: each one (or its provisioning agent) posts its MAC address, model, board and OS
        with the organization's registration secret to <code>POST /api/v1/devices/register/</code>. An organization
        admin makes the secret with <code>POST /api/v1/organizations/&#123;id&#125;/registration-secret/</code>; it is
        shown once.
      </p>
      <pre className="muted" style={{ overflowX: 'auto' }}>{`curl -X POST -H 'Content-Type: application/json' \\
  -d '{"organization": "<slug>", "secret": "ffr_…", "mac_address": "00:11:22:33:44:55"}' \\
  ${window.location.origin}/api/v1/devices/register/`}</pre>
      <p>
        You can also add a device by hand with <code>POST /api/v1/devices/</code> (name, MAC address, model, board name,
        OS and management address).
      </p>
    </EmptyState>
  );
}
