import type { paths } from '../../api/schema';
import { formatDate } from '../ui';
import { CIRCUIT_STATE_BADGE, CIRCUIT_STATE_LABELS } from './text';

type Circuit = paths['/api/v1/webhooks/{id}/']['get']['responses'][200]['content']['application/json']['circuit'];

/**
 * A webhook's circuit breaker: nothing while it is closed without failures; the failures in a row
 * while closed; else its state and, while open, until when no delivery is tried.
 */
export function CircuitBadge({ circuit }: { circuit: Circuit }) {
  if (circuit.state === 'closed')
    return circuit.consecutive_failures === 0 ? null : (
      <span className="badge badge-warn" data-circuit="closed">
        {circuit.consecutive_failures} failed in a row
      </span>
    );
  const detail =
    circuit.state === 'open' && circuit.until
      ? `no attempts until ${formatDate(circuit.until)}; ${circuit.consecutive_failures} failed in a row`
      : `${circuit.consecutive_failures} failed in a row`;
  return (
    <span className={`badge badge-${CIRCUIT_STATE_BADGE[circuit.state]}`} data-circuit={circuit.state} title={detail}>
      {CIRCUIT_STATE_LABELS[circuit.state]}
      <span className="visually-hidden"> ({detail})</span>
    </span>
  );
}
