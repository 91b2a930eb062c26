import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The webhook signature (docs/api.md shows a receiver checking it): HMAC-SHA256, keyed with the
 * webhook's secret, of `<timestamp>.<body>`, where the timestamp (Unix seconds) is the one sent in
 * `X-Fleetflash-Timestamp`. Signing the timestamp too lets a receiver refuse an old request replayed.
 */
export function signWebhookBody(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The receiver's check, in constant time (the tests use it as a receiver would). */
export function verifyWebhookSignature(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = Buffer.from(signWebhookBody(secret, Number(timestamp), body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
