-- Mass upgrades (batches) with staged rollouts, the decisions taken for every candidate device,
-- and the event log behind the live stream (/api/v1/events/).

-- The board rule of src/modules/firmware/board-match.ts, for set-based candidate selection: when
-- the device has a board name and the image lists OpenWrt board names, the board name alone decides;
-- otherwise the board name or the model string must be listed. (board-match.test.ts checks both agree.)
CREATE FUNCTION fleetflash_board_fits(boards text[], board_name text, model text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN board_name <> '' AND EXISTS (SELECT 1 FROM unnest(boards) AS b WHERE strpos(b, ',') > 0)
      THEN board_name = ANY (boards)
    ELSE (board_name <> '' AND board_name = ANY (boards)) OR (model <> '' AND model = ANY (boards))
  END
$$;

CREATE TABLE batch_upgrade_operations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- History outlives the build: its version is kept.
  build_id uuid REFERENCES firmware_builds (id) ON DELETE SET NULL,
  build_version text NOT NULL,
  -- The organization whose devices it upgrades; null = every organization (shared build, superuser).
  organization_id uuid REFERENCES organizations (id) ON DELETE CASCADE,
  status text NOT NULL DEFAULT 'in-progress'
    CHECK (status IN ('scheduled', 'in-progress', 'paused', 'success', 'failed', 'cancelled')),
  upgrade_all boolean NOT NULL DEFAULT false,
  group_name text,
  location text,
  upgrade_options jsonb NOT NULL DEFAULT '{}',
  -- The rollout policy, normalised (defaults filled in): see rollout-policy.ts.
  rollout jsonb NOT NULL,
  -- Sizes of the stages (stage 0 is the canary), computed at launch.
  stage_sizes integer[] NOT NULL,
  current_stage integer NOT NULL DEFAULT 0,
  -- When every device of the current stage was decided (bake time counts from here).
  stage_decided_at timestamptz,
  -- A person resumed the rollout at this stage: its gate counts as passed.
  gate_override_stage integer,
  max_concurrent integer NOT NULL CHECK (max_concurrent >= 1),
  start_at timestamptz,
  wait_for_offline boolean NOT NULL DEFAULT false,
  offline_deadline timestamptz,
  -- Why the rollout is paused: 'manual', 'failure-threshold' or 'stage-gate', with a sentence.
  pause_reason text,
  pause_detail text,
  -- The failure threshold counts only what was decided after the last resume.
  threshold_base_decided integer NOT NULL DEFAULT 0,
  threshold_base_failed integer NOT NULL DEFAULT 0,
  -- The aggregate last published as an event (so unchanged aggregates are not published again).
  published jsonb,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  started_at timestamptz,
  finished_at timestamptz,
  created timestamptz NOT NULL DEFAULT now(),
  modified timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT batch_upgrade_operations_finished_check
    CHECK ((status IN ('success', 'failed', 'cancelled')) = (finished_at IS NOT NULL))
);
CREATE INDEX batch_upgrade_operations_created_idx ON batch_upgrade_operations (created DESC, id);
CREATE INDEX batch_upgrade_operations_active_idx ON batch_upgrade_operations (status) WHERE status IN ('scheduled', 'in-progress', 'paused');
CREATE INDEX batch_upgrade_operations_build_idx ON batch_upgrade_operations (build_id);

-- Candidates that got no operation, and why.
CREATE TABLE batch_skipped_devices (
  batch_id uuid NOT NULL REFERENCES batch_upgrade_operations (id) ON DELETE CASCADE,
  device_id uuid NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  reason text NOT NULL,
  detail text NOT NULL,
  CONSTRAINT batch_skipped_devices_pkey PRIMARY KEY (batch_id, device_id)
);

ALTER TABLE upgrade_operations
  ADD COLUMN batch_id uuid REFERENCES batch_upgrade_operations (id) ON DELETE SET NULL,
  ADD COLUMN stage integer NOT NULL DEFAULT 0,
  -- Replaced by a retry: counts of its batch look at the retry instead.
  ADD COLUMN retried boolean NOT NULL DEFAULT false,
  -- Times the device could not be reached while its batch waits for offline devices.
  ADD COLUMN offline_waits integer NOT NULL DEFAULT 0;
