import { Link } from 'react-router';
import { SKIP_REASON_TEXT, type SkipReason } from './model';

/** Devices a mass upgrade skips (dry run) or skipped (batch), each with the reason and its detail. */
export function SkippedTable({ rows }: { rows: readonly { device: string; device_name: string; reason: string; detail: string }[] }) {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((skip) => (
            <tr key={skip.device}>
              <td><Link to={`/devices/${skip.device}`}>{skip.device_name}</Link></td>
              <td>
                <span data-reason={skip.reason}>{SKIP_REASON_TEXT[skip.reason as SkipReason] ?? skip.reason}</span>
                <br />
                <small className="muted">{skip.detail}</small>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
