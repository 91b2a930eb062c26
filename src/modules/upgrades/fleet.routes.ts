import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { actorOf } from '../../http/auth.js';
import type { AppDeps } from '../../http/deps.js';
import { parseOrdering } from '../../http/ordering.js';
import { pageRequest, pageResponse } from '../../http/pagination.js';
import { errorResponses, OrganizationFilterQuery, Paginated, Uuid } from '../../http/schemas.js';
import * as fleetService from './fleet.service.js';
import {
  BulkOutcomeDto,
  DeviceSelectionBody,
  deviceSelectionOf,
  FleetDeviceDto,
  FleetFilterQuery,
  FleetSummaryDto,
  fleetFilterOf,
  ListFleetQuery,
  toFleetDeviceDto,
} from './fleet.schema.js';

/** The device list as a fleet view (reachable, newest upgrade, behind the newest build), its figures, bulk actions. */
export const fleetRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { db, config, upgraders }) => {
  const tags = ['devices'];
  const settings = { offlineAfter: config.devices.offlineAfter };

  app.get(
    '/api/v1/devices/',
    {
      schema: {
        tags,
        summary: 'List devices, with whether each is reachable, its newest upgrade and whether it is behind',
        querystring: ListFleetQuery,
        response: { 200: Paginated(FleetDeviceDto), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const page = pageRequest(request.query);
      const ordering = parseOrdering(
        request.query.ordering,
        fleetService.FLEET_ORDERING_FIELDS,
        fleetService.DEFAULT_FLEET_ORDERING,
      );
      const { rows, count } = await fleetService.listFleet(
        db,
        actorOf(request),
        settings,
        fleetFilterOf(request.query),
        ordering,
        page,
      );
      return pageResponse(request, config.server.publicUrl, page, count, rows.map(toFleetDeviceDto));
    },
  );

  app.get(
    '/api/v1/devices/ids/',
    {
      schema: {
        tags,
        summary: 'The ids of every device the list filters match (for a bulk action on "all N matching")',
        description: `At most ${fleetService.MAX_BULK_DEVICES}; more is a 400 SelectionTooLarge.`,
        querystring: FleetFilterQuery,
        response: {
          200: Type.Object({ count: Type.Integer(), ids: Type.Array(Uuid) }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => {
      const ids = await fleetService.selectDeviceIds(db, actorOf(request), settings, fleetFilterOf(request.query));
      return { count: ids.length, ids };
    },
  );

  app.get(
    '/api/v1/devices/summary/',
    {
      schema: {
        tags,
        summary: 'Fleet figures for dashboards: reachable, behind the newest build, failed; per firmware and model',
        description:
          'Each figure but upgrading is what the device list shows with one filter: offline = reachable=false, ' +
          'behind_latest = behind_latest=true, last_failed = last_result=failed; upgrading = last_result=pending ' +
          'plus last_result=in-progress. by_firmware and by_model: the 20 most common.',
        querystring: Type.Object(OrganizationFilterQuery),
        response: { 200: FleetSummaryDto, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const summary = await fleetService.summariseFleet(db, actorOf(request), settings, {
        organization: request.query.organization,
      });
      return {
        total: summary.total,
        active: summary.active,
        reachable: summary.reachable,
        offline: summary.total - summary.reachable,
        behind_latest: summary.behindLatest,
        on_latest: summary.onLatest,
        last_failed: summary.lastFailed,
        last_aborted: summary.lastAborted,
        upgrading: summary.upgrading,
        by_firmware: summary.byFirmware.map((row) => ({ os: row.os ?? '', count: row.count })),
        by_model: summary.byModel.map((row) => ({ model: row.model ?? '', count: row.count })),
      };
    },
  );

  app.post(
    '/api/v1/devices/upgrades/retry/',
    {
      schema: {
        tags,
        summary: "Retry the failed upgrades of the selected devices (each device's newest, if it failed or aborted)",
        description:
          'Each device whose newest operation failed or aborted gets a new operation, by the rules of POST ' +
          '/api/v1/firmware/upgrade-operation/{id}/retry/, one device at a time; the others are counted by reason. ' +
          'Admins of every selected device’s organization only (else 403, nothing done).',
        body: DeviceSelectionBody,
        response: { 200: BulkOutcomeDto, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      fleetService.retrySelectedDevices(db, actorOf(request), upgraders, settings, deviceSelectionOf(request.body)),
  );

  app.post(
    '/api/v1/devices/upgrades/cancel/',
    {
      schema: {
        tags,
        summary: 'Cancel the pending or running upgrades of the selected devices (until flashing starts)',
        description:
          'Each device with a pending or in-progress operation has it cancelled, by the rules of POST ' +
          '/api/v1/firmware/upgrade-operation/{id}/cancel/ (a device already flashing is refused with ' +
          'CancelNotPossible); the others are counted by reason. Admins only (else 403, nothing done).',
        body: DeviceSelectionBody,
        response: { 200: BulkOutcomeDto, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      fleetService.cancelSelectedDevices(db, actorOf(request), settings, deviceSelectionOf(request.body)),
  );
};
