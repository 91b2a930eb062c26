/**
 * The circuit breaker of a webhook, as pure rules (the delivery worker applies them when it records
 * an attempt). A receiver that keeps failing would otherwise use up the attempts of every delivery
 * queued for it and hold delivery slots that other organizations' webhooks need. After
 * `threshold` consecutive failed attempts the circuit opens: no delivery of the webhook is tried
 * until the cool-down has passed (its deliveries wait with their attempts untouched). Then it is
 * half-open: one delivery is tried; success closes the circuit, failure opens it again for twice the
 * previous cool-down, up to `cooldownMax`.
 */

export const CIRCUIT_STATES = ['closed', 'open', 'half-open'] as const;
export type CircuitState = (typeof CIRCUIT_STATES)[number];

/** Settings `notifications.circuit_*` (seconds). */
export interface CircuitSettings {
  threshold: number;
  cooldown: number;
  cooldownMax: number;
}

/** A webhook's circuit columns. */
export interface Circuit {
  failures: number;
  openings: number;
  openUntil: Date | null;
}

/** Deliveries of one webhook in flight at once while the circuit is closed (half-open: one). */
export const WEBHOOK_IN_FLIGHT = 2;

export function circuitState(circuit: Pick<Circuit, 'openUntil'>, now: Date): CircuitState {
  if (circuit.openUntil === null) return 'closed';
  return circuit.openUntil > now ? 'open' : 'half-open';
}

/** The cool-down of the circuit's next opening, in seconds: doubling with each opening, bounded. */
export function cooldownSeconds(openings: number, settings: CircuitSettings): number {
  return Math.min(settings.cooldownMax, settings.cooldown * 2 ** openings);
}

/**
 * The circuit after an attempt ended (`now` by the database's clock). `opened` is true when this
 * attempt opened it (or opened it again after the half-open attempt failed): worth one log line.
 * A failure while it is still open (an attempt started before it opened) only counts.
 */
export function circuitAfterAttempt(
  circuit: Circuit,
  delivered: boolean,
  now: Date,
  settings: CircuitSettings,
): Circuit & { opened: boolean } {
  if (delivered) return { failures: 0, openings: 0, openUntil: null, opened: false };
  const failures = circuit.failures + 1;
  const state = circuitState(circuit, now);
  if (state === 'open') return { ...circuit, failures, opened: false };
  if (state === 'half-open' || failures >= settings.threshold) {
    const until = new Date(now.getTime() + cooldownSeconds(circuit.openings, settings) * 1000);
    return { failures, openings: circuit.openings + 1, openUntil: until, opened: true };
  }
  return { ...circuit, failures, opened: false };
}
