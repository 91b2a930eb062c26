-- What the mass-upgrade plan reads of a device that many devices share (its organization, OS, model,
-- board, how it is managed and reached, its firmware record): src/modules/upgrades/batch.repository.ts
-- groups a plan's devices by it, so that 100,000 devices come back as their id, name, location and the
-- number of their kind, not as 100,000 copies of the same texts (issue 14). A named type because
-- PostgreSQL hashes (groups, joins) a row value only when its type is named; an anonymous row is sorted.
CREATE TYPE fleetflash_candidate_kind AS (
  organization_id uuid,
  is_active boolean,
  os text,
  model text,
  board_name text,
  management text,
  has_address boolean,
  has_credentials boolean,
  has_firmware boolean,
  image_id uuid,
  installed boolean
);
