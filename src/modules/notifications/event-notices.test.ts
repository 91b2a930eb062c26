import { describe, expect, it } from 'vitest';
import type { DispatchEvent } from './dispatch.repository.js';
import {
  batchNotice,
  buildNotices,
  failuresDigestNotice,
  foldedFailure,
  operationNotice,
  withFailures,
} from './event-notices.js';
import { retryDelaySeconds } from './notification-payload.js';
import { signWebhookBody, verifyWebhookSignature } from './webhook-signature.js';

const event = (overrides: Partial<DispatchEvent>): DispatchEvent => ({
  id: 7,
  type: 'batch',
  at: new Date('2026-01-02T03:04:05Z'),
  organizationId: 'org-1',
  organizationGone: false,
  batchId: null,
  operationId: null,
  buildHash: null,
  data: null,
  ...overrides,
});

describe('which events notify', () => {
  it('tells a batch entering paused, success, failed or cancelled, not a repeated or running status', () => {
    const paused = event({ batchId: 'b1', data: { status: 'paused', build_version: '23.05.3', pause_detail: 'Why.' } });
    expect(batchNotice(paused, 'in-progress')).toMatchObject({
      event: 'batch.paused',
      title: 'Mass upgrade to 23.05.3 paused',
      detail: 'Why.',
      link: '/batches/b1',
    });
    expect(batchNotice(paused, null)?.event).toBe('batch.paused');
    expect(batchNotice(paused, 'paused')).toBeNull();
    const success = event({ batchId: 'b1', data: { status: 'success', counts: { operations: 4, success: 4 } } });
    expect(batchNotice(success, 'in-progress')).toMatchObject({
      event: 'batch.finished',
      detail: '4 succeeded, 0 failed of 4 devices.',
    });
    expect(batchNotice(event({ batchId: 'b1', data: { status: 'in-progress' } }), 'paused')).toBeNull();
  });

  it('tells a failed or aborted operation once (by its dedupe key), not a running one', () => {
    const failed = event({
      type: 'operation',
      operationId: 'op1',
      data: { status: 'aborted', device_name: 'ap-1', error_code: 'unreachable' },
    });
    expect(operationNotice(failed)).toMatchObject({
      event: 'operation.failed',
      dedupeKey: 'operation.failed:op1',
      title: 'Upgrade of ap-1 aborted',
      detail: 'Error code: unreachable.',
      link: '/operations/op1',
    });
    expect(operationNotice(event({ type: 'operation', operationId: 'op1', data: { status: 'success' } }))).toBeNull();
  });

  it('words a failed configuration restore as a restore', () => {
    const failed = event({
      type: 'operation',
      operationId: 'op2',
      data: { status: 'failed', kind: 'restore', device_name: 'ap-2', error_code: 'restore-failed' },
    });
    expect(operationNotice(failed)).toMatchObject({
      title: 'Configuration restore of ap-2 failed',
      detail: 'Error code: restore-failed.',
    });
  });

  it('tells each firmware build waiting for a failed image build, unless it had failed already', () => {
    const failed = event({ type: 'build', buildHash: 'h1', data: { status: 'failed', error_code: 'PACKAGE_MISSING' } });
    const builds = [
      { buildId: 'fb1', version: '1.0', organizationId: 'org-1', target: 'ath79/generic', profile: 'c7' },
      { buildId: 'fb2', version: '2.0', organizationId: 'org-2', target: 'ath79/generic', profile: 'c7' },
    ];
    const notices = buildNotices(failed, 'started', builds);
    expect(notices.map((notice) => [notice.organizationId, notice.link])).toEqual([
      ['org-1', '/firmware/builds/fb1'],
      ['org-2', '/firmware/builds/fb2'],
    ]);
    expect(notices[0]?.title).toBe('Custom image for ath79/generic/c7 of build 1.0 failed');
    expect(buildNotices(failed, 'failed', builds)).toEqual([]);
  });
});

