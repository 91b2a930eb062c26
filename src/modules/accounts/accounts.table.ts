import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Timestamps default to now() in SQL; callers may set them, and read them back as Dates. */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export const ROLES = { admin: 'admin', operator: 'operator' } as const;
export type Role = (typeof ROLES)[keyof typeof ROLES];

export interface OrganizationsTable {
  id: Generated<string>;
  name: string;
  slug: string;
  description: Generated<string>;
  isActive: Generated<boolean>;
  registrationSecretHash: ColumnType<Buffer | null, Buffer | null | undefined, Buffer | null>;
  created: Timestamp;
  modified: Timestamp;
}

export interface UsersTable {
  id: Generated<string>;
  username: string;
  email: Generated<string>;
  passwordHash: string;
  isSuperuser: Generated<boolean>;
  isActive: Generated<boolean>;
  lastLogin: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created: Timestamp;
  modified: Timestamp;
}

export interface MembershipsTable {
  organizationId: string;
  userId: string;
  role: Role;
  created: Timestamp;
}

export interface ApiTokensTable {
  id: Generated<string>;
  userId: string;
  name: string;
  tokenHash: Buffer;
  prefix: string;
  expiresAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
  lastUsedAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created: Timestamp;
}

export interface SessionsTable {
  id: Generated<string>;
  userId: string;
  tokenHash: Buffer;
  expiresAt: ColumnType<Date, Date, Date>;
  created: Timestamp;
}

export type OrganizationRow = Selectable<OrganizationsTable>;
export type NewOrganizationRow = Insertable<OrganizationsTable>;
export type OrganizationUpdate = Updateable<OrganizationsTable>;
export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type MembershipRow = Selectable<MembershipsTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;

/** Failed-login counters (see migrations/0005_login_throttle.sql); username '' is the per-address row. */
export interface LoginFailuresTable {
  address: string;
  username: string;
  failures: number;
  windowEnds: ColumnType<Date, Date | string, Date | string>;
}
