-- Operation events say what kind of operation they are about (`upgrade` or `restore`), so that
-- notifications word a failed configuration restore as a restore, not as an upgrade. The function
-- is 0003's, the only definition so far, with `kind` added.
CREATE OR REPLACE FUNCTION fleetflash_operation_event_data(n upgrade_operations, device_name text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', n.id, 'device', n.device_id, 'device_name', device_name, 'batch', n.batch_id, 'stage', n.stage,
    'kind', n.kind,
    'status', n.status, 'progress', n.progress, 'attempt', n.attempt, 'error_code', n.error_code,
    'flash_started', n.flash_started_at IS NOT NULL,
    'next_attempt_at', CASE WHEN n.status = 'pending' THEN n.next_attempt_at END,
    'modified', n.modified)
$$;
