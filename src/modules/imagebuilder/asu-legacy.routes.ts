import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { BODY_LIMIT, presentAsuError } from './asu-errors.js';
import { legacyTarget, legacyVersion } from './asu-legacy.service.js';
import * as metadata from './asu-metadata.service.js';
import * as asuService from './asu.service.js';
import type { AsuDeps } from './asu-deps.js';
import { type BuildRequestBody, buildRequestSchema, REQUEST_HASH_PATTERN } from './build-request.js';
import { BuildRequestRefused, findBuild, submitBuild } from './build.service.js';

/**
 * What ASU servers of 2020–2024 answered and older clients still call (docs/api.md "Supported
 * clients" says which client uses which): `GET /api/versions` (ASU 0.3–0.4), `/api/latest` and
 * `/api/branches` (0.5–0.8), and the first build API, `POST /api/build` + `GET /api/build/{hash}`,
 * where the target may be left out (the server finds it from the profile, as ASU 0.3–0.4 did) and
 * answers carry the old shapes: `status` as a string (`queued`, `started`, `bad_profile`, …) and
 * errors in `message`. Builds go through the same submitBuild as `/api/v1/build`: same validation,
 * hash, cache and limits.
 */

const AnyObject = Type.Object({}, { additionalProperties: true });

/** The old `status` names for the refusals ASU 0.3–0.5 answered (`bad_<field>`). */
const LEGACY_STATUS: Record<string, string> = {
  UNSUPPORTED_DISTRO: 'bad_distro',
  UNSUPPORTED_VERSION: 'bad_version',
  UNSUPPORTED_TARGET: 'bad_target',
  UNSUPPORTED_PROFILE: 'bad_profile',
  LEGACY_VERSION: 'legacy_version',
  UNSUPPORTED_PACKAGES: 'bad_packages',
  CONTRADICTORY_PACKAGES: 'bad_packages',
};

/** A build's state in the shape ASU 0.3–0.5 answered on `/api/build`. */
function legacyAnswer(described: asuService.BuildState): { httpStatus: number; body: Record<string, unknown> } {
  const { request_hash, enqueued_at } = described.document;
  if (described.state === 'queued')
    return {
      httpStatus: 202,
      body: { status: 'queued', queue_position: described.queuePosition, enqueued_at, request_hash },
    };
  if (described.state === 'started') return { httpStatus: 202, body: { status: 'started', enqueued_at, request_hash } };
  // No `status` in a finished answer: auc 0.1.x keeps polling while an answer has both status and request_hash.
  const { status: _status, ...rest } = described.document;
  if (described.state === 'success') return { httpStatus: 200, body: rest };
  return { httpStatus: 500, body: { ...rest, message: described.document.detail } };
}

