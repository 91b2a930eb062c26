-- Every claim of due operations reads one of two narrower indexes: upgrade_operations_single_due_idx
-- (operations outside mass upgrades) or upgrade_operations_batch_due_idx (per batch and stage). The
-- index on every pending operation's next_attempt_at served no query, and cost one more index entry
-- per operation a launch writes (100,000 at once for a fleet of that size).
DROP INDEX upgrade_operations_due_idx;
