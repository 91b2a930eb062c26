import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../../http/auth.js';
import type { AppDeps } from '../../http/deps.js';
import { pageRequest, pageResponse } from '../../http/pagination.js';
import { errorResponses, IdParams, NoContent, Paginated } from '../../http/schemas.js';
import {
  CreateUserBody,
  ListUsersQuery,
  ReplaceUserBody,
  toUserDto,
  UpdateUserBody,
  UserDto,
} from './accounts.schema.js';
import * as userService from './user.service.js';

const tags = ['users'];

export const userRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { db, config }) => {
  app.get(
    '/api/v1/users/',
    {
      schema: {
        tags,
        summary: 'List users',
        description:
          'Superusers see every user; others see themselves and the members of organizations they administer.',
        querystring: ListUsersQuery,
        response: { 200: Paginated(UserDto), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const page = pageRequest(request.query);
      const { search, organization, is_active: isActive } = request.query;
      const { items, count } = await userService.listUsers(
        db,
        actorOf(request),
        { search, organization, isActive },
        page,
      );
      return pageResponse(request, config.server.publicUrl, page, count, items.map(toUserDto));
    },
  );

  app.post(
    '/api/v1/users/',
    {
      schema: {
        tags,
        summary: 'Create a user',
        description:
          'Superusers create any user; organization admins create users inside organizations they administer (give ' +
          '"memberships").',
        body: CreateUserBody,
        response: { 201: UserDto, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const { username, password, email, is_superuser: isSuperuser, is_active: isActive, memberships } = request.body;
      const user = await userService.createUser(db, actorOf(request), {
        username,
        password,
        email,
        isSuperuser,
        isActive,
        memberships,
      });
      return reply.code(201).send(toUserDto(user));
    },
  );

  app.get(
    '/api/v1/users/:id/',
    {
      schema: {
        tags,
        summary: 'Get a user',
        params: IdParams,
        response: { 200: UserDto, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => toUserDto(await userService.getUser(db, actorOf(request), request.params.id)),
  );

  for (const method of ['put', 'patch'] as const) {
    app[method](
      '/api/v1/users/:id/',
      {
        schema: {
          tags,
          summary: method === 'put' ? 'Replace a user' : 'Change some fields of a user',
          description:
            'Superusers change anything; users change their own email, and their password with "current_password". ' +
            'A new password ends all the user\'s sessions (log in again); with "revoke_tokens": true it also ' +
            "revokes all the user's API tokens.",
          params: IdParams,
          body: method === 'put' ? ReplaceUserBody : UpdateUserBody,
          response: { 200: UserDto, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        const {
          username,
          email,
          password,
          current_password: currentPassword,
          is_superuser: isSuperuser,
          is_active: isActive,
          revoke_tokens: revokeTokens,
        } = request.body;
        return toUserDto(
          await userService.updateUser(db, actorOf(request), request.params.id, {
            username,
            email,
            password,
            currentPassword,
            isSuperuser,
            isActive,
            revokeTokens,
          }),
        );
      },
    );
  }

  app.delete(
    '/api/v1/users/:id/',
    {
      schema: {
        tags,
        summary: 'Delete a user (superusers)',
        params: IdParams,
        response: { 204: NoContent, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await userService.deleteUser(db, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};
