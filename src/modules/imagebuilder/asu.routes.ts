import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { asuBuildRoutes } from './asu-build.routes.js';
import { presentAsuError, rememberSentBody } from './asu-errors.js';
import { asuLegacyRoutes } from './asu-legacy.routes.js';
import { asuMetadataRoutes } from './asu-metadata.routes.js';
import { asuStatsRoutes } from './asu-stats.routes.js';
import { asuStoreRoutes } from './asu-store.routes.js';
import type { AsuDeps } from './asu-deps.js';

/**
 * The Attended SysUpgrade API, compatible with the clients that speak it (LuCI
 * attended-sysupgrade, owut, auc, the firmware selector): same paths, fields, status codes,
 * headers and error shapes (`{status, detail}`; 422 with a list of `{type, loc, msg}`). No login:
 * like ASU, anyone may ask for a build; limits are per client. See docs/api.md "Image builds".
 */

export type { AsuDeps } from './asu-deps.js';

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, GET, HEAD, OPTIONS',
  'access-control-allow-headers': '*',
};

export const asuRoutes: FastifyPluginAsyncTypebox<AsuDeps> = async (app, deps) => {
  // Scoped to these routes: ASU clients parse ASU's error shapes, not the app's (asu-errors.ts says why).
  app.setErrorHandler(presentAsuError);
  // LuCI runs in the router's web page and calls the server from there: a cross-origin request. ASU's
  // deployment (Caddy) answers these headers on every path; a browser follows a redirect only when it carries them.
  // Public routes only: a route that needs a login (DELETE of a cached build) never invites other origins.
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config.public === true) reply.headers(CORS_HEADERS);
  });
  for (const url of ['/api/v1/build', '/api/v1/build/:request_hash', '/api/build', '/api/build/:request_hash']) {
    app.options(url, { config: { public: true }, schema: { hide: true } }, async (_request, reply) =>
      reply.code(204).send(),
    );
  }
  // A 422 echoes the body as sent, before the validator fills in defaults.
  app.addHook('preValidation', async (request) => rememberSentBody(request));
  await app.register(asuBuildRoutes, deps);
  await app.register(asuMetadataRoutes, deps);
  await app.register(asuStatsRoutes, deps);
  await app.register(asuStoreRoutes, deps);
  await app.register(asuLegacyRoutes, deps);
};
