import { Type, type Static } from '@sinclair/typebox';
import { orderingQuery } from '../../http/ordering.js';
import { DateTime, Nullable, OrganizationFilterQuery, PaginationQuery, Uuid } from '../../http/schemas.js';
import type { BuildView } from './build.service.js';
import { BUILD_ORDERING_FIELDS, DEFAULT_BUILD_ORDERING } from './build.service.js';
import { CATEGORY_ORDERING_FIELDS, DEFAULT_CATEGORY_ORDERING } from './category.service.js';
import type { CategoryRow, ImageRow } from './firmware.table.js';
import { DEFAULT_IMAGE_ORDERING, IMAGE_ORDERING_FIELDS } from './image.service.js';

const NullableUuid = Type.Union([Uuid, Type.Null()]);

// Categories

export const CategoryDto = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    description: Type.String(),
    organization: Nullable(Uuid, {
      description: 'Owning organization; null for a category shared by all organizations.',
    }),
    health_check: Nullable(Uuid, {
      description: 'The health check upgrades of its builds run after proof of boot unless they choose another.',
    }),
    created: DateTime,
    modified: DateTime,
  },
  { title: 'FirmwareCategory' },
);

export function toCategoryDto(row: CategoryRow): Static<typeof CategoryDto> {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    organization: row.organizationId,
    health_check: row.healthCheckId,
    created: row.created.toISOString(),
    modified: row.modified.toISOString(),
  };
}

const CategoryName = Type.String({ minLength: 1, maxLength: 64 });
const Description = Type.String({ maxLength: 10_000 });
const CategoryHealthCheck = Type.Union([Uuid, Type.Null()], {
  description:
    "A health check of the category's organization that upgrades of its builds run by default (null: none; a " +
    'shared category has none).',
});

export const CreateCategoryBody = Type.Object({
  name: CategoryName,
  description: Type.Optional(Description),
  organization: Type.Optional(
    Type.Union([Uuid, Type.Null()], {
      description:
        'Organization id, or null for a shared category (superusers). May be left out when you administer exactly ' +
        'one organization.',
    }),
  ),
  health_check: Type.Optional(CategoryHealthCheck),
});
export const ReplaceCategoryBody = Type.Object({
  name: CategoryName,
  description: Type.Optional(Description),
  organization: NullableUuid,
  health_check: Type.Optional(CategoryHealthCheck),
});
export const UpdateCategoryBody = Type.Partial(ReplaceCategoryBody);

export const ListCategoriesQuery = Type.Object({
  ...PaginationQuery,
  ...OrganizationFilterQuery,
  name: Type.Optional(Type.String({ maxLength: 64 })),
  ordering: orderingQuery(CATEGORY_ORDERING_FIELDS, DEFAULT_CATEGORY_ORDERING),
});

// Builds

export const BuildDto = Type.Object(
  {
    id: Uuid,
    category: Uuid,
    version: Type.String(),
    os: Nullable(Type.String(), { description: 'OS identifier: the OS string devices running this build report.' }),
    changelog: Type.String(),
    organization: Nullable(Uuid, { description: "The category's organization (null when shared)." }),
    category_relation: Type.Object({ name: Type.String(), organization: Nullable(Uuid) }),
    image_count: Type.Integer({ description: 'How many images the build has.' }),
    device_count: Type.Integer({
      description: 'How many devices you can see run one of its images (recorded as installed).',
    }),
    created: DateTime,
    modified: DateTime,
  },
  { title: 'FirmwareBuild' },
);

/** A build as read by id (timestamps as Dates) or in a list page (already ISO text), with its usage counts. */
type BuildRowForDto = Omit<BuildView, 'created' | 'modified'> & {
  created: Date | string;
  modified: Date | string;
  imageCount: number;
  deviceCount: number;
};

const isoText = (value: Date | string): string => (typeof value === 'string' ? value : value.toISOString());

export function toBuildDto(row: BuildRowForDto): Static<typeof BuildDto> {
  return {
    id: row.id,
    category: row.categoryId,
    version: row.version,
    os: row.os,
    changelog: row.changelog,
    organization: row.organizationId,
    category_relation: { name: row.categoryName, organization: row.organizationId },
    image_count: row.imageCount,
    device_count: row.deviceCount,
    created: isoText(row.created),
    modified: isoText(row.modified),
  };
}

