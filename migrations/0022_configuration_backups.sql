-- Configuration backups before every flash (issue 16 §1): the archive `sysupgrade -b` writes on the
-- router, fetched and kept in the content-addressed file store (the sha256 column is a reference
-- counted like firmware_images.sha256: src/database.ts BLOB_REFERENCES).

-- What an upgrade does when the backup fails: 'required' fails the upgrade before anything is
-- flashed, 'best-effort' goes on without one, 'off' takes none. Mass upgrades hand theirs to every
-- operation they create. Operations queued before this migration keep the safe default.
ALTER TABLE upgrade_operations ADD COLUMN backup_mode text NOT NULL DEFAULT 'required'
  CHECK (backup_mode IN ('required', 'best-effort', 'off'));
ALTER TABLE batch_upgrade_operations ADD COLUMN backup_mode text NOT NULL DEFAULT 'required'
  CHECK (backup_mode IN ('required', 'best-effort', 'off'));

CREATE TABLE device_backups (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Deleting a device deletes its backups; the use case releases their stored files after the commit.
  device_id uuid NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  -- The upgrade that took it; the backup outlives the operation's row (history is kept apart).
  operation_id uuid REFERENCES upgrade_operations (id) ON DELETE SET NULL,
  sha256 text NOT NULL,
  size bigint NOT NULL CHECK (size > 0),
  -- The release the device ran when the backup was taken (its description, e.g. "OpenWrt 23.05.2 r23630-…").
  release text NOT NULL,
  created timestamptz NOT NULL DEFAULT now()
);
-- One backup per operation: a later attempt of the same upgrade keeps the first (nothing was flashed between).
CREATE UNIQUE INDEX device_backups_operation_key ON device_backups (operation_id);
-- Listing a device's backups (newest first) and the retention's "last N per device".
CREATE INDEX device_backups_device_idx ON device_backups (device_id, created DESC, id DESC);
-- The retention's "older than M days", and reference counts of stored files.
CREATE INDEX device_backups_created_idx ON device_backups (created);
CREATE INDEX device_backups_sha256_idx ON device_backups (sha256);