export const asuLegacyRoutes: FastifyPluginAsyncTypebox<AsuDeps> = async (app, deps) => {
  const { db, config, catalog } = deps;
  const hidden = { hide: true } as const;

  // The old clients read `message`; a malformed request was a 400 `bad_request` then.
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error.validation) {
      const missing = error.validation.find((issue) => issue.keyword === 'required')?.params.missingProperty;
      const message = missing ? `Missing ${String(missing)}` : `Invalid request: ${error.message}`;
      return reply.code(400).send({ status: 'bad_request', message });
    }
    return presentAsuError(error, request, reply);
  });

  app.get(
    '/api/versions',
    { config: { public: true }, schema: { ...hidden, response: { 200: AnyObject } } },
    async () => {
      // ASU 0.3–0.4's branch list, newest first: the 2020 LuCI offers the `latest` of its own branch or a newer one.
      const branches = await metadata.branches(catalog);
      return {
        metadata_version: 1,
        branches: branches.map((branch) => ({
          name: branch.name === 'SNAPSHOT' ? 'snapshot' : branch.name,
          enabled: branch.enabled,
          latest: branch.name === 'SNAPSHOT' ? 'snapshot' : branch.versions[0],
          git_branch: branch.git_branch,
          path: branch.path,
          versions: branch.versions,
        })),
      };
    },
  );
  // ASU 0.5–0.8 (Flask): /api/latest redirected with Flask's default 302; /api/branches answered the list.
  app.get(
    '/api/latest',
    { config: { public: true }, schema: { ...hidden, response: { 302: Type.Null() } } },
    async (_request, reply) => reply.redirect('/json/v1/latest.json', 302),
  );
  app.get(
    '/api/branches',
    { config: { public: true }, schema: { ...hidden, response: { 200: Type.Array(AnyObject) } } },
    async () => metadata.branches(catalog),
  );

  // ASU 0.5–0.8 served its documents under /json/ as well as /json/v1/. auc 0.2.4 as 21.02.0 and 21.02.1 ship it reads
  // /json/branches.json and skips every branch without `updates`, `pubkey` and `repos` (ASU's branch config had them).
  app.get(
    '/json/branches.json',
    { config: { public: true }, schema: { ...hidden, response: { 200: Type.Array(AnyObject) } } },
    async () =>
      (await metadata.branches(catalog)).map((branch) => ({
        ...branch,
        updates: branch.name === 'SNAPSHOT' ? 'dev' : 'features',
        pubkey: config.imageBuilds.signingKey ?? '',
        repos: [],
      })),
  );
  app.get(
    '/json/*',
    {
      config: { public: true },
      schema: { ...hidden, params: Type.Object({ '*': Type.String({ maxLength: 512 }) }) },
    },
    async (request, reply) => {
      const rest = request.params['*'];
      if (rest.startsWith('v1/') || rest.includes('..'))
        return reply.code(404).send({ status: 404, detail: 'Not found' });
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      return reply.redirect(`/json/v1/${rest}${query}`, 301);
    },
  );

  const base = buildRequestSchema(config.imageBuilds);
  const LegacyBody = Type.Object(
    { ...base.properties, target: Type.Optional(base.properties.target) },
    { additionalProperties: true },
  );
  app.post(
    '/api/build',
    {
      bodyLimit: BODY_LIMIT,
      config: { public: true },
      schema: { ...hidden, body: LegacyBody, response: { '2xx': AnyObject, '4xx': AnyObject, '5xx': AnyObject } },
    },
    async (request, reply) => {
      try {
        const version = await legacyVersion(catalog, request.body.version);
        // Without a target, the server finds it from the profile (ASU 0.3–0.4).
        const target = request.body.target ?? (await legacyTarget(catalog, version, request.body.profile));
        const { row } = await submitBuild(
          { db, config, catalog, secrets: deps.secrets },
          {
            body: { ...request.body, version, target } as BuildRequestBody,
            clientKey: request.ip,
            userAgent: request.headers['user-agent'],
          },
        );
        const answer = legacyAnswer(await asuService.describeBuild(db, config, row));
        return reply.code(answer.httpStatus).send(answer.body);
      } catch (error) {
        if (!(error instanceof BuildRequestRefused)) throw error;
        return reply
          .code(error.status)
          .headers(error.headers)
          .send({ status: LEGACY_STATUS[error.code] ?? error.code.toLowerCase(), message: error.message });
      }
    },
  );

  app.get(
    '/api/build/:request_hash',
    {
      config: { public: true },
      schema: {
        ...hidden,
        params: Type.Object({ request_hash: Type.String({ maxLength: 128 }) }),
        response: { '2xx': AnyObject, '4xx': AnyObject, '5xx': AnyObject },
      },
    },
    async (request, reply) => {
      const hash = request.params.request_hash;
      const row = REQUEST_HASH_PATTERN.test(hash) ? await findBuild(db, hash) : undefined;
      if (!row) return reply.code(404).send({ status: 'not_found' });
      const answer = legacyAnswer(await asuService.describeBuild(db, config, row));
      return reply.code(answer.httpStatus).send(answer.body);
    },
  );
};
