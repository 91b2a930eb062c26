import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import { actorOf } from '../../http/auth.js';
import type { AppDeps } from '../../http/deps.js';
import { pageRequest, pageResponse } from '../../http/pagination.js';
import { DateTime, errorResponses, IdParams, Nullable, Paginated, PaginationQuery } from '../../http/schemas.js';
import { ImageProperties, toImagePropertiesDto } from '../firmware/firmware.schema.js';
import type { FittingImageRow } from '../firmware/image-fit.repository.js';
import { downloadUrl } from '../firmware/image.routes.js';
import { listFittingImages } from '../../use-cases/list-fitting-images.js';

export const FittingImageDto = Type.Object(
  {
    ...ImageProperties,
    build_version: Type.String({ description: "The version of the image's build." }),
    build_os: Nullable(Type.String(), { description: 'The OS string devices report after installing the build.' }),
    build_organization: Nullable(Type.String({ format: 'uuid' }), {
      description: "The build's organization; null when shared.",
    }),
    build_created: DateTime,
    downgrade: Type.Boolean({
      description:
        "The device runs a newer OpenWrt release than the image's build (by their OS strings, else the build's " +
        'version): installing it goes back to an older release. False when either release is not known.',
    }),
  },
  { title: 'FittingImage' },
);

function toFittingImageDto(row: FittingImageRow & { downgrade: boolean }, file: string) {
  const dto: Static<typeof FittingImageDto> = {
    ...toImagePropertiesDto(row, file),
    build_version: row.buildVersion,
    build_os: row.buildOs,
    build_organization: row.buildOrganizationId,
    build_created: row.buildCreated.toISOString(),
    downgrade: row.downgrade,
  };
  return dto;
}

export const fittingImageRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { db, config }) => {
  const { publicUrl } = config.server;
  app.get(
    '/api/v1/devices/:id/fitting-images/',
    {
      schema: {
        tags: ['devices'],
        summary: 'List the images that fit a device',
        description:
          "Images built for the device's board (its board name; its model only where either side has no board name), " +
          'of builds of its organization or shared ones: what it can be upgraded to. ' +
          'Newest build first, then by image type.',
        params: IdParams,
        querystring: Type.Object(PaginationQuery),
        response: { 200: Paginated(FittingImageDto), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const page = pageRequest(request.query);
      const { rows, count } = await listFittingImages(db, actorOf(request), request.params.id, page);
      return pageResponse(
        request,
        publicUrl,
        page,
        count,
        rows.map((row) => toFittingImageDto(row, downloadUrl(request, publicUrl, row))),
      );
    },
  );
};
