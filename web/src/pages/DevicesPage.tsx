import { useState } from 'react';
import { api, ApiError, call } from '../api/client';
import { DataTable } from '../components/DataTable';
import { CopyableCommand, installCommand } from '../components/devices/AgentPanel';
import { BulkActions, type Selection } from '../components/devices/BulkActions';
import {
  BEHIND_CHOICES,
  ChoiceField,
  DebouncedField,
  LAST_RESULT_CHOICES,
  MANAGEMENT_CHOICES,
  REACHABLE_CHOICES,
  STATUS_CHOICES,
} from '../components/devices/DeviceFilters';
import { type FleetDevice, FILTER_PARAMS, filtersOf, TEXT_FILTERS } from '../components/devices/fleet';
import { fleetColumns, selectionColumn } from '../components/devices/FleetColumns';
import { PAGE_SIZES, PageSizeField } from '../components/devices/ListControls';
import { EmptyState, ErrorMessage, Loading, PageHeader, Pagination } from '../components/ui';
import { plural } from '../components/upgrades/model';
import { useLoad } from '../hooks/useLoad';
import { useUrlParams } from '../hooks/useUrlParams';
import { useOrganizationFilter, useSession } from '../hooks/useSession';

const DEFAULT_PAGE_SIZE = 25;
const DEFAULT_ORDERING = 'name';

function readPage(value: string | null): number {
  const page = Number(value);
  return Number.isInteger(page) && page >= 1 ? page : 1;
}

