import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { AppError } from '../../platform/errors.js';
import { AnswerCache, type HttpAnswer } from './answer-cache.js';
import { BODY_LIMIT, sendRefused } from './asu-errors.js';
import { AsuBuildStateDto, AsuErrorDto } from './asu.schema.js';
import * as asuService from './asu.service.js';
import type { AsuDeps } from './asu-deps.js';
import { buildRequestSchema, REQUEST_HASH_PATTERN } from './build-request.js';
import { findBuild, submitBuild } from './build.service.js';

const tags = ['image builds (ASU)'];
/** A 500 is a failed build's state, or ASU's error shape when the server itself failed. */
const AsuBuildOr500 = Type.Union([AsuBuildStateDto, AsuErrorDto]);

const HTTP_STATUS: Record<asuService.BuildState['state'], number> = {
  queued: 202,
  started: 202,
  success: 200,
  failed: 500,
};

/** ASU's answer for a build state: the status (also in the body), the stage and queue headers. */
function toHttpAnswer(described: asuService.BuildState): HttpAnswer {
  const httpStatus = HTTP_STATUS[described.state];
  const running = described.state === 'queued' || described.state === 'started';
  return {
    httpStatus,
    headers: {
      'x-imagebuilder-status': described.stage,
      'x-queue-position': String(described.queuePosition),
      ...(running ? { 'retry-after': '2' } : {}),
    },
    body: { ...described.document, status: httpStatus },
  };
}

/** POST /api/v1/build, GET/HEAD/DELETE /api/v1/build/{request_hash}. */
export const asuBuildRoutes: FastifyPluginAsyncTypebox<AsuDeps> = async (app, deps) => {
  const { db, config, catalog } = deps;
  const answers = new AnswerCache();
  const HashParams = Type.Object({ request_hash: Type.String({ maxLength: 128 }) });
  const notFoundHash = (reply: FastifyReply) =>
    reply.code(404).send({ status: 404, title: 'Not Found', detail: 'could not find provided request hash' });
  const send = (
    reply: FastifyReply,
    answer: { httpStatus: number; headers: Record<string, string> },
    payload: unknown,
  ) => reply.code(answer.httpStatus).headers(answer.headers).send(payload);

  app.post(
    '/api/v1/build',
    {
      bodyLimit: BODY_LIMIT,
      config: { public: true },
      schema: {
        tags,
        summary: 'Request a custom image (or get the cached one)',
        description:
          'Answers 200 with the result when a build of the same canonical request exists, ' +
          '202 while queued (`queue_position`, `estimated_wait_seconds`) or building (`imagebuilder_status`), ' +
          '500 with `error_code` when it failed. Headers `X-Imagebuilder-Status` ' +
          'and `X-Queue-Position`. Poll `GET /api/v1/build/{request_hash}` (or follow `/api/v1/events/?build=<hash>`).',
        body: buildRequestSchema(config.imageBuilds),
        response: {
          200: AsuBuildStateDto,
          202: AsuBuildStateDto,
          // A failed build's state, or (an unexpected server error) ASU's error shape.
          500: AsuBuildOr500,
          400: AsuErrorDto,
          413: AsuErrorDto,
          422: AsuErrorDto,
          429: AsuErrorDto,
          503: AsuErrorDto,
          529: AsuErrorDto,
        },
      },
    },
    async (request, reply) => {
      const { row } = await submitBuild(
        { db, config, catalog, secrets: deps.secrets },
        {
          body: request.body,
          clientKey: request.ip,
          userAgent: request.headers['user-agent'],
        },
      );
      // Built again (expired or an infrastructure failure): this process's kept answer is stale.
      if (row.status === 'queued' || row.status === 'started') answers.delete(row.requestHash);
      const answer = toHttpAnswer(await asuService.describeBuild(db, config, row));
      return send(reply, answer, answer.body);
    },
  );

  app.get(
    '/api/v1/build/:request_hash',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'State of a build (HEAD: the same status and headers, no body)',
        params: HashParams,
        response: { 200: AsuBuildStateDto, 202: AsuBuildStateDto, 500: AsuBuildOr500, 404: AsuErrorDto },
      },
    },
    async (request, reply) => {
      const hash = request.params.request_hash;
      // A finished answer is kept serialised: a string payload skips the serializer, so polls stay cheap.
      const cached = answers.get(hash);
      if (cached) return send(reply, cached, cached.payload);
      if (!REQUEST_HASH_PATTERN.test(hash)) return notFoundHash(reply);
      const row = await findBuild(db, hash);
      if (!row) return notFoundHash(reply);
      const answer = toHttpAnswer(await asuService.describeBuild(db, config, row));
      if (row.status === 'success' || row.status === 'failed') {
        const entry = answers.set(hash, answer, row.expiresAt);
        return send(reply, entry, entry.payload);
      }
      return send(reply, answer, answer.body);
    },
  );

  app.post(
    '/api/v1/build/:request_hash',
    {
      config: { public: true },
      schema: { hide: true, params: HashParams, response: { 405: AsuErrorDto } },
    },
    async (_request, reply) =>
      reply.code(405).header('allow', 'GET, HEAD, DELETE').send({
        status: 405,
        detail: 'Method Not Allowed: POST the request to /api/v1/build, GET this URL for its state.',
      }),
  );

  app.delete(
    '/api/v1/build/:request_hash',
    {
      schema: {
        tags,
        summary: 'Drop a cached result (superusers): the next identical request builds again',
        params: HashParams,
        response: { 204: Type.Null(), 401: AsuErrorDto, 403: AsuErrorDto, 404: AsuErrorDto, 409: AsuErrorDto },
      },
    },
    async (request, reply) => {
      if (!request.actor?.isSuperuser)
        throw new AppError('PermissionDenied', 'Only superusers can drop cached build results.');
      const hash = request.params.request_hash;
      if (!REQUEST_HASH_PATTERN.test(hash)) return notFoundHash(reply);
      answers.delete(hash);
      const dropped = await asuService.dropBuild(db, hash);
      if (dropped === 'not-found') return notFoundHash(reply);
      if (dropped === 'running')
        return sendRefused(reply, 409, 'The build is queued or running: it can be dropped once it has finished.', {
          code: 'BUILD_RUNNING',
        });
      return reply.code(204).send(null);
    },
  );
};
