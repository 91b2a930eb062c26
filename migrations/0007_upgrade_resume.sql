-- Upgrades that flash even when the device already runs the image: the device firmware was set with
-- "installed": false. The upgrader still checks and logs whether the image is installed, but goes on.
ALTER TABLE upgrade_operations ADD COLUMN reinstall boolean NOT NULL DEFAULT false;
