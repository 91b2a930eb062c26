import { DataTable } from '../DataTable';
import { SKIP_REASON_TEXT, type Skip } from './model';

/** Devices a mass upgrade skips (dry run) or skipped (batch), each with the reason and its detail. */
export function SkippedTable({ rows }: { rows: readonly Skip[] }) {
  return (
    <DataTable<Skip>
      rows={rows}
      rowKey={(skip) => skip.device}
      rowLink={(skip) => `/devices/${skip.device}`}
      columns={[
        { header: 'Device', cell: (skip) => skip.device_name },
        {
          header: 'Reason',
          cell: (skip) => (
            <>
              <span data-reason={skip.reason}>{SKIP_REASON_TEXT[skip.reason] ?? skip.reason}</span>
              <br />
              <small className="muted">{skip.detail}</small>
            </>
          ),
        },
      ]}
    />
  );
}
