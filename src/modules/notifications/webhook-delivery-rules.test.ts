import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { circuitAfterAttempt, circuitState, cooldownSeconds } from './webhook-circuit.js';
import { describeConnectionError } from './webhook-sender.js';
import { signWebhookBody, verifyWebhookSignature, webhookSignatureHeaders } from './webhook-signature.js';

const settings = { threshold: 3, cooldown: 60, cooldownMax: 3600 };
const now = new Date('2026-01-01T00:00:00Z');
const closed = { failures: 0, openings: 0, openUntil: null };
const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

describe('webhook signature', () => {
  it('signs exactly the timestamp text sent, and verifies over the raw header', () => {
    const body = '{"a":1}';
    const raw = createHmac('sha256', 'whsec_x').update(`1700000000.${body}`).digest('hex');
    expect(signWebhookBody('whsec_x', '1700000000', body)).toBe(`sha256=${raw}`);
    const header = signWebhookBody('whsec_x', '1700000000', body);
    // The same number written differently is other bytes: a receiver verifying the raw header refuses it.
    for (const reformatted of [' 1700000000', '1700000000.0', '01700000000', '1.7e9'])
      expect(verifyWebhookSignature('whsec_x', reformatted, body, header)).toBe(false);
    expect(verifyWebhookSignature('whsec_x', '1700000000', body, header)).toBe(true);
  });

  it("keeps one signature, the current secret's, in the signature header; the previous one beside it", () => {
    const headers = webhookSignatureHeaders('whsec_new', 'whsec_old', '1700000000', '{}');
    expect(headers).toEqual({
      'x-fleetflash-signature': signWebhookBody('whsec_new', '1700000000', '{}'),
      'x-fleetflash-signature-previous': signWebhookBody('whsec_old', '1700000000', '{}'),
    });
    // A receiver comparing the whole header with the current secret's signature accepts it.
    expect(verifyWebhookSignature('whsec_new', '1700000000', '{}', headers['x-fleetflash-signature']!)).toBe(true);
    expect(verifyWebhookSignature('whsec_old', '1700000000', '{}', headers['x-fleetflash-signature']!)).toBe(false);
    expect(verifyWebhookSignature('whsec_old', '1700000000', '{}', headers['x-fleetflash-signature-previous']!)).toBe(
      true,
    );
    expect(webhookSignatureHeaders('whsec_new', null, '1', '{}')).toEqual({
      'x-fleetflash-signature': signWebhookBody('whsec_new', '1', '{}'),
    });
  });
});

describe('webhook circuit', () => {
  it('opens after the threshold of consecutive failures, and a success resets the count', () => {
    let circuit = circuitAfterAttempt(closed, false, now, settings);
    circuit = circuitAfterAttempt(circuit, false, now, settings);
    expect(circuit).toMatchObject({ failures: 2, openUntil: null, opened: false });
    expect(circuitAfterAttempt(circuit, true, now, settings)).toEqual({ ...closed, opened: false });
    const opened = circuitAfterAttempt(circuit, false, now, settings);
    expect(opened).toEqual({ failures: 3, openings: 1, openUntil: later(60), opened: true });
    expect(circuitState(opened, now)).toBe('open');
    expect(circuitState(opened, later(60))).toBe('half-open');
  });

  it('only counts failures of attempts that were under way when it opened', () => {
    const open = { failures: 3, openings: 1, openUntil: later(60) };
    expect(circuitAfterAttempt(open, false, later(10), settings)).toEqual({ ...open, failures: 4, opened: false });
  });

  it('opens again for twice as long when the half-open attempt fails, up to the maximum; success closes it', () => {
    const halfOpen = { failures: 3, openings: 1, openUntil: now };
    expect(circuitAfterAttempt(halfOpen, false, now, settings)).toEqual({
      failures: 4,
      openings: 2,
      openUntil: later(120),
      opened: true,
    });
    expect([0, 1, 2, 5, 6, 10].map((openings) => cooldownSeconds(openings, settings))).toEqual([
      60, 120, 240, 1920, 3600, 3600,
    ]);
    expect(circuitAfterAttempt(halfOpen, true, now, settings)).toEqual({ ...closed, opened: false });
  });
});

describe('connection errors', () => {
  it('are told in our words, never with the text of the error (it can quote the other side)', () => {
    const error = (code: string | undefined, message: string) => Object.assign(new Error(message), { code });
    expect(describeConnectionError(error('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:80'))).toBe(
      'connection refused (ECONNREFUSED)',
    );
    expect(
      describeConnectionError(error('ERR_TLS_CERT_ALTNAME_INVALID', "Host: a. is not in the cert's altnames: DNS:x")),
    ).toBe('TLS failed (ERR_TLS_CERT_ALTNAME_INVALID)');
    expect(describeConnectionError(error('HPE_INVALID_CONSTANT', 'Expected HTTP/, got <secret>'))).toBe(
      'not a valid HTTP answer (HPE_INVALID_CONSTANT)',
    );
    expect(describeConnectionError(error('weird code <b>', 'anything'))).toBe('connection failed');
    expect(describeConnectionError(error(undefined, 'anything'))).toBe('connection failed');
  });
});
