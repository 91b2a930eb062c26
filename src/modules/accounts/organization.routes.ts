import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../../http/auth.js';
import type { AppDeps } from '../../http/deps.js';
import { pageRequest, pageResponse } from '../../http/pagination.js';
import { errorResponses, IdParams, NoContent, Paginated, PaginationQuery } from '../../http/schemas.js';
import { Type } from '@sinclair/typebox';
import {
  AddMemberBody,
  ChangeMemberBody,
  CreateOrganizationBody,
  ListOrganizationsQuery,
  MemberDto,
  MemberParams,
  OrganizationDto,
  RegistrationSecretDto,
  ReplaceOrganizationBody,
  toMemberDto,
  toOrganizationDto,
  UpdateOrganizationBody,
} from './accounts.schema.js';
import * as membershipService from './membership.service.js';
import * as organizationService from './organization.service.js';

const tags = ['organizations'];

export const organizationRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { db, config }) => {
  const base = config.server.publicUrl;

  app.get(
    '/api/v1/organizations/',
    {
      schema: {
        tags,
        summary: 'List organizations you belong to (all, for superusers)',
        querystring: ListOrganizationsQuery,
        response: { 200: Paginated(OrganizationDto), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const page = pageRequest(request.query);
      const { rows, count } = await organizationService.listOrganizations(
        db,
        actorOf(request),
        { slug: request.query.organization ?? request.query.slug, isActive: request.query.is_active },
        page,
      );
      return pageResponse(request, base, page, count, rows.map(toOrganizationDto));
    },
  );

  app.post(
    '/api/v1/organizations/',
    {
      schema: {
        tags,
        summary: 'Create an organization (superusers)',
        body: CreateOrganizationBody,
        response: { 201: OrganizationDto, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const { name, slug, description, is_active: isActive } = request.body;
      const row = await organizationService.createOrganization(db, actorOf(request), {
        name,
        slug,
        description,
        isActive,
      });
      return reply.code(201).send(toOrganizationDto(row));
    },
  );

  app.get(
    '/api/v1/organizations/:id/',
    {
      schema: {
        tags,
        summary: 'Get an organization',
        params: IdParams,
        response: { 200: OrganizationDto, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) =>
      toOrganizationDto(await organizationService.getOrganization(db, actorOf(request), request.params.id)),
  );

  for (const method of ['put', 'patch'] as const) {
    app[method](
      '/api/v1/organizations/:id/',
      {
        schema: {
          tags,
          summary: method === 'put' ? 'Replace an organization' : 'Change some fields of an organization',
          description: 'Organization admins may change name and description; slug and is_active are for superusers.',
          params: IdParams,
          body: method === 'put' ? ReplaceOrganizationBody : UpdateOrganizationBody,
          response: { 200: OrganizationDto, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        const { name, slug, description, is_active: isActive } = request.body;
        return toOrganizationDto(
          await organizationService.updateOrganization(db, actorOf(request), request.params.id, {
            name,
            slug,
            description,
            isActive,
          }),
        );
      },
    );
  }

  app.delete(
    '/api/v1/organizations/:id/',
    {
      schema: {
        tags,
        summary: 'Delete an organization (superusers)',
        description:
          'Refused with 409 while the organization owns firmware: delete that first, or deactivate the organization.',
        params: IdParams,
        response: { 204: NoContent, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await organizationService.deleteOrganization(db, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/organizations/:id/registration-secret/',
    {
      schema: {
        tags,
        summary: 'Generate a new device registration secret (replaces the old one)',
        description:
          'Devices register at POST /api/v1/devices/register/ with the organization slug and this secret. It is ' +
          'shown once; only its hash is stored.',
        params: IdParams,
        response: { 201: RegistrationSecretDto, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const secret = await organizationService.generateRegistrationSecret(db, actorOf(request), request.params.id);
      return reply.code(201).send({ secret });
    },
  );

  app.get(
    '/api/v1/organizations/:id/members/',
    {
      schema: {
        tags,
        summary: 'List the members of an organization and their roles',
        params: IdParams,
        querystring: Type.Object(PaginationQuery),
        response: { 200: Paginated(MemberDto), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const page = pageRequest(request.query);
      const { rows, count } = await membershipService.listMembers(db, actorOf(request), request.params.id, page);
      return pageResponse(request, base, page, count, rows.map(toMemberDto));
    },
  );

  app.post(
    '/api/v1/organizations/:id/members/',
    {
      schema: {
        tags,
        summary: 'Add a user to an organization with a role',
        params: IdParams,
        body: AddMemberBody,
        response: { 201: MemberDto, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const member = await membershipService.addMember(db, actorOf(request), request.params.id, request.body);
      return reply.code(201).send(toMemberDto(member));
    },
  );

  app.get(
    '/api/v1/organizations/:id/members/:user_id/',
    {
      schema: {
        tags,
        summary: 'Get one membership',
        params: MemberParams,
        response: { 200: MemberDto, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) =>
      toMemberDto(await membershipService.getMember(db, actorOf(request), request.params.id, request.params.user_id)),
  );

  for (const method of ['put', 'patch'] as const) {
    app[method](
      '/api/v1/organizations/:id/members/:user_id/',
      {
        schema: {
          tags,
          summary: "Change a member's role",
          params: MemberParams,
          body: ChangeMemberBody,
          response: { 200: MemberDto, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) =>
        toMemberDto(
          await membershipService.changeMemberRole(
            db,
            actorOf(request),
            request.params.id,
            request.params.user_id,
            request.body.role,
          ),
        ),
    );
  }

  app.delete(
    '/api/v1/organizations/:id/members/:user_id/',
    {
      schema: {
        tags,
        summary: 'Remove a user from an organization',
        params: MemberParams,
        response: { 204: NoContent, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await membershipService.removeMember(db, actorOf(request), request.params.id, request.params.user_id);
      return reply.code(204).send(null);
    },
  );
};
