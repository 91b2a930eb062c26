-- Custom image builds (the Attended SysUpgrade job): one row per canonical build request, the
-- files it produced, the request and result logs behind the statistics, the upstream metadata
-- cache, and the requests that attach custom images to firmware builds of the fleet catalog.

-- One row per request hash: the row is the job. Identical requests meet at the primary key, so
-- concurrent identical POSTs share one build. Workers claim queued rows with FOR UPDATE SKIP LOCKED
-- under a heartbeat (src/modules/imagebuilder/build-dispatcher.ts).
CREATE TABLE asu_builds (
  request_hash text PRIMARY KEY CHECK (request_hash ~ '^[0-9a-f]{64}$'),
  -- The canonical request as answered to clients: never holds `defaults` (see defaults_sealed).
  request jsonb NOT NULL,
  -- The first-boot script, encrypted with the server's secret key, kept only until the build ends.
  defaults_sealed text,
  version text NOT NULL,
  target text NOT NULL,
  profile text NOT NULL,
  client text NOT NULL,
  -- Who asked (client address): builds are taken in turns per client_key, and rate-limited by it.
  client_key text NOT NULL,
  status text NOT NULL CHECK (status IN ('queued', 'started', 'success', 'failed')),
  -- The ImageBuilder stage clients know (X-Imagebuilder-Status).
  stage text NOT NULL DEFAULT 'queued',
  error_kind text CHECK (error_kind IN ('user', 'infrastructure')),
  error_code text,
  detail text,
  missing_packages text[] NOT NULL DEFAULT '{}',
  conflicting_packages text[] NOT NULL DEFAULT '{}',
  result jsonb,
  build_cmd jsonb,
  stdout text NOT NULL DEFAULT '',
  stderr text NOT NULL DEFAULT '',
  attempts integer NOT NULL DEFAULT 0,
  worker text,
  heartbeat_at timestamptz,
  -- An infrastructure failure waits until then before the next attempt.
  not_before timestamptz,
  enqueued_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  -- Finished results are served until then; an expired row is rebuilt by the next identical request.
  expires_at timestamptz,
  CHECK ((status IN ('success', 'failed')) = (finished_at IS NOT NULL))
);
CREATE INDEX asu_builds_queued_idx ON asu_builds (enqueued_at) WHERE status = 'queued';
CREATE INDEX asu_builds_started_idx ON asu_builds (heartbeat_at) WHERE status = 'started';
CREATE INDEX asu_builds_expires_idx ON asu_builds (expires_at) WHERE expires_at IS NOT NULL;

-- Files a build wrote (its bin_dir), stored content-addressed like firmware images.
CREATE TABLE asu_build_files (
  request_hash text NOT NULL REFERENCES asu_builds ON DELETE CASCADE,
  name text NOT NULL CHECK (name ~ '^[A-Za-z0-9._+-]+$' AND name NOT IN ('.', '..')),
  sha256 text NOT NULL,
  size bigint NOT NULL,
  PRIMARY KEY (request_hash, name)
);
CREATE INDEX asu_build_files_sha256_idx ON asu_build_files (sha256);

-- One row per accepted build request (statistics: requests, cache hits and misses, clients, packages).
CREATE TABLE asu_requests (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  request_hash text NOT NULL,
  version text NOT NULL,
  target text NOT NULL,
  profile text NOT NULL,
  client text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('hit', 'miss', 'joined')),
  -- Requested packages beyond the profile's defaults.
  added_packages text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX asu_requests_at_idx ON asu_requests (at);

-- One row per finished build attempt (statistics: successes, failures, durations, recent errors).
CREATE TABLE asu_build_results (
  id bigserial PRIMARY KEY,
  finished_at timestamptz NOT NULL DEFAULT now(),
  request_hash text NOT NULL,
  version text NOT NULL,
  target text NOT NULL,
  profile text NOT NULL,
  status text NOT NULL CHECK (status IN ('success', 'failed')),
  error_code text,
  detail text,
  duration_ms integer NOT NULL
);
CREATE INDEX asu_build_results_at_idx ON asu_build_results (finished_at);
CREATE INDEX asu_build_results_target_idx ON asu_build_results (target, finished_at) WHERE status = 'success';

-- Upstream documents (versions, targets, profiles, package indexes, checksums) with their validators,
-- shared by every process: a restart or a second process revalidates instead of downloading again.
CREATE TABLE upstream_documents (
  url text PRIMARY KEY,
  etag text,
  last_modified text,
  body text NOT NULL,
  fetched_at timestamptz NOT NULL DEFAULT now()
);

-- Custom images requested for a firmware build: one per (build, target, profile) and request.
CREATE TABLE firmware_custom_images (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  build_id uuid NOT NULL REFERENCES firmware_builds ON DELETE CASCADE,
  request_hash text NOT NULL,
  target text NOT NULL,
  profile text NOT NULL,
  boards text[] NOT NULL DEFAULT '{}',
  status text NOT NULL CHECK (status IN ('building', 'attached', 'failed')),
  image_id uuid REFERENCES firmware_images ON DELETE SET NULL,
  detail text NOT NULL DEFAULT '',
  created timestamptz NOT NULL DEFAULT now(),
  modified timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX firmware_custom_images_build_idx ON firmware_custom_images (build_id, created);
CREATE INDEX firmware_custom_images_pending_idx ON firmware_custom_images (request_hash) WHERE status = 'building';

-- Build progress on the live event stream: type 'build', keyed by request hash (the hash is the
-- capability: whoever knows it may follow the build). No organization: builds are shared.
ALTER TABLE events DROP CONSTRAINT events_type_check;
ALTER TABLE events ADD CONSTRAINT events_type_check CHECK (type IN ('operation', 'log', 'batch', 'build'));
ALTER TABLE events ADD COLUMN build_hash text;

CREATE FUNCTION fleetflash_asu_build_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO events (type, build_hash, data)
  SELECT 'build', n.request_hash, jsonb_build_object(
    'request_hash', n.request_hash, 'status', n.status, 'imagebuilder_status', n.stage,
    'detail', n.detail, 'error_code', n.error_code)
  FROM new_rows n LEFT JOIN old_rows o USING (request_hash)
  WHERE o.request_hash IS NULL OR o.status IS DISTINCT FROM n.status OR o.stage IS DISTINCT FROM n.stage;
  IF FOUND THEN PERFORM pg_notify('fleetflash_events', ''); END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION fleetflash_asu_build_insert_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO events (type, build_hash, data)
  SELECT 'build', n.request_hash, jsonb_build_object(
    'request_hash', n.request_hash, 'status', n.status, 'imagebuilder_status', n.stage,
    'detail', n.detail, 'error_code', n.error_code)
  FROM new_rows n;
  IF FOUND THEN PERFORM pg_notify('fleetflash_events', ''); END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER asu_builds_update_events AFTER UPDATE ON asu_builds
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fleetflash_asu_build_events();
CREATE TRIGGER asu_builds_insert_events AFTER INSERT ON asu_builds
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fleetflash_asu_build_insert_events();
