-- The build list also answers how many images each build has and how many devices run it (the
-- devices the caller sees): the list cache (migration 0010) must forget its pages when those change.
-- Statement triggers on the same channel, `fleetflash_catalog`:
-- - images added, changed or deleted;
-- - what devices run (a firmware record written, changed or deleted; deleting a device deletes its
--   record, so that is covered too);
-- - a device moved to another organization (who sees it). Only that column: devices are updated
--   often (last seen, addresses), and those updates change no count.
CREATE TRIGGER firmware_images_notify_catalog AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON firmware_images
  FOR EACH STATEMENT EXECUTE FUNCTION fleetflash_notify_catalog();

CREATE TRIGGER device_firmwares_notify_catalog AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON device_firmwares
  FOR EACH STATEMENT EXECUTE FUNCTION fleetflash_notify_catalog();

CREATE TRIGGER devices_organization_notify_catalog AFTER UPDATE OF organization_id ON devices
  FOR EACH STATEMENT EXECUTE FUNCTION fleetflash_notify_catalog();
