import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api, call } from '../../api/client';
import { DataTable } from '../DataTable';
import { Pagination } from '../ui';
import type { Device, DryRun } from './model';
import { SkippedTable } from './SkippedTable';

const PAGE_SIZE = 25;
/** Skipped devices take less room: the rollout settings come after them. */
const SKIPPED_PAGE_SIZE = 10;

const loadedDevice = (device: Device | Error | undefined) => (device && !(device instanceof Error) ? device : null);

/**
 * Device details by id, fetched for the ids asked for (one page of a list at a time, in one
 * request) and kept: the dry run names devices by id only.
 */
function useDevices(ids: readonly string[]): Record<string, Device | Error> {
  const [devices, setDevices] = useState<Record<string, Device | Error>>({});
  const requested = useRef(new Set<string>());
  // The caller passes a new array on every render: the joined ids say when they really changed (a
  // failed request is retried only then, not on every render).
  const key = ids.join(',');
  useEffect(() => {
    const missing = (key === '' ? [] : key.split(',')).filter((id) => !requested.current.has(id));
    if (missing.length === 0) return;
    for (const id of missing) requested.current.add(id);
    void call(api.GET('/api/v1/devices/', { params: { query: { id: missing, page_size: missing.length } } }))
      .then((page) => Object.fromEntries(page.results.map((device): [string, Device | Error] => [device.id, device])))
      .catch((caught: Error) => {
        for (const id of missing) requested.current.delete(id);
        return Object.fromEntries(missing.map((id): [string, Device | Error] => [id, caught]));
      })
      .then((found) => setDevices((current) => ({ ...current, ...found })));
  }, [key]);
  return devices;
}

/** The devices a mass upgrade would upgrade: name, model, the firmware they run now. */
export function DryRunDevices({
  ids,
  withoutFirmware,
}: {
  ids: readonly string[];
  withoutFirmware: ReadonlySet<string>;
}) {
  const [page, setPage] = useState(1);
  const pages = Math.max(1, Math.ceil(ids.length / PAGE_SIZE));
  const current = Math.min(page, pages);
  const shown = ids.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE);
  const devices = useDevices(shown);
  return (
    <>
      <DataTable<string>
        rows={shown}
        rowKey={(id) => id}
        columns={[
          {
            header: 'Device',
            cell: (id) => {
              const device = devices[id];
              return (
                <>
                  <Link to={`/devices/${id}`}>
                    {loadedDevice(device)?.name ?? (device instanceof Error ? 'Device' : '…')}
                  </Link>
                  {withoutFirmware.has(id) ? (
                    <>
                      <br />
                      <small className="muted">not on a build of this category</small>
                    </>
                  ) : null}
                </>
              );
            },
          },
          {
            header: 'Model',
            cell: (id) => {
              const device = devices[id];
              const loaded = loadedDevice(device);
              if (loaded) return loaded.model || <span className="muted">unknown</span>;
              return device instanceof Error ? <span className="muted">{device.message}</span> : '';
            },
          },
          {
            header: 'Current firmware',
            cell: (id) => {
              const loaded = loadedDevice(devices[id]);
              return loaded ? loaded.os || <span className="muted">unknown</span> : '';
            },
          },
        ]}
      />
      <Pagination page={current} pageSize={PAGE_SIZE} count={ids.length} onPage={setPage} />
    </>
  );
}

export function DryRunSkipped({ skipped }: { skipped: DryRun['skipped'] }) {
  const [page, setPage] = useState(1);
  const pages = Math.max(1, Math.ceil(skipped.length / SKIPPED_PAGE_SIZE));
  const current = Math.min(page, pages);
  return (
    <>
      <SkippedTable rows={skipped.slice((current - 1) * SKIPPED_PAGE_SIZE, current * SKIPPED_PAGE_SIZE)} />
      <Pagination page={current} pageSize={SKIPPED_PAGE_SIZE} count={skipped.length} onPage={setPage} />
    </>
  );
}
