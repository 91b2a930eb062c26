import { Type, type Static } from '@sinclair/typebox';
import { DateTime, OrganizationFilterQuery, PaginationQuery, Uuid } from '../../http/schemas.js';
import { persistedPayload } from '../../platform/persisted-payload.js';
import type { HealthCheckRow } from './health-checks.table.js';

/** Limits of a health check: a router runs its probes one by one after every upgrade. */
export const MAX_PROBES = 20;
export const MAX_PROBE_TIMEOUT_SECONDS = 300;
export const MAX_COMMAND_LENGTH = 1000;
/** How many health checks one organization may keep. */
export const MAX_HEALTH_CHECKS_PER_ORGANIZATION = 100;

export const ProbeSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, description: 'Shown in the log, e.g. "WAN up".' }),
    command: Type.String({
      minLength: 1,
      maxLength: MAX_COMMAND_LENGTH,
      description: 'A shell command run on the router after proof of boot; it passes when it exits 0.',
      examples: [`ubus call network.interface.wan status | grep -q '"up": true'`],
    }),
    timeout_seconds: Type.Integer({
      minimum: 1,
      maximum: MAX_PROBE_TIMEOUT_SECONDS,
      description: 'The probe fails when it has not ended within this time.',
    }),
  },
  { title: 'HealthProbe' },
);

const Probes = Type.Array(ProbeSchema, { minItems: 1, maxItems: MAX_PROBES, description: 'Run in this order.' });

const HealthCheckFields = {
  organization: Type.Optional(Uuid),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  probes: Probes,
};

export const CreateHealthCheckBody = Type.Object(HealthCheckFields, { title: 'HealthCheckCreate' });
export const UpdateHealthCheckBody = Type.Partial(Type.Object(HealthCheckFields), { title: 'HealthCheckUpdate' });

export const ListHealthChecksQuery = Type.Object({ ...PaginationQuery, ...OrganizationFilterQuery });

export const HealthCheckDto = Type.Object(
  {
    id: Uuid,
    organization: Uuid,
    name: Type.String(),
    probes: Type.Array(ProbeSchema),
    created: DateTime,
    modified: DateTime,
  },
  { title: 'HealthCheck' },
);

export type Probe = Static<typeof ProbeSchema>;

/** Probes read back from a row: a shape this version cannot read counts as none. */
export const checkStoredProbes = persistedPayload('health probes', Type.Array(ProbeSchema));

export function probesOf(row: HealthCheckRow): Probe[] {
  const checked = checkStoredProbes(row.probes);
  return checked.ok ? checked.value : [];
}

export function toHealthCheckDto(row: HealthCheckRow): Static<typeof HealthCheckDto> {
  return {
    id: row.id,
    organization: row.organizationId,
    name: row.name,
    probes: probesOf(row),
    created: row.created.toISOString(),
    modified: row.modified.toISOString(),
  };
}
