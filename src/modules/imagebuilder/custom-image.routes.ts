import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import { actorOf } from '../../http/auth.js';
import { DateTime, errorResponses, IdParams, Nullable, Uuid } from '../../http/schemas.js';
import { buildRequestSchema } from './build-request.js';
import type { Logger } from '../../platform/logger.js';
import type { AsuDeps } from './asu.routes.js';
import { listCustomImages } from './custom-image.service.js';
import { requestCustomImages } from '../../use-cases/request-custom-images.js';
import type { CustomImageRow } from './imagebuilder.table.js';

const CustomImageDto = Type.Object(
  {
    id: Uuid,
    build: Uuid,
    request_hash: Type.String({
      description: 'The image build: GET /api/v1/build/{request_hash}, or follow /api/v1/events/?build=…',
    }),
    target: Type.String(),
    profile: Type.String(),
    boards: Type.Array(Type.String(), {
      description: 'Board names of the fleet devices this image is for (empty for explicit profiles).',
    }),
    status: Type.Union([Type.Literal('building'), Type.Literal('attached'), Type.Literal('failed')]),
    image: Nullable(Uuid, { description: 'The firmware image added to the build, once attached.' }),
    detail: Type.String({ description: 'Why it failed.' }),
    created: DateTime,
    modified: DateTime,
  },
  { title: 'CustomImage' },
);

function toDto(row: CustomImageRow): Static<typeof CustomImageDto> {
  return {
    id: row.id,
    build: row.buildId,
    request_hash: row.requestHash,
    target: row.target,
    profile: row.profile,
    boards: row.boards,
    status: row.status,
    image: row.imageId,
    detail: row.detail,
    created: row.created.toISOString(),
    modified: row.modified.toISOString(),
  };
}

/** Custom images of a firmware build: built by the image builder for the fleet's models, attached as images. */
export const customImageRoutes: FastifyPluginAsyncTypebox<AsuDeps> = async (app, deps) => {
  const request = buildRequestSchema(deps.config.imageBuilds).properties;
  const tags = ['firmware images'];
  const Body = Type.Object({
    packages: Type.Optional(request.packages),
    openwrt_version: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_][A-Za-z0-9_.,-]*$',
        maxLength: 64,
        description: "OpenWrt version to build; the firmware build's version by default.",
      }),
    ),
    diff_packages: request.diff_packages,
    defaults: request.defaults,
    rootfs_size_mb: request.rootfs_size_mb,
    filesystem: request.filesystem,
    profiles: Type.Optional(
      Type.Array(Type.Object({ target: request.target, profile: request.profile }), {
        minItems: 1,
        maxItems: 200,
        description: 'Models to build for; by default every model in the fleet that runs a build of this category.',
      }),
    ),
    embed_agent: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          "true: the first-boot script installs the pull agent and enrolls the router with the build's organization " +
          "(routers flashed with -n, or fresh from the box, come back under management); the admin's `defaults` " +
          'run after it. Needs `registration_secret`. See docs/agent-images.md.',
      }),
    ),
    registration_secret: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 256,
        pattern: '^[\\x21-\\x7e]+$',
        description:
          "The organization's current registration secret, with embed_agent (the server keeps only its hash). " +
          'Written into the image, never echoed.',
      }),
    ),
  });

  app.post(
    '/api/v1/firmware/build/:id/custom-images/',
    {
      schema: {
        tags,
        summary: "Build custom images for the fleet's models and attach them to this build",
        description:
          "One image build per model (board) present in the fleet for the build's category, or per given profile, " +
          'with the package list. Cached builds attach at once; the others when they finish. Each finished ' +
          'sysupgrade image becomes an image of this build, ready for mass upgrades.',
        params: IdParams,
        body: Body,
        response: {
          202: Type.Object({
            requested: Type.Array(CustomImageDto),
            skipped: Type.Array(
              Type.Object({
                target: Nullable(Type.String()),
                board: Nullable(Type.String()),
                profile: Nullable(Type.String()),
                devices: Type.Integer(),
                reason: Type.String(),
              }),
            ),
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (req, reply) => {
      const body = req.body;
      // The URL routers enroll with: the configured public URL, else the origin this request came to.
      const serverUrl = deps.config.server.publicUrl ?? `${req.protocol}://${req.host}`;
      const result = await requestCustomImages({ ...deps, logger: req.log as Logger }, actorOf(req), req.params.id, {
        openwrtVersion: body.openwrt_version,
        packages: body.packages ?? [],
        diffPackages: body.diff_packages,
        defaults: body.defaults,
        rootfsSizeMb: body.rootfs_size_mb,
        filesystem: body.filesystem,
        profiles: body.profiles,
        agent: body.embed_agent ? { serverUrl, registrationSecret: body.registration_secret ?? '' } : undefined,
      });
      return reply.code(202).send({ requested: result.requested.map(toDto), skipped: result.skipped });
    },
  );

  app.get(
    '/api/v1/firmware/build/:id/custom-images/',
    {
      schema: {
        tags,
        summary: 'Custom images requested for this build and their state',
        params: IdParams,
        response: { 200: Type.Object({ results: Type.Array(CustomImageDto) }), ...errorResponses(401, 404) },
      },
    },
    async (req) => ({ results: (await listCustomImages(deps.db, actorOf(req), req.params.id)).map(toDto) }),
  );
};
