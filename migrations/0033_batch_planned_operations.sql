-- The operations of a large mass upgrade that are not written yet (docs/operations.md, "Large mass upgrades").
-- A launch writes its first operations itself and the rest here, in chunks in rollout order; the workers'
-- rollout controller turns each chunk into operations (one transaction per chunk, under the batch's lock),
-- so the launch answers in about a second whatever the fleet's size. The arrays are aligned: the n-th
-- device gets the n-th image (and its checksum) in the n-th stage. No foreign key on the devices and images:
-- a chunk leaves out a device deleted meanwhile and records a skip for one whose image was deleted.
CREATE TABLE batch_planned_operations (
  batch_id uuid NOT NULL REFERENCES batch_upgrade_operations (id) ON DELETE CASCADE,
  seq integer NOT NULL,
  device_ids uuid[] NOT NULL,
  image_ids uuid[] NOT NULL,
  image_sha256s text[] NOT NULL,
  stages integer[] NOT NULL,
  -- The first log line of each operation, with {stage} for its stage.
  message text NOT NULL,
  CONSTRAINT batch_planned_operations_pkey PRIMARY KEY (batch_id, seq),
  CONSTRAINT batch_planned_operations_aligned CHECK (
    cardinality(image_ids) = cardinality(device_ids) AND cardinality(image_sha256s) = cardinality(device_ids)
    AND cardinality(stages) = cardinality(device_ids)
  )
);

-- A cancel deletes the batch's planned chunks (they will never be written) and keeps how many devices of each
-- stage they held, counted as cancelled operations (n-th element: stage n).
ALTER TABLE batch_upgrade_operations ADD COLUMN planned_cancelled integer[];
