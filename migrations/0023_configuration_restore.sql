-- Restoring a configuration backup (issue 16 §1): an operation of its own kind in the same table as
-- upgrades, so it has the same statuses, log, lease, retries, cancel and proof of boot. A restore
-- installs no image: image_id is null and image_sha256 holds the archive's sha256.
ALTER TABLE upgrade_operations ADD COLUMN kind text NOT NULL DEFAULT 'upgrade' CHECK (kind IN ('upgrade', 'restore'));
-- The backup a restore puts back; null for upgrades, and once the backup is deleted (the restore then fails).
ALTER TABLE upgrade_operations ADD COLUMN backup_id uuid REFERENCES device_backups (id) ON DELETE SET NULL;
ALTER TABLE upgrade_operations ADD CONSTRAINT upgrade_operations_restore_check
  CHECK (kind = 'restore' OR backup_id IS NULL);
CREATE INDEX upgrade_operations_backup_idx ON upgrade_operations (backup_id) WHERE backup_id IS NOT NULL;
