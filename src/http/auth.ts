import '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Actor } from '../modules/accounts/actor.js';
import { authenticateSession, authenticateToken, SESSION_COOKIE } from '../modules/accounts/auth.service.js';
import type { Config } from '../platform/config.js';
import type { Database } from '../platform/db/database.js';
import { AppError, forbidden, notAuthenticated } from '../platform/errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    /** Reachable without logging in (login, health, metrics, docs, public downloads). */
    public?: boolean;
  }
}

/** The authenticated caller of a route that requires authentication. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw notAuthenticated();
  return request.actor;
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Cookie sessions are open to cross-site request forgery; SameSite=Lax stops most of it, and this
 * check stops the rest: a browser always sends Origin on unsafe requests, and it must be our own.
 */
function assertSameOrigin(request: FastifyRequest, publicUrl: string | null): void {
  const origin = request.headers.origin;
  if (!origin || !UNSAFE_METHODS.has(request.method)) return;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw forbidden('The Origin header is malformed.');
  }
  const allowed = [request.headers.host, publicUrl ? new URL(publicUrl).host : undefined];
  if (!allowed.includes(originHost)) {
    throw forbidden('Cross-site request refused: a cookie session only accepts changes from fleetflash\'s own pages.');
  }
}

/**
 * Authenticates every request that carries credentials: `Authorization: Bearer <token>` (or the
 * DRF-style `Token <token>`) first, then the session cookie. A request to a non-public route
 * without valid credentials gets 401 before any handler runs.
 */
export function registerAuthentication(app: FastifyInstance, deps: { db: Kysely<Database>; config: Config }): void {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^(bearer|token)\s+(\S+)\s*$/i.exec(header);
      if (!match) throw notAuthenticated('Unsupported Authorization header: send "Authorization: Bearer <token>".');
      request.actor = await authenticateToken(deps.db, match[2]!);
      if (!request.actor) throw new AppError('NotAuthenticated', 'The API token is unknown, revoked or expired, or its user is deactivated.');
      if (!deps.config.firmware.apiEnabled && request.url.startsWith('/api/v1/firmware')) {
        throw new AppError('ApiDisabled', 'The firmware REST API is disabled for API tokens on this server (setting api_enabled); use the web UI.');
      }
      return;
    }
    const sessionToken = request.cookies[SESSION_COOKIE];
    if (sessionToken) {
      request.actor = await authenticateSession(deps.db, sessionToken);
      if (request.actor) assertSameOrigin(request, deps.config.server.publicUrl);
    }
    // The web UI's files are public (the UI asks the user to log in); only the API needs a login.
    if (!request.actor && !request.is404 && request.routeOptions.config.public !== true && request.url.startsWith('/api/')) throw notAuthenticated();
  });
}
