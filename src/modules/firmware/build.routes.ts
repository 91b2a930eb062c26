import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { performance } from 'node:perf_hooks';
import type { FastifyReply } from 'fastify';
import { actorOf } from '../../http/auth.js';
import type { Actor } from '../accounts/actor.js';
import type { AppDeps } from '../../http/deps.js';
import { parseOrdering } from '../../http/ordering.js';
import { pageRequest, pageResponse } from '../../http/pagination.js';
import { errorResponses, IdParams, NoContent, Paginated } from '../../http/schemas.js';
import { deleteBuild } from '../../use-cases/delete-build.js';
import { withBuildUsage } from '../../use-cases/firmware-usage.js';
import * as buildService from './build.service.js';
import {
  BuildDto,
  CreateBuildBody,
  ListBuildsQuery,
  ReplaceBuildBody,
  toBuildDto,
  UpdateBuildBody,
} from './firmware.schema.js';

const tags = ['firmware builds'];

/** Who may see what: superusers everything, others their organizations (and shared builds). */
function visibilityKey(actor: Actor): string {
  if (actor.isSuperuser) return '*';
  // Hashed: a member of many organizations must not make every key (page or count) that many ids long.
  return createHash('sha256')
    .update([...actor.memberships.keys()].sort().join(','))
    .digest('base64url');
}

/** The content type Fastify gives a serialised JSON answer: a remembered page is sent with the same. */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** Sends JSON already serialised by the route's response schema, byte for byte. */
function sendJsonBytes(reply: FastifyReply, body: Buffer): FastifyReply {
  return reply.type(JSON_CONTENT_TYPE).send(body);
}

export const buildRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { db, config, storage, catalogCache }) => {
  app.get(
    '/api/v1/firmware/build/',
    {
      schema: {
        tags,
        summary: 'List firmware builds, newest first',
        querystring: ListBuildsQuery,
        response: { 200: Paginated(BuildDto), ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const page = pageRequest(request.query);
      const { organization, category, version, os } = request.query;
      const ordering = parseOrdering(
        request.query.ordering,
        buildService.BUILD_ORDERING_FIELDS,
        buildService.DEFAULT_BUILD_ORDERING,
      );
      // The per-process list cache answers when every catalog change committed before this request
      // arrived has been applied (catalog-cache.ts). A page is a function of what the caller may see,
      // the URL (filters, ordering, page; the next/previous links) and the base of those links.
      const arrived = performance.now() - reply.elapsedTime;
      const cache = catalogCache && (await catalogCache.usable(arrived)) ? catalogCache : undefined;
      const generation = cache?.generation ?? 0;
      const compute = async () => {
        const { rows, count } = await buildService.listBuilds(
          db,
          actor,
          { organization, category, version, os },
          ordering,
          page,
          cache && { get: (key) => cache.count(key), set: (key, value) => cache.setCount(key, value, generation) },
        );
        const results = (await withBuildUsage(db, actor, rows)).map(toBuildDto);
        return pageResponse(request, config.server.publicUrl, page, count, results);
      };
      if (!cache) return compute();
      const base = config.server.publicUrl ?? `${request.protocol}://${request.host}`;
      const pageKey = `${visibilityKey(actor)}\n${base}\n${request.url}`;
      // Serialised once by the route's response schema, as Fastify would, then sent as those bytes.
      const body = await cache.page(pageKey, generation, async () =>
        Buffer.from(reply.serialize(await compute()) as string),
      );
      return sendJsonBytes(reply, body);
    },
  );

  app.post(
    '/api/v1/firmware/build/',
    {
      schema: {
        tags,
        summary: 'Create a firmware build in a category',
        body: CreateBuildBody,
        response: { 201: BuildDto, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const row = await buildService.createBuild(db, actorOf(request), request.body);
      // A new build has no images yet, so no device runs it.
      return reply.code(201).send(toBuildDto({ ...row, imageCount: 0, deviceCount: 0 }));
    },
  );

  app.get(
    '/api/v1/firmware/build/:id/',
    {
      schema: {
        tags,
        summary: 'Get a firmware build',
        params: IdParams,
        response: { 200: BuildDto, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const [build] = await withBuildUsage(db, actor, [await buildService.getBuild(db, actor, request.params.id)]);
      return toBuildDto(build!);
    },
  );

  for (const method of ['put', 'patch'] as const) {
    app[method](
      '/api/v1/firmware/build/:id/',
      {
        schema: {
          tags,
          summary: method === 'put' ? 'Replace a firmware build' : 'Change some fields of a firmware build',
          params: IdParams,
          body: method === 'put' ? ReplaceBuildBody : UpdateBuildBody,
          response: { 200: BuildDto, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const row = await buildService.updateBuild(db, actor, request.params.id, request.body);
        const [build] = await withBuildUsage(db, actor, [row]);
        return toBuildDto(build!);
      },
    );
  }

  app.delete(
    '/api/v1/firmware/build/:id/',
    {
      schema: {
        tags,
        summary: 'Delete a firmware build with its images',
        params: IdParams,
        response: { 204: NoContent, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteBuild(db, storage, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};
