import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { actorOf } from '../../http/auth.js';
import type { AppDeps } from '../../http/deps.js';
import { pageRequest, pageResponse } from '../../http/pagination.js';
import { errorResponses, IdParams, NoContent, Paginated, PaginationQuery } from '../../http/schemas.js';
import {
  CreatedTokenDto,
  CreateTokenBody,
  LoginBody,
  MeDto,
  toTokenDto,
  toUserDto,
  TokenDto,
} from './accounts.schema.js';
import * as authService from './auth.service.js';
import { LoginThrottle } from './login-throttle.js';
import { throttleClientAddress } from './login-throttle-address.js';
import { getUser } from './user.service.js';

const tags = ['authentication'];

export const authRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { db, config }) => {
  const throttle = new LoginThrottle(db, config.security.loginThrottle);
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: config.security.secureCookies,
  };

  app.post(
    '/api/v1/auth/login',
    {
      config: { public: true, startsSession: true },
      schema: {
        tags,
        summary: 'Log in with username and password; sets the session cookie the web UI uses',
        body: LoginBody,
        response: { 200: MeDto, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      // request.ip is the client behind a trusted reverse proxy (setting trust_proxy), else the peer.
      const result = await throttle.attempt(request.ip, username, () =>
        authService.login(
          db,
          { username, password, address: throttleClientAddress(request.ip) },
          config.security.sessionTtlSeconds,
        ),
      );
      reply.setCookie(authService.SESSION_COOKIE, result.sessionToken, { ...cookieOptions, expires: result.expiresAt });
      const actor = await authService.actorForUser(db, result.userId);
      return { ...toUserDto(await getUser(db, actor, result.userId)), authenticated_via: 'session' as const };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { public: true },
      schema: { tags, summary: 'End the browser session', response: { 204: NoContent } },
    },
    async (request, reply) => {
      const sessionToken = request.cookies[authService.SESSION_COOKIE];
      if (sessionToken) await authService.logout(db, sessionToken, request.actor);
      reply.clearCookie(authService.SESSION_COOKIE, cookieOptions);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      schema: {
        tags,
        summary: 'The logged-in user, with organizations and roles',
        response: { 200: MeDto, ...errorResponses(401) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      return { ...toUserDto(await getUser(db, actor, actor.userId)), authenticated_via: actor.via };
    },
  );

  app.get(
    '/api/v1/auth/tokens/',
    {
      schema: {
        tags,
        summary: 'List your API tokens (never their secrets)',
        querystring: Type.Object(PaginationQuery),
        response: { 200: Paginated(TokenDto), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const page = pageRequest(request.query);
      const { rows, count } = await authService.listApiTokens(db, actorOf(request), page);
      return pageResponse(request, config.server.publicUrl, page, count, rows.map(toTokenDto));
    },
  );

  app.post(
    '/api/v1/auth/tokens/',
    {
      schema: {
        tags,
        summary: 'Create an API token for yourself',
        description:
          'The answer holds the secret in "token", once. Send it as "Authorization: Bearer <token>" (or "Token ' +
          '<token>").',
        body: CreateTokenBody,
        response: { 201: CreatedTokenDto, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const { row, token } = await authService.createApiToken(db, actorOf(request), {
        name: request.body.name,
        expiresInDays: request.body.expires_in_days,
      });
      return reply.code(201).send({ ...toTokenDto(row), token });
    },
  );

  app.get(
    '/api/v1/auth/tokens/:id/',
    {
      schema: {
        tags,
        summary: 'Get one of your API tokens',
        params: IdParams,
        response: { 200: TokenDto, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => toTokenDto(await authService.getApiToken(db, actorOf(request), request.params.id)),
  );

  app.delete(
    '/api/v1/auth/tokens/:id/',
    {
      schema: {
        tags,
        summary: 'Revoke one of your API tokens',
        params: IdParams,
        response: { 204: NoContent, ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await authService.revokeApiToken(db, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};