describe('delivery rules', () => {
  it('doubles the wait after each failed attempt, up to the maximum', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelaySeconds(attempt, 30, 200))).toEqual([30, 60, 120, 200, 200]);
  });

  it('signs timestamp and body with HMAC-SHA256, and the check refuses any change', () => {
    const signature = signWebhookBody('whsec_x', '1700000000', '{"a":1}');
    // HMAC-SHA256 of "1700000000.{"a":1}" with key "whsec_x" (openssl dgst -sha256 -hmac whsec_x).
    expect(signature).toBe('sha256=b3438763ab46d9634b9844c8722818eaf523f803db1327484c6067462a5fd6d1');
    expect(verifyWebhookSignature('whsec_x', '1700000000', '{"a":1}', signature)).toBe(true);
    expect(verifyWebhookSignature('whsec_x', '1700000001', '{"a":1}', signature)).toBe(false);
    expect(verifyWebhookSignature('whsec_x', '1700000000', '{"a":2}', signature)).toBe(false);
    expect(verifyWebhookSignature('whsec_y', '1700000000', '{"a":1}', signature)).toBe(false);
  });
});

describe('failures of a mass upgrade, folded', () => {
  const failed = (overrides: Partial<DispatchEvent> = {}) =>
    event({
      type: 'operation',
      operationId: 'op-1',
      batchId: 'b1',
      data: { status: 'aborted', device: 'dev-1', device_name: 'berlin-1', error_code: 'BOARD_MISMATCH' },
      ...overrides,
    });

  it('folds a failed or aborted operation of a batch, never one outside a batch or one still running', () => {
    expect(foldedFailure(failed())).toEqual({
      operationId: 'op-1',
      batchId: 'b1',
      organizationId: 'org-1',
      deviceId: 'dev-1',
      deviceName: 'berlin-1',
      status: 'aborted',
      errorCode: 'BOARD_MISMATCH',
      occurredAt: new Date('2026-01-02T03:04:05Z'),
      eventId: 7,
    });
    expect(foldedFailure(failed({ batchId: null }))).toBeNull();
    expect(foldedFailure(failed({ data: { status: 'in-progress', device_name: 'berlin-1' } }))).toBeNull();
    // Outside a batch it stays a notice of its own.
    expect(operationNotice(failed({ batchId: null }))?.event).toBe('operation.failed');
  });

  it('tells the count and names the first devices with their reasons', () => {
    const summary = {
      count: 1000,
      devices: [
        {
          operation: 'op-1',
          device: 'dev-1',
          device_name: 'berlin-1',
          status: 'aborted',
          error_code: 'BOARD_MISMATCH',
        },
        { operation: 'op-2', device: 'dev-2', device_name: 'berlin-2', status: 'failed', error_code: null },
      ],
    };
    const digest = failuresDigestNotice({ id: 'b1', organizationId: 'org-1', version: '24.10.0' }, summary);
    expect(digest).toEqual({
      event: 'batch.operations_failed',
      organizationId: 'org-1',
      dedupeKey: null,
      title: '1000 upgrades of the mass upgrade to 24.10.0 failed or aborted',
      detail: 'berlin-1 (aborted: BOARD_MISMATCH), berlin-2 (failed) and 998 more.',
      link: '/batches/b1',
      data: { batch: { id: 'b1', build_version: '24.10.0' }, failures: summary },
    });
    const one = { count: 1, devices: summary.devices.slice(0, 1) };
    expect(failuresDigestNotice({ id: 'b1', organizationId: null, version: null }, one).title).toBe(
      '1 upgrade of the mass upgrade to a build failed or aborted',
    );
    const paused = batchNotice(event({ batchId: 'b1', data: { status: 'paused', pause_detail: 'Paused.' } }), null)!;
    expect(withFailures(paused, one)).toMatchObject({
      event: 'batch.paused',
      detail: 'Paused. Failed or aborted: berlin-1 (aborted: BOARD_MISMATCH).',
      data: { failures: one },
    });
  });
});
