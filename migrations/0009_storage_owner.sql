-- This installation's identity: one row, made once. The S3 storage backend writes the id into
-- <prefix>fleetflash-installation and refuses to start on a prefix another installation claimed, since
-- the hourly sweep deletes every stored object under its prefix that this database does not reference.
CREATE TABLE installation (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO installation DEFAULT VALUES;
