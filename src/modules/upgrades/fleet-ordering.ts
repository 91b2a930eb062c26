import { type RawBuilder, sql } from 'kysely';
import type { OrderingTerm } from '../../platform/db/ordering.js';
import { operationStatusOrderSql } from './operation.repository.js';

/** How the device list (the fleet view) sorts: its fields as SQL, unknown values last. */

/** The fields the list sorts by (API name → SQL); ties are broken by id, so pages never overlap. */
export const FLEET_ORDERING = {
  name: 'd.name',
  mac_address: 'd.mac_address',
  model: 'd.model',
  board_name: 'd.board_name',
  os: 'd.os',
  management_ip: 'd.management_ip',
  group: 'd.group_name',
  location: 'd.location',
  is_active: 'd.is_active',
  last_seen: 'd.last_seen',
  created: 'd.created',
  modified: 'd.modified',
  // As an operation lives through its statuses, as the operations list sorts them.
  last_result: operationStatusOrderSql('lo.status'),
  last_upgrade: 'lo.created',
  behind_latest: 'behind_latest',
} as const;
export type FleetOrderingField = keyof typeof FLEET_ORDERING;

function sqlOf(expression: string | RawBuilder<unknown>): RawBuilder<unknown> {
  return typeof expression === 'string' ? sql.raw(expression) : expression;
}

/** A sort by a device's own column: the page can be chosen from the devices alone. */
export function isDeviceColumn(column: FleetOrderingField): boolean {
  const expression: string | RawBuilder<unknown> = FLEET_ORDERING[column];
  return typeof expression === 'string' && expression.startsWith('d.');
}

/** Sorts by the terms, unknown (null) values last in either direction ("newest first" opens on known ones). */
export function orderTerms(ordering: readonly OrderingTerm<FleetOrderingField>[]) {
  return ordering.map(({ column, direction }) => ({
    expression: sqlOf(FLEET_ORDERING[column]),
    modifiers: sql.raw(direction === 'desc' ? 'DESC NULLS LAST' : 'ASC NULLS LAST'),
  }));
}
