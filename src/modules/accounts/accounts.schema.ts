import { Type, type Static } from '@sinclair/typebox';
import { DateTime, Nullable, OrganizationFilterQuery, PaginationQuery, Uuid } from '../../http/schemas.js';
import type { ApiTokenRow, OrganizationRow } from './accounts.table.js';
import type { MemberRow } from './membership.repository.js';
import type { UserWithMemberships } from './user.service.js';

const Role = Type.Union([Type.Literal('admin'), Type.Literal('operator')], {
  description: 'admin: read/write in the organization; operator: read-only.',
});
const Slug = Type.String({
  pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
  maxLength: 64,
  description: 'Lower-case letters, digits and dashes.',
});
const Username = Type.String({ pattern: '^[A-Za-z0-9_.@+-]{1,150}$', description: 'Letters, digits and _ . @ + -' });
const Email = Type.String({
  maxLength: 254,
  description: 'Email address (may be empty).',
  pattern: '^$|^[^@\\s]+@[^@\\s]+$',
});
const Password = Type.String({ minLength: 1, maxLength: 256 });

// Organizations

export const OrganizationDto = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    slug: Type.String(),
    description: Type.String(),
    is_active: Type.Boolean(),
    has_registration_secret: Type.Boolean({
      description:
        'Whether devices can register with a secret (POST /api/v1/organizations/{id}/registration-secret/ makes one).',
    }),
    created: DateTime,
    modified: DateTime,
  },
  { title: 'Organization' },
);

export function toOrganizationDto(row: OrganizationRow): Static<typeof OrganizationDto> {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    description: row.description,
    is_active: row.isActive,
    has_registration_secret: row.registrationSecretHash !== null,
    created: row.created.toISOString(),
    modified: row.modified.toISOString(),
  };
}

export const RegistrationSecretDto = Type.Object(
  {
    secret: Type.String({ description: "Shown only in this answer: give it to your routers' registration agent." }),
  },
  { title: 'RegistrationSecret' },
);

export const CreateOrganizationBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 128 }),
  slug: Type.Optional(Slug),
  description: Type.Optional(Type.String({ maxLength: 4000 })),
  is_active: Type.Optional(Type.Boolean()),
});
export const ReplaceOrganizationBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 128 }),
  slug: Slug,
  description: Type.Optional(Type.String({ maxLength: 4000 })),
  is_active: Type.Optional(Type.Boolean()),
});
export const UpdateOrganizationBody = Type.Partial(ReplaceOrganizationBody);

export const ListOrganizationsQuery = Type.Object({
  ...PaginationQuery,
  ...OrganizationFilterQuery,
  slug: Type.Optional(Type.String({ maxLength: 64, description: 'Same as organization.' })),
  is_active: Type.Optional(Type.Boolean()),
});

// Members

export const MemberDto = Type.Object(
  {
    user: Type.Object({ id: Uuid, username: Type.String(), email: Type.String(), is_active: Type.Boolean() }),
    role: Role,
    created: DateTime,
  },
  { title: 'Member' },
);

export function toMemberDto(row: MemberRow): Static<typeof MemberDto> {
  return {
    user: { id: row.userId, username: row.username, email: row.email, is_active: row.isActive },
    role: row.role,
    created: row.created.toISOString(),
  };
}

export const MemberParams = Type.Object({ id: Uuid, user_id: Uuid });
export const AddMemberBody = Type.Object(
  {
    user: Type.Optional(Uuid),
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 150 })),
    role: Role,
  },
  { description: 'Give the user by id ("user") or by "username".' },
);
export const ChangeMemberBody = Type.Object({ role: Role });

// Users

const MembershipSummary = Type.Object({
  organization: Uuid,
  organization_slug: Type.String(),
  organization_name: Type.String(),
  role: Role,
});

export const UserDto = Type.Object(
  {
    id: Uuid,
    username: Type.String(),
    email: Type.String(),
    is_superuser: Type.Boolean(),
    is_active: Type.Boolean(),
    last_login: Nullable(DateTime),
    created: DateTime,
    modified: DateTime,
    memberships: Type.Array(MembershipSummary),
  },
  { title: 'User' },
);

export function toUserDto({ user, memberships }: UserWithMemberships): Static<typeof UserDto> {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    is_superuser: user.isSuperuser,
    is_active: user.isActive,
    last_login: user.lastLogin?.toISOString() ?? null,
    created: user.created.toISOString(),
    modified: user.modified.toISOString(),
    memberships: memberships.map((membership) => ({
      organization: membership.organizationId,
      organization_slug: membership.slug,
      organization_name: membership.name,
      role: membership.role,
    })),
  };
}

export const CreateUserBody = Type.Object({
  username: Username,
  password: Password,
  email: Type.Optional(Email),
  is_superuser: Type.Optional(Type.Boolean()),
  is_active: Type.Optional(Type.Boolean()),
  memberships: Type.Optional(Type.Array(Type.Object({ organization: Uuid, role: Role }), { maxItems: 100 })),
});
export const ReplaceUserBody = Type.Object({
  username: Username,
  email: Email,
  is_superuser: Type.Optional(Type.Boolean()),
  is_active: Type.Optional(Type.Boolean()),
  password: Type.Optional(Password),
  current_password: Type.Optional(Password),
  revoke_tokens: Type.Optional(
    Type.Boolean({
      description:
        'With a new "password": also revoke every API token of the user (default false). A new password always ends ' +
        "all the user's sessions.",
    }),
  ),
});
export const UpdateUserBody = Type.Partial(ReplaceUserBody);

export const ListUsersQuery = Type.Object({
  ...PaginationQuery,
  ...OrganizationFilterQuery,
  search: Type.Optional(Type.String({ maxLength: 150, description: 'Part of the username or email.' })),
  is_active: Type.Optional(Type.Boolean()),
});

// Authentication

export const LoginBody = Type.Object({ username: Type.String({ minLength: 1, maxLength: 150 }), password: Password });

export const MeDto = Type.Object(
  {
    ...UserDto.properties,
    authenticated_via: Type.Union([Type.Literal('session'), Type.Literal('token'), Type.Literal('cli')]),
  },
  { title: 'Me' },
);

export const TokenDto = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    prefix: Type.String({ description: 'First characters of the token, to recognise it.' }),
    created: DateTime,
    expires_at: Nullable(DateTime),
    last_used_at: Nullable(DateTime),
  },
  { title: 'ApiToken' },
);

export const CreatedTokenDto = Type.Object(
  {
    ...TokenDto.properties,
    token: Type.String({ description: 'The secret. Shown only in this answer: store it now.' }),
  },
  { title: 'CreatedApiToken' },
);

export function toTokenDto(row: ApiTokenRow): Static<typeof TokenDto> {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    created: row.created.toISOString(),
    expires_at: row.expiresAt?.toISOString() ?? null,
    last_used_at: row.lastUsedAt?.toISOString() ?? null,
  };
}

export const CreateTokenBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  expires_in_days: Type.Optional(
    Type.Union([Type.Integer({ minimum: 1, maximum: 3650 }), Type.Null()], {
      description: 'Days until the token expires; omit or null for never.',
    }),
  ),
});
