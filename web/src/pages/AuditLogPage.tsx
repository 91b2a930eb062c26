import { Link } from 'react-router';
import { api, call } from '../api/client';
import {
  AUDIT_ACTION_GROUPS,
  AUDIT_ACTION_TEXT,
  AUDIT_TARGET_TEXT,
  AUDIT_TARGET_TYPES,
  type AuditEntry,
  describeDetails,
  targetLink,
} from '../components/audit/model';
import { DataTable } from '../components/DataTable';
import { EmptyState, ErrorMessage, formatDate, Loading, PageHeader, Pagination } from '../components/ui';
import { useLoad } from '../hooks/useLoad';
import { useUrlParams } from '../hooks/useUrlParams';
import { useOrganizationFilter } from '../hooks/useSession';

const PAGE_SIZE = 50;

/** The filters the page keeps in its URL, as the API names them. */
const FILTERS = ['actor', 'action', 'target_type', 'target_id', 'from', 'to', 'address'] as const;
type Filter = (typeof FILTERS)[number];

/**
 * The API query of the page's URL. Dates are whole days (UTC): "to" includes its day, so the API
 * (which reads "to" as "before") gets the next midnight.
 */
function apiFilters(params: URLSearchParams): Partial<Record<Filter, string>> {
  const query: Partial<Record<Filter, string>> = {};
  for (const name of FILTERS) {
    const value = params.get(name)?.trim();
    if (value) query[name] = value;
  }
  if (query.to && /^\d{4}-\d{2}-\d{2}$/.test(query.to)) {
    const next = new Date(`${query.to}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    query.to = next.toISOString().slice(0, 10);
  }
  return query;
}

/** Who did what, when and from where: for organization admins (their organizations) and superusers. */
export function AuditLogPage() {
  const [params, changeParams, setParams] = useUrlParams();
  const organizationFilter = useOrganizationFilter();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const filters = apiFilters(params);
  const filterKey = JSON.stringify(filters);

  const log = useLoad(
    () =>
      call(
        api.GET('/api/v1/audit-log/', {
          params: {
            query: {
              ...organizationFilter,
              ...filters,
              target_type: filters.target_type as AuditEntry['target_type'] | undefined,
              page,
              page_size: PAGE_SIZE,
            },
          },
        }),
      ),
    [organizationFilter.organization, filterKey, page],
  );

  const exportUrl = (format: 'csv' | 'json') =>
    `/api/v1/audit-log/export?${new URLSearchParams({ ...organizationFilter, ...filters, format })}`;

  const apply = (form: HTMLFormElement) => {
    const data = new FormData(form);
    const next = new URLSearchParams();
    for (const name of FILTERS) {
      const value = String(data.get(name) ?? '').trim();
      if (value) next.set(name, value);
    }
    setParams(next);
  };

  return (
    <>
      <PageHeader
        title="Audit log"
        actions={
          <>
            <a className="button" href={exportUrl('csv')} download>
              Export CSV
            </a>
            <a className="button" href={exportUrl('json')} download>
              Export JSON
            </a>
          </>
        }
      />
      <search aria-label="Filter the audit log">
        <form
          // A new URL (back, forward, a link) shows its own values.
          key={params.toString()}
          className="filters"
          onSubmit={(event) => {
            event.preventDefault();
            apply(event.currentTarget);
          }}
        >
          <TextFilter name="actor" label="User" params={params} placeholder="username" />
          <div className="field">
            <label htmlFor="audit-action">Action</label>
            <select id="audit-action" name="action" defaultValue={params.get('action') ?? ''}>
              <option value="">All</option>
              {AUDIT_ACTION_GROUPS.map((group) => (
                <optgroup key={group.name} label={group.name}>
                  {group.actions.length > 1 && <option value={group.filter}>{group.name}: all</option>}
                  {group.actions.map((action) => (
                    <option key={action} value={action}>
                      {AUDIT_ACTION_TEXT[action]}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="audit-target-type">Object</label>
            <select id="audit-target-type" name="target_type" defaultValue={params.get('target_type') ?? ''}>
              <option value="">All</option>
              {AUDIT_TARGET_TYPES.map((type) => (
                <option key={type} value={type}>
                  {AUDIT_TARGET_TEXT[type]}
                </option>
              ))}
            </select>
          </div>
          <TextFilter name="target_id" label="Object id" params={params} />
          <TextFilter name="from" label="From (UTC)" params={params} type="date" />
          <TextFilter name="to" label="To (UTC)" params={params} type="date" />
          <TextFilter name="address" label="Address or network" params={params} placeholder="10.0.0.0/8" />
          <button type="submit">Apply</button>
          {FILTERS.some((name) => params.get(name)) ? (
            <button type="button" onClick={() => setParams(new URLSearchParams())}>
              Clear filters
            </button>
          ) : null}
        </form>
      </search>
      <ErrorMessage error={log.error} />
      {log.data === undefined ? (
        log.error ? null : (
          <Loading what="Loading the audit log" />
        )
      ) : log.data.results.length === 0 ? (
        <EmptyState>No audit entry matches these filters.</EmptyState>
      ) : (
        <>
          <DataTable<AuditEntry>
            label="Audit log"
            rows={log.data.results}
            rowKey={(entry) => entry.id}
            rowProps={(entry) => ({ 'data-action': entry.action })}
            busy={log.loading}
            columns={[
              { header: 'When', cell: (entry) => formatDate(entry.at) },
              {
                header: 'Who',
                cell: (entry) => (
                  <>
                    {entry.actor_name} <small className="muted">({entry.actor_via})</small>
                  </>
                ),
              },
              { header: 'Address', className: 'hide-narrow', cell: (entry) => entry.address ?? '—' },
              {
                header: 'Action',
                cell: (entry) => <span title={entry.action}>{AUDIT_ACTION_TEXT[entry.action] ?? entry.action}</span>,
              },
              { header: 'Object', cell: (entry) => <Target entry={entry} /> },
              {
                header: 'Details',
                className: 'hide-narrow',
                cell: (entry) => <small>{describeDetails(entry.details)}</small>,
              },
            ]}
          />
          <Pagination
            page={page}
            pageSize={PAGE_SIZE}
            count={log.data.count}
            onPage={(next) => changeParams((updated) => updated.set('page', String(next)))}
          />
        </>
      )}
    </>
  );
}

function Target({ entry }: { entry: AuditEntry }) {
  const link = targetLink(entry);
  const label = entry.target_label || entry.target_id || '—';
  return (
    <>
      <small className="muted">{AUDIT_TARGET_TEXT[entry.target_type] ?? entry.target_type}</small>{' '}
      {link ? <Link to={link}>{label}</Link> : label}
    </>
  );
}

function TextFilter({
  name,
  label,
  params,
  type = 'text',
  placeholder,
}: {
  name: Filter;
  label: string;
  params: URLSearchParams;
  type?: 'text' | 'date';
  placeholder?: string;
}) {
  const id = `audit-${name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type={type}
        defaultValue={params.get(name) ?? ''}
        placeholder={placeholder}
        autoComplete="off"
      />
    </div>
  );
}