const Version = Type.String({ minLength: 1, maxLength: 32 });
const OsIdentifier = Type.Union([Type.String({ maxLength: 64 }), Type.Null()], {
  description:
    'Must equal the OS string devices report, e.g. "OpenWrt 23.05.3 r23809-234f1a2efa"; unique per organization. ' +
    'Empty or null when not known yet.',
});

export const CreateBuildBody = Type.Object({
  category: Uuid,
  version: Version,
  os: Type.Optional(OsIdentifier),
  changelog: Type.Optional(Description),
});
export const ReplaceBuildBody = CreateBuildBody;
export const UpdateBuildBody = Type.Partial(CreateBuildBody);

export const ListBuildsQuery = Type.Object({
  ...PaginationQuery,
  ...OrganizationFilterQuery,
  category: Type.Optional(Uuid),
  version: Type.Optional(Type.String({ maxLength: 32 })),
  os: Type.Optional(Type.String({ maxLength: 64 })),
  ordering: orderingQuery(BUILD_ORDERING_FIELDS, DEFAULT_BUILD_ORDERING),
});

// Images

const FwtoolMetadataDto = Type.Object(
  {
    metadata_version: Type.Optional(Type.String()),
    compat_version: Type.Optional(Type.String()),
    supported_devices: Type.Array(Type.String()),
    version: Type.Optional(
      Type.Object({
        dist: Type.Optional(Type.String()),
        version: Type.Optional(Type.String()),
        revision: Type.Optional(Type.String()),
        target: Type.Optional(Type.String()),
        board: Type.Optional(Type.String()),
      }),
    ),
  },
  { description: 'OpenWrt fwtool metadata embedded in the image.' },
);

/** An image's own fields (what other answers embed); ImageDto adds how many devices run it. */
export const ImageProperties = {
  id: Uuid,
  build: Uuid,
  type: Type.String({ description: 'Image type: the sysupgrade file name without "openwrt-<version>-".' }),
  label: Type.String({ description: 'Hardware model.' }),
  file: Type.String({ description: 'Download URL.' }),
  file_name: Type.String(),
  size: Type.Integer({ description: 'Bytes.' }),
  sha256: Type.String(),
  boards: Type.Array(Type.String(), { description: 'Board names this image fits.' }),
  metadata: Nullable(FwtoolMetadataDto),
  created: DateTime,
  modified: DateTime,
};

const ImagePropertiesDto = Type.Object(ImageProperties);

export const ImageDto = Type.Object(
  {
    ...ImageProperties,
    device_count: Type.Integer({ description: 'How many devices you can see run this image (recorded as installed).' }),
  },
  { title: 'FirmwareImage' },
);

export function toImageDto(row: ImageRow & { deviceCount: number }, downloadUrl: string): Static<typeof ImageDto> {
  return {
    ...toImagePropertiesDto(row, downloadUrl),
    device_count: row.deviceCount,
  };
}

export function toImagePropertiesDto(row: ImageRow, downloadUrl: string): Static<typeof ImagePropertiesDto> {
  return {
    id: row.id,
    build: row.buildId,
    type: row.type,
    label: row.label,
    file: downloadUrl,
    file_name: row.fileName,
    size: row.size,
    sha256: row.sha256,
    boards: row.boards,
    metadata: row.metadata,
    created: row.created.toISOString(),
    modified: row.modified.toISOString(),
  };
}

export const ImageType = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9._,+-]*$' });

/** Documents the multipart upload in OpenAPI; the route parses the stream itself. */
export const UploadImageBody = Type.Object({
  file: Type.String({ format: 'binary', description: 'The firmware image.' }),
  type: Type.Optional(Type.String({ description: 'Image type; derived from the file name when left out.' })),
  force: Type.Optional(
    Type.Union([Type.Literal('true'), Type.Literal('false')], {
      description:
        '"true": accept a file without OpenWrt metadata even when it does not look like a sysupgrade image of its ' +
        'type (otherwise 400 NotAnImage).',
    }),
  ),
});

export const ListImagesQuery = Type.Object({
  ...PaginationQuery,
  ...OrganizationFilterQuery,
  type: Type.Optional(Type.String({ maxLength: 128 })),
  ordering: orderingQuery(IMAGE_ORDERING_FIELDS, DEFAULT_IMAGE_ORDERING),
});

export const ImageParams = Type.Object({ build_pk: Uuid, id: Uuid });
