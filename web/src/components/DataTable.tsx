import type { HTMLAttributes, Key, ReactNode, TdHTMLAttributes, ThHTMLAttributes } from 'react';
import { Link } from 'react-router';
import { EmptyState } from './ui';

/** One column: its header, what each row shows in it, and a class for both (`hide-narrow`). */
export interface Column<Row> {
  header: ReactNode;
  cell: (row: Row) => ReactNode;
  className?: string | undefined;
  /** Extra attributes of the column's cells (an id, a style). */
  cellProps?: (row: Row) => TdHTMLAttributes<HTMLTableCellElement>;
  /** Extra attributes of the column's header cell (aria-sort). */
  headerProps?: ThHTMLAttributes<HTMLTableCellElement>;
}

/** A column shown only when `when` holds (a column that depends on the viewer, say). */
export function optionalColumn<Row>(when: unknown, column: Column<Row>): Column<Row>[] {
  return when ? [column] : [];
}

/**
 * Every table of the UI: a header row, one row per item, and what to say when there is none.
 * `rowLink` makes the first column's content a link to the row's page.
 */
export function DataTable<Row>({
  columns,
  rows,
  rowKey,
  caption,
  empty,
  rowLink,
  rowProps,
  rowHeader,
  busy,
  label,
}: {
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => Key;
  /** Read by screen readers only. */
  caption?: string | undefined;
  /** Shown instead of the table when there are no rows; without it an empty table is shown. */
  empty?: ReactNode;
  rowLink?: ((row: Row) => string) | undefined;
  rowProps?:
    | ((row: Row) => HTMLAttributes<HTMLTableRowElement> & Record<`data-${string}`, string | undefined>)
    | undefined;
  /** The first column names its row (`<th scope="row">`). */
  rowHeader?: boolean | undefined;
  /** The rows are being reloaded (aria-busy). */
  busy?: boolean | undefined;
  /** An accessible name for the table, when it has no caption. */
  label?: string | undefined;
}) {
  if (rows.length === 0 && empty !== undefined) return <EmptyState>{empty}</EmptyState>;
  return (
    <div className="table-wrap" aria-busy={busy}>
      <table aria-label={label}>
        {caption ? <caption className="visually-hidden">{caption}</caption> : null}
        <thead>
          <tr>
            {columns.map((column, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: columns never move: the index is the column
              <th key={index} scope="col" className={column.className} {...column.headerProps}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} {...rowProps?.(row)}>
              {columns.map((column, index) => {
                const content = column.cell(row);
                const shown = index === 0 && rowLink ? <Link to={rowLink(row)}>{content}</Link> : content;
                if (index === 0 && rowHeader)
                  return (
                    // biome-ignore lint/suspicious/noArrayIndexKey: columns never move: the index is the column
                    <th key={index} scope="row" className={column.className} {...column.cellProps?.(row)}>
                      {shown}
                    </th>
                  );
                return (
                  // biome-ignore lint/suspicious/noArrayIndexKey: columns never move: the index is the column
                  <td key={index} className={column.className} {...column.cellProps?.(row)}>
                    {shown}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
