import { Link } from 'react-router';
import type { paths } from '../../api/schema';
import { formatDate } from '../ui';

type Operation = paths['/api/v1/firmware/upgrade-operation/{id}/']['get']['responses'][200]['content'];
type WaitingForWindow = NonNullable<Operation['application/json']['waiting_for_window']>;

/** The window's local time of an instant: "2026-12-04 01:00 Europe/Berlin". */
function localTime(instant: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(instant));
  const part = (type: string) => parts.find((found) => found.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')} ${timeZone}`;
}

/** Rows of an operation's details: the maintenance window it waits for and when that opens. */
export function WindowWait({ wait }: { wait: WaitingForWindow }) {
  return (
    <>
      <dt>Waiting for</dt>
      <dd data-testid="window-wait">
        maintenance window <Link to="/maintenance-windows">“{wait.name}”</Link>
        {wait.opens_at ? (
          <>
            , opens {localTime(wait.opens_at, wait.time_zone)}
            <br />
            <small className="muted">({formatDate(wait.opens_at)} your time; the attempt is not counted)</small>
          </>
        ) : (
          ': none of its periods in the coming week leaves room before the end margin'
        )}
      </dd>
    </>
  );
}
