import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../../http/auth.js';
import type { AppDeps } from '../../http/deps.js';
import { pageRequest, pageResponse } from '../../http/pagination.js';
import { errorResponses, IdParams, NoContent, Paginated } from '../../http/schemas.js';
import { deleteMaintenanceWindow, updateMaintenanceWindow } from '../../use-cases/change-maintenance-window.js';
import { resolveOrganizationFilter } from '../accounts/organization.service.js';
import * as windowService from './maintenance-window.service.js';
import {
  CreateWindowBody,
  ListWindowsQuery,
  MaintenanceWindowDto,
  toMaintenanceWindowDto,
  UpdateWindowBody,
} from './maintenance-windows.schema.js';

type WindowBody = {
  organization?: string | undefined;
  name?: string | undefined;
  time_zone?: string | undefined;
  schedule?: windowService.WindowInput['schedule'];
  applies_to?: { groups?: string[] | undefined; locations?: string[] | undefined } | undefined;
};

function windowInput(body: WindowBody): windowService.WindowInput {
  return {
    organization: body.organization,
    name: body.name,
    timeZone: body.time_zone,
    schedule: body.schedule,
    appliesTo: body.applies_to,
  };
}

export const maintenanceWindowRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { db, config }) => {
  const rules = { endMarginSeconds: config.upgrades.windowEndMargin };
  const tags = ['maintenance windows'];

  app.get(
    '/api/v1/maintenance-windows/',
    {
      schema: {
        tags,
        summary: 'List maintenance windows',
        querystring: ListWindowsQuery,
        response: { 200: Paginated(MaintenanceWindowDto), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const page = pageRequest(request.query);
      const actor = actorOf(request);
      const organizationId = await resolveOrganizationFilter(db, actor, request.query.organization);
      const { rows, count } = await windowService.listWindows(db, actor, organizationId, page);
      return pageResponse(request, config.server.publicUrl, page, count, rows.map(toMaintenanceWindowDto));
    },
  );

  app.post(
    '/api/v1/maintenance-windows/',
    {
      schema: {
        tags,
        summary: 'Create a maintenance window',
        description:
          'Weekly hours in a time zone in which upgrades of the devices it applies to may start (a flash never ' +
          'starts within the setting window_end_margin of the end). It applies to the devices whose group, or ' +
          'else location, it names, and to mass upgrades that name it (plan option maintenance_window).',
        body: CreateWindowBody,
        response: { 201: MaintenanceWindowDto, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const row = await windowService.createWindow(db, actorOf(request), windowInput(request.body), rules);
      return reply.code(201).send(toMaintenanceWindowDto(row));
    },
  );

  app.get(
    '/api/v1/maintenance-windows/:id/',
    {
      schema: {
        tags,
        summary: 'Get a maintenance window',
        params: IdParams,
        response: { 200: MaintenanceWindowDto, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => toMaintenanceWindowDto(await windowService.getWindow(db, actorOf(request), request.params.id)),
  );

  app.patch(
    '/api/v1/maintenance-windows/:id/',
    {
      schema: {
        tags,
        summary: 'Change a maintenance window (upgrades waiting for it are decided again at once)',
        params: IdParams,
        body: UpdateWindowBody,
        response: { 200: MaintenanceWindowDto, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const input = windowInput(request.body);
      return toMaintenanceWindowDto(
        await updateMaintenanceWindow(db, actorOf(request), request.params.id, input, rules),
      );
    },
  );

  app.delete(
    '/api/v1/maintenance-windows/:id/',
    {
      schema: {
        tags,
        summary: 'Delete a maintenance window (refused while a running mass upgrade uses it)',
        description: 'Upgrades waiting for it are decided again at once: without a window they start.',
        params: IdParams,
        response: { 204: NoContent, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await deleteMaintenanceWindow(db, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};
