import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../../http/auth.js';
import type { AppDeps } from '../../http/deps.js';
import { pageRequest, pageResponse } from '../../http/pagination.js';
import { errorResponses, IdParams, NoContent, Paginated } from '../../http/schemas.js';
import { resolveOrganizationFilter } from '../accounts/organization.service.js';
import * as healthCheckService from './health-check.service.js';
import {
  CreateHealthCheckBody,
  HealthCheckDto,
  ListHealthChecksQuery,
  toHealthCheckDto,
  UpdateHealthCheckBody,
} from './health-checks.schema.js';

export const healthCheckRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { db, config }) => {
  const tags = ['health checks'];

  app.get(
    '/api/v1/health-checks/',
    {
      schema: {
        tags,
        summary: 'List health checks',
        querystring: ListHealthChecksQuery,
        response: { 200: Paginated(HealthCheckDto), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const page = pageRequest(request.query);
      const actor = actorOf(request);
      const organizationId = await resolveOrganizationFilter(db, actor, request.query.organization);
      const { rows, count } = await healthCheckService.listHealthChecks(db, actor, organizationId, page);
      return pageResponse(request, config.server.publicUrl, page, count, rows.map(toHealthCheckDto));
    },
  );

  app.post(
    '/api/v1/health-checks/',
    {
      schema: {
        tags,
        summary: 'Create a health check',
        description:
          'Probes (shell commands) an upgrade runs in order on the router after proof of boot; each must exit 0 ' +
          'within its timeout, or the upgrade fails with health-check-failed.',
        body: CreateHealthCheckBody,
        response: { 201: HealthCheckDto, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const row = await healthCheckService.createHealthCheck(db, actorOf(request), request.body);
      return reply.code(201).send(toHealthCheckDto(row));
    },
  );

  app.get(
    '/api/v1/health-checks/:id/',
    {
      schema: {
        tags,
        summary: 'Get a health check',
        params: IdParams,
        response: { 200: HealthCheckDto, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) =>
      toHealthCheckDto(await healthCheckService.getHealthCheck(db, actorOf(request), request.params.id)),
  );

  app.patch(
    '/api/v1/health-checks/:id/',
    {
      schema: {
        tags,
        summary: 'Change a health check (upgrades already requested keep the probes they were requested with)',
        params: IdParams,
        body: UpdateHealthCheckBody,
        response: { 200: HealthCheckDto, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const row = await healthCheckService.updateHealthCheck(db, actorOf(request), request.params.id, request.body);
      return toHealthCheckDto(row);
    },
  );

  app.delete(
    '/api/v1/health-checks/:id/',
    {
      schema: {
        tags,
        summary: 'Delete a health check',
        description: 'Categories naming it as their default have none afterwards; requested upgrades keep their copy.',
        params: IdParams,
        response: { 204: NoContent, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await healthCheckService.deleteHealthCheck(db, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};