function readPageSize(value: string | null): number {
  const size = Number(value);
  return (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_PAGE_SIZE;
}

/**
 * The fleet view: every device with whether it is online, its last upgrade and whether it is behind
 * the newest build, filtered and sorted by the URL (so reload, links and back work), with bulk
 * actions on the devices ticked or on all that match.
 */
export function DevicesPage() {
  const [params, changeParams, setParams] = useUrlParams();
  const organizationFilter = useOrganizationFilter();
  const { canWrite } = useSession();
  const page = readPage(params.get('page'));
  const pageSize = readPageSize(params.get('page_size'));
  const ordering = params.get('ordering') || DEFAULT_ORDERING;
  const filters = { ...organizationFilter, ...filtersOf(params) };
  const filtered = FILTER_PARAMS.some((param) => params.get(param));
  const filterKey = JSON.stringify(filters);

  // The selection belongs to the filters it was made with: a change of filters drops it.
  const [selection, setSelection] = useState<{ key: string; ids: Set<string>; allMatching: boolean }>({
    key: filterKey,
    ids: new Set(),
    allMatching: false,
  });
  const current =
    selection.key === filterKey ? selection : { key: filterKey, ids: new Set<string>(), allMatching: false };

  /** Changes some parameters; any change but the page's goes back to page 1. */
  const update = (changes: Record<string, string>, replace: boolean) => {
    changeParams(
      (next) => {
        for (const [key, value] of Object.entries(changes)) {
          const isDefault =
            (key === 'page' && value === '1') ||
            (key === 'page_size' && value === String(DEFAULT_PAGE_SIZE)) ||
            (key === 'ordering' && value === DEFAULT_ORDERING);
          if (value && !isDefault) next.set(key, value);
          else next.delete(key);
        }
        if (!('page' in changes)) next.delete('page');
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

  const query = { ...filters, page, page_size: pageSize, ordering };
  const queryKey = JSON.stringify(query);
  const devices = useLoad(() => call(api.GET('/api/v1/devices/', { params: { query } })), [queryKey]);
  // Suggestions for the model and firmware filters: the most common ones.
  const summary = useLoad(
    () => call(api.GET('/api/v1/devices/summary/', { params: { query: organizationFilter } })),
    [organizationFilter.organization],
  );

  const pastLastPage = devices.error instanceof ApiError && devices.error.code === 'InvalidPage';
  const suggestionLists = {
    models: summary.data?.by_model.map((row) => row.model).filter(Boolean) ?? [],
    firmware: summary.data?.by_firmware.map((row) => row.os).filter(Boolean) ?? [],
  };
  const rows = devices.data?.results ?? [];
  const total = devices.data?.count ?? 0;
  const toggle = (device: FleetDevice, on: boolean) => {
    const ids = new Set(current.ids);
    if (on) ids.add(device.id);
    else ids.delete(device.id);
    setSelection({ key: filterKey, ids, allMatching: false });
  };
  const pageSelected = rows.length > 0 && rows.every((device) => current.ids.has(device.id));
  const bulk: Selection | null = current.allMatching
    ? { kind: 'matching', filters, count: total }
    : current.ids.size > 0
      ? { kind: 'ids', ids: [...current.ids] }
      : null;

  const choice = (param: string) => params.get(param) ?? '';
  return (
    <>
      <PageHeader title="Devices" />
      <search aria-label="Filter devices">
        <form className="filters" onSubmit={(event) => event.preventDefault()}>
          <DebouncedField
            label="Search"
            type="search"
            value={choice('search')}
            placeholder="Name, MAC or address"
            onCommit={(value) => update({ search: value }, true)}
          />
          {TEXT_FILTERS.map((filter) => (
            <DebouncedField
              key={filter.param}
              label={filter.label}
              value={choice(filter.param)}
              suggestions={filter.suggestions ? suggestionLists[filter.suggestions] : undefined}
              placeholder="Any"
              onCommit={(value) => update({ [filter.param]: value }, true)}
            />
          ))}
          <ChoiceField
            label="Online"
            value={choice('reachable') as 'true' | 'false' | ''}
            choices={REACHABLE_CHOICES}
            onChange={(value) => update({ reachable: value }, false)}
          />
          <ChoiceField
            label="Last upgrade"
            value={choice('last_result') as (typeof LAST_RESULT_CHOICES)[number][0] | ''}
            choices={LAST_RESULT_CHOICES}
            onChange={(value) => update({ last_result: value }, false)}
          />
          <ChoiceField
            label="Latest build"
            value={choice('behind_latest') as 'true' | 'false' | ''}
            choices={BEHIND_CHOICES}
            onChange={(value) => update({ behind_latest: value }, false)}
          />
          <ChoiceField
            label="Management"
            value={choice('management') as (typeof MANAGEMENT_CHOICES)[number][0] | ''}
            choices={MANAGEMENT_CHOICES}
            onChange={(value) => update({ management: value }, false)}
          />
          <ChoiceField
            label="Status"
            value={choice('status') as 'active' | 'deactivated' | ''}
            choices={STATUS_CHOICES}
            onChange={(value) => update({ status: value }, false)}
          />
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

      {/* Above the list: what a bulk action did stays in view when the list it changed empties. */}
      {bulk ? <BulkActions selection={bulk} canWrite={canWrite} onDone={() => void devices.reload()} /> : null}
      {devices.data === undefined ? (
        devices.loading ? (
          <Loading what="Loading devices" />
        ) : null
      ) : total === 0 ? (
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
          <div className="actions">
            <button
              type="button"
              onClick={() =>
                setSelection({
                  key: filterKey,
                  ids: pageSelected ? new Set() : new Set([...current.ids, ...rows.map((device) => device.id)]),
                  allMatching: false,
                })
              }
            >
              {pageSelected ? 'Unselect this page' : 'Select all on this page'}
            </button>
            <button
              type="button"
              aria-pressed={current.allMatching}
              onClick={() => setSelection({ key: filterKey, ids: new Set(), allMatching: !current.allMatching })}
            >
              {current.allMatching ? 'Clear the selection' : `Select all ${plural(total, 'matching device')}`}
            </button>
          </div>
          <DataTable<FleetDevice>
            caption={`Devices, page ${page}`}
            busy={devices.loading}
            rows={rows}
            rowKey={(device) => device.id}
            columns={[
              selectionColumn(current.ids, current.allMatching, toggle),
              ...fleetColumns(ordering, (next) => update({ ordering: next }, false)),
            ]}
          />
          <Pagination
            page={page}
            pageSize={pageSize}
            count={total}
            onPage={(next) => update({ page: String(next) }, false)}
          />
        </>
      )}
    </>
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
        Routers fleetflash cannot reach (behind NAT) run the pull agent instead, which polls fleetflash: run this on the
        router as root, with the organization's slug and registration secret.
      </p>
      <CopyableCommand label="Install command" command={installCommand('<organization>')} />
      <p>
        You can also add a device by hand with <code>POST /api/v1/devices/</code> (name, MAC address, model, board name,
        OS and management address).
      </p>
    </EmptyState>
  );
}
