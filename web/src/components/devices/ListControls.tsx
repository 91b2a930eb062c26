import { useId } from 'react';
import type { Column } from '../DataTable';

/** The controls of a sortable, paged list whose state lives in the URL (the device list). */

export const PAGE_SIZES = [25, 50, 100] as const;

/** The column a header sorts by (the API's `ordering` field), and which way the list is sorted by it now. */
function sortState(ordering: string, field: string): 'ascending' | 'descending' | 'none' {
  const first = ordering.split(',')[0]?.trim() ?? '';
  if (first === field) return 'ascending';
  if (first === `-${field}`) return 'descending';
  return 'none';
}

/** A column header that sorts the list by `field`: ascending first, then descending on the next click. */
export function sortable<Row>(
  column: Column<Row>,
  label: string,
  field: string,
  ordering: string,
  onSort: (ordering: string) => void,
): Column<Row> {
  const state = sortState(ordering, field);
  const arrow = state === 'ascending' ? ' ▲' : state === 'descending' ? ' ▼' : '';
  return {
    ...column,
    headerProps: { 'aria-sort': state },
    header: (
      <button
        type="button"
        className="sort-button"
        aria-label={`Sort by ${label}${state === 'ascending' ? ', descending' : ''}`}
        onClick={() => onSort(state === 'ascending' ? `-${field}` : field)}
      >
        {label}
        <span aria-hidden="true">{arrow}</span>
      </button>
    ),
  };
}

export function PageSizeField({ value, onChange }: { value: number; onChange: (value: number) => void }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Per page</label>
      <select id={id} value={value} onChange={(event) => onChange(Number(event.target.value))}>
        {PAGE_SIZES.map((size) => (
          <option key={size} value={size}>
            {size}
          </option>
        ))}
      </select>
    </div>
  );
}
