import { Link } from 'react-router';
import type { FleetSummary } from './fleet';

/** A device list link with these filters (the URL parameters the Devices page reads). */
export function devicesLink(filters: Record<string, string>): string {
  return `/devices?${new URLSearchParams(filters).toString()}`;
}

/**
 * What needs an operator's attention, each count a link to the device list filtered to exactly
 * those devices (the server counts them with the list's own filters).
 */
export function FleetHealth({ summary }: { summary: FleetSummary }) {
  const figures: { count: number; text: string; hint: string; filters: Record<string, string> }[] = [
    {
      count: summary.behind_latest,
      text: 'out of date',
      hint: 'behind the newest build of their category',
      filters: { behind_latest: 'true' },
    },
    { count: summary.offline, text: 'offline', hint: 'no contact lately, or never', filters: { reachable: 'false' } },
    {
      count: summary.last_failed,
      text: 'failed',
      hint: 'their last upgrade failed',
      filters: { last_result: 'failed' },
    },
  ];
  return (
    <ul className="fleet-health" aria-label="Fleet health">
      {figures.map((figure) => (
        <li key={figure.text}>
          <Link to={devicesLink(figure.filters)}>
            <strong>{figure.count}</strong> {figure.text}
          </Link>{' '}
          <small className="muted">{figure.hint}</small>
        </li>
      ))}
    </ul>
  );
}
