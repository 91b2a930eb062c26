import type { HealthCheckToRun } from '../upgraders/health-probes.js';
import { checkStoredHealthCheck } from './persisted-payloads.js';

/** A stored health check (snake_case JSON, as the API spells it) as the upgrader runs it. */
export interface StoredHealthCheck {
  id: string | null;
  name: string;
  probes: { name: string; command: string; timeout_seconds: number }[];
}

export function healthCheckToRun(stored: StoredHealthCheck | null): HealthCheckToRun | null {
  if (stored === null) return null;
  return {
    name: stored.name,
    probes: stored.probes.map((probe) => ({
      name: probe.name,
      command: probe.command,
      timeoutSeconds: probe.timeout_seconds,
    })),
  };
}

/** The stored check of an earlier operation, for its retry (one this version cannot read: none). */
export function storedHealthCheckOf(value: unknown): StoredHealthCheck | null {
  const checked = checkStoredHealthCheck(value);
  return checked.ok ? checked.value : null;
}
