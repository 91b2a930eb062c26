import { BATCH_STATUS_EVENTS, type NotificationEvent } from './notification-events.js';
import type { DispatchEvent } from './dispatch.repository.js';

/**
 * Which events notify, and what they say. Pure: the dispatcher looks up what these need (the
 * previous status of the batch, the firmware builds an image build was for) and writes the result.
 */

export interface Notice {
  event: NotificationEvent;
  organizationId: string | null;
  /** Set where a subject can produce this notice once only. */
  dedupeKey: string | null;
  title: string;
  detail: string;
  link: string | null;
  data: Record<string, unknown>;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** A batch event notifies when the batch enters paused, success, failed or cancelled. */
export function batchNotice(event: DispatchEvent, previousStatus: string | null): Notice | null {
  const data = event.data;
  const status = text(data?.status);
  const kind = BATCH_STATUS_EVENTS[status];
  if (!data || !kind || !event.batchId || previousStatus === status) return null;
  const what = `Mass upgrade to ${text(data.build_version) || 'a build'}`;
  const titles: Record<string, string> = {
    'batch.paused': `${what} paused`,
    'batch.finished': `${what} finished`,
    'batch.failed': `${what} failed`,
    'batch.cancelled': `${what} cancelled`,
  };
  const counts = (data.counts ?? {}) as Record<string, unknown>;
  const tally =
    typeof counts.operations === 'number'
      ? `${counts.success ?? 0} succeeded, ${Number(counts.failed ?? 0) + Number(counts.aborted ?? 0)} failed of ` +
        `${counts.operations} devices.`
      : '';
  const detail = kind === 'batch.paused' ? text(data.pause_detail) || tally : tally;
  return {
    event: kind,
    organizationId: event.organizationId,
    dedupeKey: null,
    title: titles[kind]!,
    detail,
    link: `/batches/${event.batchId}`,
    data: { batch: data },
  };
}

/**
 * An operation event notifies once, when the upgrade or configuration restore ends failed (after
 * flashing) or aborted. Events written before migration 0028 carry no `kind`: they were upgrades'.
 */
export function operationNotice(event: DispatchEvent): Notice | null {
  const data = event.data;
  const status = text(data?.status);
  if (!data || !event.operationId || (status !== 'failed' && status !== 'aborted')) return null;
  const device = text(data.device_name) || 'a device';
  const code = text(data.error_code);
  const what = data.kind === 'restore' ? 'Configuration restore' : 'Upgrade';
  return {
    event: 'operation.failed',
    organizationId: event.organizationId,
    dedupeKey: `operation.failed:${event.operationId}`,
    title: `${what} of ${device} ${status === 'failed' ? 'failed' : 'aborted'}`,
    detail: code ? `Error code: ${code}.` : '',
    link: `/operations/${event.operationId}`,
    data: { operation: data },
  };
}

/** An image build that failed, told to each firmware build (and its organization) that waited for it. */
export function buildNotices(
  event: DispatchEvent,
  previousStatus: string | null,
  builds: { buildId: string; version: string; organizationId: string | null; target: string; profile: string }[],
): Notice[] {
  const data = event.data;
  if (!data || !event.buildHash || previousStatus === 'failed') return [];
  return builds.map((build) => ({
    event: 'build.failed',
    organizationId: build.organizationId,
    dedupeKey: null,
    title: `Custom image for ${build.target}/${build.profile} of build ${build.version} failed`,
    detail: [text(data.error_code), text(data.detail)].filter(Boolean).join(': '),
    link: `/firmware/builds/${build.buildId}`,
    data: {
      build: { request_hash: event.buildHash, error_code: data.error_code ?? null, detail: data.detail ?? null },
      firmware_build: { id: build.buildId, version: build.version },
      target: build.target,
      profile: build.profile,
    },
  }));
}

/** How many failed operations of a batch are named in a digest; the rest are counted. */
export const FOLD_SAMPLE = 5;

/** Failures of one batch told together: how many, the first few by name. */
export interface FailureSummary {
  count: number;
  devices: {
    operation: string;
    device: string | null;
    device_name: string;
    status: string;
    error_code: string | null;
  }[];
}

/**
 * A failed (or aborted) operation of a mass upgrade, to be folded into its batch's digest instead of
 * notifying alone; null for any other event (operations outside a batch keep `operation.failed`).
 */
export function foldedFailure(event: DispatchEvent) {
  const data = event.data;
  const status = text(data?.status);
  if (!data || event.type !== 'operation' || !event.batchId || !event.operationId) return null;
  if (status !== 'failed' && status !== 'aborted') return null;
  return {
    operationId: event.operationId,
    batchId: event.batchId,
    organizationId: event.organizationId,
    deviceId: text(data.device) || null,
    deviceName: text(data.device_name) || 'a device',
    status,
    errorCode: text(data.error_code) || null,
    occurredAt: event.at,
    eventId: event.id,
  };
}

/** "berlin-1 (aborted: BOARD_MISMATCH), berlin-2 (failed) and 998 more." */
function describeFailures(summary: FailureSummary): string {
  const named = summary.devices.map(
    (device) => `${device.device_name} (${device.status}${device.error_code ? `: ${device.error_code}` : ''})`,
  );
  const more = summary.count - named.length;
  return `${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}.`;
}

/** The digest of a batch's failed operations gathered over a fold window (`batch.operations_failed`). */
export function failuresDigestNotice(
  batch: { id: string; organizationId: string | null; version: string | null },
  summary: FailureSummary,
): Notice {
  const upgrades = summary.count === 1 ? '1 upgrade' : `${summary.count} upgrades`;
  return {
    event: 'batch.operations_failed',
    organizationId: batch.organizationId,
    dedupeKey: null,
    title: `${upgrades} of the mass upgrade to ${batch.version ?? 'a build'} failed or aborted`,
    detail: describeFailures(summary),
    link: `/batches/${batch.id}`,
    data: { batch: { id: batch.id, build_version: batch.version }, failures: summary },
  };
}

/**
 * A batch notice that also tells the batch's failures not told yet (fold window 0: no digest of its
 * own): `data.failures` as in the digest, and the devices in the detail.
 */
export function withFailures(notice: Notice, summary: FailureSummary): Notice {
  const failed = `Failed or aborted: ${describeFailures(summary)}`;
  return {
    ...notice,
    detail: notice.detail ? `${notice.detail} ${failed}` : failed,
    data: { ...notice.data, failures: summary },
  };
}
