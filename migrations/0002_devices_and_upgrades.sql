-- Devices, their SSH credentials, which firmware they run, and upgrade operations with their logs.

-- Routers and agents register with an organization's shared secret. Like API tokens it is shown
-- once when generated and only its SHA-256 is kept.
ALTER TABLE organizations ADD COLUMN registration_secret_hash bytea;

CREATE TABLE credentials (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  username text NOT NULL CHECK (length(username) BETWEEN 1 AND 64),
  -- AES-256-GCM ciphertexts (see src/platform/crypto.ts); never returned by the API.
  password_encrypted text,
  private_key_encrypted text,
  passphrase_encrypted text,
  -- Used by every device of the organization that has no credentials of its own.
  is_default boolean NOT NULL DEFAULT false,
  created timestamptz NOT NULL DEFAULT now(),
  modified timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT credentials_secret_check CHECK (password_encrypted IS NOT NULL OR private_key_encrypted IS NOT NULL),
  CONSTRAINT credentials_name_key UNIQUE (organization_id, name)
);
CREATE UNIQUE INDEX credentials_default_key ON credentials (organization_id) WHERE is_default;

CREATE TABLE devices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 128),
  mac_address text NOT NULL CHECK (mac_address ~ '^([0-9a-f]{2}:){5}[0-9a-f]{2}$'),
  model text NOT NULL DEFAULT '',
  board_name text NOT NULL DEFAULT '',
  os text NOT NULL DEFAULT '',
  management_ip text,
  ssh_port integer NOT NULL DEFAULT 22 CHECK (ssh_port BETWEEN 1 AND 65535),
  group_name text NOT NULL DEFAULT '',
  location text NOT NULL DEFAULT '',
  is_active boolean NOT NULL DEFAULT true,
  last_seen timestamptz,
  credentials_id uuid REFERENCES credentials (id) ON DELETE SET NULL,
  -- SHA-256 fingerprint of the SSH host key seen on the first successful connection.
  ssh_host_key text,
  created timestamptz NOT NULL DEFAULT now(),
  modified timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT devices_mac_address_key UNIQUE (organization_id, mac_address)
);
CREATE INDEX devices_organization_id_idx ON devices (organization_id, name);
CREATE INDEX devices_os_idx ON devices (os);
CREATE INDEX devices_group_idx ON devices (organization_id, group_name);
CREATE INDEX devices_location_idx ON devices (organization_id, location);

-- Which image a device runs (installed) or is being upgraded to (not installed).
CREATE TABLE device_firmwares (
  device_id uuid PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
  image_id uuid NOT NULL REFERENCES firmware_images (id) ON DELETE CASCADE,
  installed boolean NOT NULL DEFAULT false,
  created timestamptz NOT NULL DEFAULT now(),
  modified timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX device_firmwares_image_id_idx ON device_firmwares (image_id);

CREATE TABLE upgrade_operations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  device_id uuid NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  -- History outlives images: a deleted image leaves its operations, with the image's facts kept.
  image_id uuid REFERENCES firmware_images (id) ON DELETE SET NULL,
  image_sha256 text NOT NULL,
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'in-progress', 'success', 'failed', 'aborted', 'cancelled')),
  progress smallint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  options jsonb NOT NULL DEFAULT '{}',
  attempt integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  error_code text,
  -- Set, in the same statement that checks the operation is still wanted, right before the flash
  -- command is sent: from then on nothing may flash it again and a cancel is too late.
  flash_started_at timestamptz,
  -- The worker process holding the operation, and until when (renewed by its heartbeat).
  lease_owner text,
  lease_expires_at timestamptz,
  -- Services the upgrader stopped on the device, to restart on resume.
  stopped_services text[] NOT NULL DEFAULT '{}',
  -- Boot id seen before flashing: a device that comes back with the same one never rebooted.
  boot_id_before text,
  log_seq integer NOT NULL DEFAULT 0,
  retry_of uuid REFERENCES upgrade_operations (id) ON DELETE SET NULL,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  started_at timestamptz,
  finished_at timestamptz,
  created timestamptz NOT NULL DEFAULT now(),
  modified timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT upgrade_operations_finished_check CHECK ((status IN ('pending', 'in-progress')) = (finished_at IS NULL))
);
-- At most one active operation per device, whatever the code path.
CREATE UNIQUE INDEX upgrade_operations_one_active_key ON upgrade_operations (device_id) WHERE status IN ('pending', 'in-progress');
-- What the dispatcher looks for: due pending work, and in-progress work whose lease ran out.
CREATE INDEX upgrade_operations_due_idx ON upgrade_operations (next_attempt_at) WHERE status = 'pending';
CREATE INDEX upgrade_operations_lease_idx ON upgrade_operations (lease_expires_at) WHERE status = 'in-progress';
CREATE INDEX upgrade_operations_device_idx ON upgrade_operations (device_id, created DESC);
CREATE INDEX upgrade_operations_image_idx ON upgrade_operations (image_id);
CREATE INDEX upgrade_operations_created_idx ON upgrade_operations (created DESC, id);

-- Append-only: one row per log line, numbered per operation.
CREATE TABLE upgrade_operation_logs (
  operation_id uuid NOT NULL REFERENCES upgrade_operations (id) ON DELETE CASCADE,
  seq integer NOT NULL,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  level text NOT NULL DEFAULT 'info' CHECK (level IN ('info', 'warning', 'error')),
  message text NOT NULL,
  CONSTRAINT upgrade_operation_logs_pkey PRIMARY KEY (operation_id, seq)
);