CREATE INDEX upgrade_operations_batch_due_idx ON upgrade_operations (batch_id, stage, next_attempt_at) WHERE status = 'pending';
CREATE INDEX upgrade_operations_batch_running_idx ON upgrade_operations (batch_id) WHERE status = 'in-progress';
CREATE INDEX upgrade_operations_batch_idx ON upgrade_operations (batch_id, created);
CREATE INDEX upgrade_operations_single_due_idx ON upgrade_operations (next_attempt_at) WHERE status = 'pending' AND batch_id IS NULL;

-- Every change worth showing live. Written by the triggers below (operations, log lines) and by
-- the rollout controller (batch aggregates); read in id order by every API process's event pump
-- (src/platform/events.ts), and replayed to clients that resume with Last-Event-ID. Old events are purged.
CREATE TABLE events (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  type text NOT NULL CHECK (type IN ('operation', 'log', 'batch')),
  organization_id uuid,
  batch_id uuid,
  operation_id uuid,
  device_id uuid,
  data jsonb NOT NULL
);
CREATE INDEX events_at_idx ON events (at);

-- What an operation event carries (the fields a progress view needs; the log comes as 'log' events).
CREATE FUNCTION fleetflash_operation_event_data(n upgrade_operations, device_name text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', n.id, 'device', n.device_id, 'device_name', device_name, 'batch', n.batch_id, 'stage', n.stage,
    'status', n.status, 'progress', n.progress, 'attempt', n.attempt, 'error_code', n.error_code,
    'flash_started', n.flash_started_at IS NOT NULL,
    'next_attempt_at', CASE WHEN n.status = 'pending' THEN n.next_attempt_at END,
    'modified', n.modified)
$$;

CREATE FUNCTION fleetflash_operation_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO events (type, organization_id, batch_id, operation_id, device_id, data)
    SELECT 'operation', d.organization_id, n.batch_id, n.id, n.device_id, fleetflash_operation_event_data(n, d.name)
    FROM new_rows n JOIN devices d ON d.id = n.device_id
    ORDER BY n.created, n.id;
  ELSE
    -- Only changes a viewer sees: lease renewals and bookkeeping columns publish nothing.
    INSERT INTO events (type, organization_id, batch_id, operation_id, device_id, data)
    SELECT 'operation', d.organization_id, n.batch_id, n.id, n.device_id, fleetflash_operation_event_data(n, d.name)
    FROM new_rows n
    JOIN old_rows o ON o.id = n.id
    JOIN devices d ON d.id = n.device_id
    WHERE (o.status, o.progress, o.attempt, o.error_code, o.flash_started_at, o.next_attempt_at)
      IS DISTINCT FROM (n.status, n.progress, n.attempt, n.error_code, n.flash_started_at, n.next_attempt_at)
    ORDER BY n.created, n.id;
  END IF;
  IF FOUND THEN PERFORM pg_notify('fleetflash_events', ''); END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER upgrade_operations_update_events AFTER UPDATE ON upgrade_operations
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fleetflash_operation_events();
CREATE TRIGGER upgrade_operations_insert_events AFTER INSERT ON upgrade_operations
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fleetflash_operation_events();

CREATE FUNCTION fleetflash_log_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO events (type, organization_id, batch_id, operation_id, device_id, data)
  SELECT 'log', d.organization_id, o.batch_id, o.id, o.device_id, jsonb_build_object(
    'operation', n.operation_id, 'seq', n.seq, 'at', n.at, 'level', n.level, 'message', n.message)
  FROM new_rows n
  JOIN upgrade_operations o ON o.id = n.operation_id
  JOIN devices d ON d.id = o.device_id
  ORDER BY n.operation_id, n.seq;
  IF FOUND THEN PERFORM pg_notify('fleetflash_events', ''); END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER upgrade_operation_logs_events AFTER INSERT ON upgrade_operation_logs
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fleetflash_log_events();
