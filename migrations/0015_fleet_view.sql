-- The fleet view (issue 17): mass upgrades of a selection of devices, and the reads of the device list.

-- A mass upgrade launched for chosen devices (the device list's bulk selection) keeps them: only these
-- were candidates. Null: the batch's filters alone chose (every batch before this migration).
ALTER TABLE batch_upgrade_operations ADD COLUMN device_ids uuid[];

-- The device list shows each device's newest operation (ORDER BY created DESC, id DESC LIMIT 1 per
-- device): with the id in the index that read stops at the first entry, ties included.
CREATE INDEX upgrade_operations_device_newest_idx ON upgrade_operations (device_id, created DESC, id DESC);
DROP INDEX upgrade_operations_device_idx;

-- "Offline" and "reachable" filter and sort by the last contact.
CREATE INDEX devices_last_seen_idx ON devices (organization_id, last_seen);
