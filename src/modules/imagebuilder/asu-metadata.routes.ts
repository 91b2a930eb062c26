import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import * as metadata from './asu-metadata.service.js';
import { sendRefused } from './asu-errors.js';
import type { AsuDeps } from './asu-deps.js';
import {
  AsuBranchDto,
  AsuErrorDto,
  AsuLatestDto,
  AsuOverviewDto,
  AsuPackageIndexDto,
  AsuProfilesDto,
  AsuRevisionDto,
  AsuTargetDocumentDto,
} from './asu.schema.js';

const tags = ['image builds (ASU)'];
const Part = Type.String({ maxLength: 64 });
const Segment = Type.String({ maxLength: 128 });
const TargetParams = Type.Object({ version: Part, target: Part, subtarget: Part });

/** Metadata ASU clients read: revisions, profiles, overview and branches, per-target and package documents. */
export const asuMetadataRoutes: FastifyPluginAsyncTypebox<AsuDeps> = async (
  app,
  { config, catalog, version: serverVersion },
) => {
  const settings = config.imageBuilds;
  const notFoundJson = (reply: FastifyReply) => reply.code(404).send({ status: 404, detail: 'Not found' });
  /** A found document, or ASU's 404. */
  const documentOr404 = <T>(reply: FastifyReply, lookup: metadata.Lookup<T>) =>
    'found' in lookup ? lookup.found : notFoundJson(reply);

  app.get(
    '/api/v1/revision/:version/:target/:subtarget',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Revision (version_code) of a version/target upstream',
        params: TargetParams,
        response: { 200: AsuRevisionDto, 400: AsuErrorDto, 404: AsuErrorDto },
      },
    },
    async (request, reply) => {
      const { version, target, subtarget } = request.params;
      const lookup = await metadata.revision(catalog, version, target, subtarget);
      if ('found' in lookup) return lookup.found;
      if (lookup.missing === 'version')
        return sendRefused(reply, 400, `Unsupported version: ${version}`, { code: 'UNSUPPORTED_VERSION' });
      return sendRefused(reply, 404, `Failed to fetch revision for ${version}/${target}/${subtarget}`, {
        code: 'UNSUPPORTED_TARGET',
      });
    },
  );

  app.get(
    '/api/v1/profiles/:version/:target/:subtarget',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Profiles of a version/target, for choosing a model (not in ASU)',
        params: TargetParams,
        response: { 200: AsuProfilesDto, 400: AsuErrorDto, 404: AsuErrorDto },
      },
    },
    async (request, reply) => {
      const { version, target, subtarget } = request.params;
      const lookup = await metadata.profileList(catalog, version, target, subtarget);
      if ('found' in lookup) return lookup.found;
      if (lookup.missing === 'version')
        return sendRefused(reply, 400, `Unsupported version: ${version}`, { code: 'UNSUPPORTED_VERSION' });
      return sendRefused(reply, 404, `Unsupported target: ${target}/${subtarget}`, { code: 'UNSUPPORTED_TARGET' });
    },
  );

  // Legacy paths clients still call.
  const legacy = [
    ['/api/v1/latest', '/json/v1/latest.json'],
    ['/api/v1/overview', '/json/v1/overview.json'],
    ['/api/overview', '/json/v1/overview.json'],
    ['/overview', '/json/v1/overview.json'],
  ] as const;
  for (const [from, to] of legacy) {
    app.get(
      from,
      { config: { public: true }, schema: { hide: true, response: { 301: Type.Null() } } },
      async (_request, reply) => reply.redirect(to, 301),
    );
  }

  app.get(
    '/json/v1/overview.json',
    {
      config: { public: true },
      schema: { tags, summary: 'Versions, branches, targets and server limits', response: { 200: AsuOverviewDto } },
    },
    async () => metadata.overview(catalog, settings, serverVersion),
  );
  app.get(
    '/json/v1/branches.json',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Branches with versions, targets and package changes',
        response: { 200: Type.Array(AsuBranchDto) },
      },
    },
    async () => metadata.branches(catalog),
  );
  app.get(
    '/json/v1/latest.json',
    {
      config: { public: true },
      schema: { tags, summary: 'Latest releases', response: { 200: AsuLatestDto } },
    },
    async () => ({ latest: await catalog.latest() }),
  );

  const profileDescription =
    "`{profile}.json`: upstream profiles.json with the profile's entry merged in " +
    '(`id`, `build_at`; aliases resolve); ' +
    '`index.json`: `{architecture, packages}` of the target (kmods included).';
  const targetResponses = { 200: AsuTargetDocumentDto, 404: AsuErrorDto };
  const packageResponses = { 200: AsuPackageIndexDto, 404: AsuErrorDto };
  app.get(
    '/json/v1/releases/:version/targets/:target/:subtarget/:file',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Per-profile metadata, or the target package index',
        description: profileDescription,
        params: Type.Object({ version: Segment, target: Segment, subtarget: Segment, file: Segment }),
        response: targetResponses,
      },
    },
    async (request, reply) => {
      const { version, target, subtarget, file } = request.params;
      return documentOr404(reply, await metadata.targetDocument(catalog, version, `${target}/${subtarget}`, file));
    },
  );
  app.get(
    '/json/v1/snapshots/targets/:target/:subtarget/:file',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Per-profile metadata, or the target package index (snapshots)',
        description: profileDescription,
        params: Type.Object({ target: Segment, subtarget: Segment, file: Segment }),
        response: targetResponses,
      },
    },
    async (request, reply) => {
      const { target, subtarget, file } = request.params;
      return documentOr404(reply, await metadata.targetDocument(catalog, 'SNAPSHOT', `${target}/${subtarget}`, file));
    },
  );
  app.get(
    '/json/v1/releases/:version/packages/:file',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Packages of an architecture (`{arch}-index.json`), every configured feed merged',
        params: Type.Object({ version: Segment, file: Segment }),
        response: packageResponses,
      },
    },
    async (request, reply) =>
      documentOr404(
        reply,
        await metadata.archDocument(catalog, settings.feeds, request.params.version, request.params.file),
      ),
  );
  app.get(
    '/json/v1/snapshots/packages/:file',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Packages of an architecture (snapshots)',
        params: Type.Object({ file: Segment }),
        response: packageResponses,
      },
    },
    async (request, reply) =>
      documentOr404(reply, await metadata.archDocument(catalog, settings.feeds, 'SNAPSHOT', request.params.file)),
  );
};
