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

/** An operation event notifies once, when the upgrade ends failed (after flashing) or aborted. */
export function operationNotice(event: DispatchEvent): Notice | null {
  const data = event.data;
  const status = text(data?.status);
  if (!data || !event.operationId || (status !== 'failed' && status !== 'aborted')) return null;
  const device = text(data.device_name) || 'a device';
  const code = text(data.error_code);
  return {
    event: 'operation.failed',
    organizationId: event.organizationId,
    dedupeKey: `operation.failed:${event.operationId}`,
    title: `Upgrade of ${device} ${status === 'failed' ? 'failed' : 'aborted'}`,
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
