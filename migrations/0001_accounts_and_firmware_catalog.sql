-- Accounts (organizations, users, memberships, API tokens, sessions) and the firmware catalog
-- (categories, builds, images). Every tenant table reaches an organization; NULL organization on a
-- category means "shared": readable by everyone, writable by superusers.

CREATE TABLE organizations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 128),
  slug text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 64),
  description text NOT NULL DEFAULT '',
  is_active boolean NOT NULL DEFAULT true,
  created timestamptz NOT NULL DEFAULT now(),
  modified timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT organizations_slug_key UNIQUE (slug)
);

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username text NOT NULL CHECK (username ~ '^[A-Za-z0-9_.@+-]{1,150}$'),
  email text NOT NULL DEFAULT '',
  password_hash text NOT NULL,
  is_superuser boolean NOT NULL DEFAULT false,
  is_active boolean NOT NULL DEFAULT true,
  last_login timestamptz,
  created timestamptz NOT NULL DEFAULT now(),
  modified timestamptz NOT NULL DEFAULT now()
);
-- "Admin" and "admin" are the same person: usernames are unique whatever their case.
CREATE UNIQUE INDEX users_username_key ON users (lower(username));

CREATE TABLE memberships (
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('admin', 'operator')),
  created timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT memberships_pkey PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX memberships_user_id_idx ON memberships (user_id);

-- API tokens: only a SHA-256 of the secret is stored (the secret has 256 bits of entropy, so a
-- slow hash adds nothing); `prefix` lets a person recognise a token in a list.
CREATE TABLE api_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  token_hash bytea NOT NULL,
  prefix text NOT NULL,
  expires_at timestamptz,
  last_used_at timestamptz,
  created timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX api_tokens_user_id_idx ON api_tokens (user_id);

CREATE TABLE sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash bytea NOT NULL,
  expires_at timestamptz NOT NULL,
  created timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT sessions_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

CREATE TABLE firmware_categories (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- RESTRICT: deleting an organization that still owns firmware is refused, not cascaded
  -- (firmware files must be released by the firmware module, and such a deletion is rarely meant).
  organization_id uuid REFERENCES organizations (id) ON DELETE RESTRICT,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  description text NOT NULL DEFAULT '',
  created timestamptz NOT NULL DEFAULT now(),
  modified timestamptz NOT NULL DEFAULT now()
);
-- One name per organization, and one per name among shared categories too (NULL is not distinct
-- here, unlike a plain UNIQUE constraint on PostgreSQL 14).
CREATE UNIQUE INDEX firmware_categories_name_key
  ON firmware_categories (COALESCE(organization_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name));
CREATE INDEX firmware_categories_organization_id_idx ON firmware_categories (organization_id);

CREATE TABLE firmware_builds (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  category_id uuid NOT NULL REFERENCES firmware_categories (id) ON DELETE CASCADE,
  -- Copy of the category's organization, kept by the triggers below: the OS identifier is unique
  -- per organization, and a unique index cannot look through a join.
  organization_id uuid REFERENCES organizations (id) ON DELETE RESTRICT,
  version text NOT NULL CHECK (length(version) BETWEEN 1 AND 32),
  os text CHECK (os IS NULL OR length(os) BETWEEN 1 AND 64),
  changelog text NOT NULL DEFAULT '',
  created timestamptz NOT NULL DEFAULT now(),
  modified timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT firmware_builds_version_key UNIQUE (category_id, version)
);
CREATE UNIQUE INDEX firmware_builds_os_key
  ON firmware_builds (COALESCE(organization_id, '00000000-0000-0000-0000-000000000000'::uuid), os)
  WHERE os IS NOT NULL;
CREATE INDEX firmware_builds_created_idx ON firmware_builds (created DESC, version DESC, id);
CREATE INDEX firmware_builds_organization_id_idx ON firmware_builds (organization_id, created DESC);

CREATE FUNCTION firmware_builds_copy_organization() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT organization_id INTO NEW.organization_id FROM firmware_categories WHERE id = NEW.category_id;
  RETURN NEW;
END $$;
CREATE TRIGGER firmware_builds_copy_organization
  BEFORE INSERT OR UPDATE OF category_id ON firmware_builds
  FOR EACH ROW EXECUTE FUNCTION firmware_builds_copy_organization();

CREATE FUNCTION firmware_categories_propagate_organization() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE firmware_builds SET organization_id = NEW.organization_id WHERE category_id = NEW.id;
  RETURN NEW;
END $$;
CREATE TRIGGER firmware_categories_propagate_organization
  AFTER UPDATE OF organization_id ON firmware_categories
  FOR EACH ROW WHEN (OLD.organization_id IS DISTINCT FROM NEW.organization_id)
  EXECUTE FUNCTION firmware_categories_propagate_organization();

CREATE TABLE firmware_images (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  build_id uuid NOT NULL REFERENCES firmware_builds (id) ON DELETE CASCADE,
  type text NOT NULL CHECK (length(type) BETWEEN 1 AND 128),
  label text NOT NULL DEFAULT '',
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
  size bigint NOT NULL CHECK (size >= 0),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  -- Board names the image fits: from the hardware table and/or the image's own fwtool metadata.
  boards text[] NOT NULL DEFAULT '{}',
  -- The fwtool metadata JSON embedded in the image, when it has one.
  metadata jsonb,
  created timestamptz NOT NULL DEFAULT now(),
  modified timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT firmware_images_type_key UNIQUE (build_id, type)
);
CREATE INDEX firmware_images_sha256_idx ON firmware_images (sha256);
CREATE INDEX firmware_images_boards_idx ON firmware_images USING gin (boards);
