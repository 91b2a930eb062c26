import type { ExportFormat } from './audit-actions.js';
import type { AuditEntryDto } from './audit.schema.js';

/**
 * The export formats of the audit log, written one entry at a time (the export streams: see
 * `readAuditLog`). Pure functions: the route pipes their output to the client.
 */

export const CSV_COLUMNS = [
  'id',
  'at',
  'actor_type',
  'actor_user_id',
  'actor_name',
  'actor_via',
  'address',
  'action',
  'organization',
  'target_type',
  'target_id',
  'target_label',
  'details',
] as const satisfies readonly (keyof AuditEntryDto)[];

/**
 * One CSV cell (RFC 4180), always quoted, quotes doubled. Always: a spreadsheet set to a locale whose
 * list separator is `;` (Excel in German, French, ...) splits unquoted cells on `;`, so `x;=cmd` would
 * become a cell `=cmd` the quoting rule for commas alone lets through. A cell a spreadsheet would take
 * for a formula (starting with = + - @, or a tab or carriage return that hides one) also gets a
 * leading `'`, so opening the export runs nothing: the labels and usernames in it are typed by users.
 */
export function csvCell(value: unknown): string {
  let text =
    value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

/**
 * The byte order mark a CSV export starts with: without it, Excel reads UTF-8 as the machine's legacy
 * code page ("MÃ¼nchen" for "München"); other readers skip it.
 */
export const UTF8_BOM = '\uFEFF';

export function csvHeader(): string {
  return `${CSV_COLUMNS.map(csvCell).join(',')}\r\n`;
}

export function csvRow(entry: AuditEntryDto): string {
  return `${CSV_COLUMNS.map((column) => csvCell(entry[column])).join(',')}\r\n`;
}

/** The export as text chunks: CSV (a BOM, a header line), or one JSON array written entry by entry. */
export async function* exportChunks(entries: AsyncIterable<AuditEntryDto>, format: ExportFormat) {
  if (format === 'csv') {
    yield UTF8_BOM + csvHeader();
    for await (const entry of entries) yield csvRow(entry);
    return;
  }
  yield '[';
  let first = true;
  for await (const entry of entries) {
    yield `${first ? '\n' : ',\n'}${JSON.stringify(entry)}`;
    first = false;
  }
  yield '\n]\n';
}
