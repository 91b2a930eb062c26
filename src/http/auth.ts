import '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Actor } from '../modules/accounts/actor.js';
import type { AuthCache } from '../modules/accounts/auth-cache.js';
import { authenticateSession, authenticateToken, SESSION_COOKIE } from '../modules/accounts/auth.service.js';
import type { Config } from '../platform/config.js';
import type { Database } from '../database.js';
import { AppError, notAuthenticated } from '../platform/errors.js';
import { assertSameOrigin, isUnsafeMethod } from './same-origin.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    /** Reachable without logging in (login, health, metrics, docs, public downloads). */
    public?: boolean;
    /** Starts a cookie session (login): only fleetflash's own pages may call it (see same-origin.ts). */
    startsSession?: boolean;
  }
}

/** The authenticated caller of a route that requires authentication. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw notAuthenticated();
  return request.actor;
}

/**
 * Authenticates every request that carries credentials: `Authorization: Bearer <token>` (or the
 * DRF-style `Token <token>`) first, then the session cookie. A request to a non-public route
 * without valid credentials gets 401 before any handler runs.
 */
export function registerAuthentication(
  app: FastifyInstance,
  deps: { db: Kysely<Database>; config: Config; authCache?: AuthCache },
): void {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^(bearer|token)\s+(\S+)\s*$/i.exec(header);
      if (!match) throw notAuthenticated('Unsupported Authorization header: send "Authorization: Bearer <token>".');
      request.actor = withAddress(request, await authenticateToken(deps.db, match[2]!, new Date(), deps.authCache));
      if (!request.actor)
        throw new AppError(
          'NotAuthenticated',
          'The API token is unknown, revoked or expired, or its user is deactivated.',
        );
      if (!deps.config.firmware.apiEnabled && request.url.startsWith('/api/v1/firmware')) {
        throw new AppError(
          'ApiDisabled',
          'The firmware REST API is disabled for API tokens on this server (setting api_enabled); use the web UI.',
        );
      }
      return;
    }
    const unsafe = isUnsafeMethod(request.method);
    if (unsafe && request.routeOptions.config.startsSession === true)
      assertSameOrigin(request, deps.config.server.publicUrl);
    const sessionToken = request.cookies[SESSION_COOKIE];
    if (sessionToken) {
      request.actor = withAddress(
        request,
        await authenticateSession(deps.db, sessionToken, new Date(), deps.authCache),
      );
      if (request.actor && unsafe) assertSameOrigin(request, deps.config.server.publicUrl);
    }
    // The web UI's files are public (the UI asks the user to log in); only the API needs a login.
    if (
      !request.actor &&
      !request.is404 &&
      request.routeOptions.config.public !== true &&
      request.url.startsWith('/api/')
    )
      throw notAuthenticated();
  });
}

/**
 * The actor with the request's client address (after the trusted-proxy rule), for the audit log,
 * which normalises it (recordAudit). A copy: the authenticated actor may be shared by every request
 * of the same credential (auth-cache.ts).
 */
function withAddress(request: FastifyRequest, actor: Actor | null): Actor | null {
  return actor && { ...actor, address: request.ip };
}
