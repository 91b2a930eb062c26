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
 * One CSV cell (RFC 4180): quoted when it holds a quote, comma or line break, quotes doubled. A
 * cell a spreadsheet would take for a formula (starting with = + - @, or a tab or carriage return
 * that hides one) gets a leading `'`, so opening the export in a spreadsheet runs nothing: the
 * labels and usernames in it are typed by users.
 */
export function csvCell(value: unknown): string {
  let text =
    value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

export function csvRow(entry: AuditEntryDto): string {
  return `${CSV_COLUMNS.map((column) => csvCell(entry[column])).join(',')}\r\n`;
}

/** The export as text chunks: CSV with a header line, or one JSON array written entry by entry. */
export async function* exportChunks(entries: AsyncIterable<AuditEntryDto>, format: ExportFormat) {
  if (format === 'csv') {
    yield csvHeader();
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
