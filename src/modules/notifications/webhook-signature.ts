import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The webhook signature (docs/api.md shows a receiver checking it): HMAC-SHA256, keyed with the
 * webhook's secret, of `<timestamp>.<body>`, where the timestamp is exactly the text sent in
 * `X-Fleetflash-Timestamp` (Unix seconds): the sender signs the string it sends, and a receiver
 * verifies over the header's raw bytes, so no parsing or formatting in between can make the two
 * differ. Signing the timestamp too lets a receiver refuse an old request replayed.
 */
export function signWebhookBody(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * The `X-Fleetflash-Signature` value: one signature per secret, comma-separated, the current
 * secret's first. After a rotation the previous secret signs too until the overlap ends, so a
 * receiver still holding it keeps accepting deliveries while it is switched over.
 */
export function webhookSignatureHeader(secrets: readonly string[], timestamp: string, body: string): string {
  return secrets.map((secret) => signWebhookBody(secret, timestamp, body)).join(',');
}

/**
 * The receiver's check (the tests use it as a receiver would): one of the header's signatures is
 * `secret`'s over the raw timestamp header and body, compared in constant time.
 */
export function verifyWebhookSignature(secret: string, timestamp: string, body: string, header: string): boolean {
  const expected = Buffer.from(signWebhookBody(secret, timestamp, body));
  return header.split(',').some((candidate) => {
    const given = Buffer.from(candidate.trim());
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}
