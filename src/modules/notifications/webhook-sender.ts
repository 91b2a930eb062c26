import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { AddressPolicy } from '../../platform/address-policy.js';
import { type HostResolver, resolveWebhookHost } from './webhook-url.js';

/** One webhook POST: to an address the policy allows, within a time bound, redirects not followed. */

export interface WebhookRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  addresses: AddressPolicy;
  /** Resolves the receiver's name: the delivery worker's one shared resolver. */
  resolver: HostResolver;
  signal: AbortSignal;
}

export interface WebhookResult {
  /** A 2xx answer. */
  delivered: boolean;
  statusCode: number | null;
  error: string | null;
  /**
   * Ended before anything was sent, by our own rule (the receiver's address is not allowed): the
   * receiver was never contacted, so its circuit does not count the attempt.
   */
  unsent?: true;
}

/**
 * How much of an answer is read (and thrown away) before the connection is dropped. Nothing of the
 * body is kept: a receiver, or an internal service a URL points at, could put anything there, and
 * operators read the log. Only the status code, the timing and our own words are recorded.
 */
const MAX_ANSWER_BYTES = 64 * 1024;

/** Our timeout, told apart from the socket's own errors. */
class NoAnswerInTime extends Error {}

/**
 * Our own text for a failed connection: fixed words per error code (Node's and OpenSSL's codes are
 * constants), never the error's message, which can quote what the other side sent (a certificate's
 * names, a malformed answer).
 */
export function describeConnectionError(error: NodeJS.ErrnoException): string {
  if (error instanceof NoAnswerInTime) return error.message;
  const code = typeof error.code === 'string' && /^[A-Z0-9_]{1,64}$/.test(error.code) ? error.code : null;
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset by the receiver',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    ETIMEDOUT: 'connection timed out',
    EPIPE: 'connection closed by the receiver while sending',
    ABORT_ERR: 'aborted',
  };
  if (code && known[code]) return `${known[code]} (${code})`;
  if (code?.startsWith('HPE_')) return `not a valid HTTP answer (${code})`;
  if (code && (/CERT|TLS|SSL|SIGNATURE|ISSUER/.test(code) || code.startsWith('ERR_SSL'))) return `TLS failed (${code})`;
  return code ? `connection failed (${code})` : 'connection failed';
}

/** Our text for an answer that is not 2xx: its status and the standard reason, not the receiver's. */
function describeStatus(status: number): string {
  const redirect = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
  return `HTTP ${status} ${http.STATUS_CODES[status] ?? ''}`.trim() + redirect;
}

/**
 * `promise`, or a rejection as soon as `signal` aborts: an attempt stops waiting for its DNS answer
 * at once. The query itself is left to its timeout (the resolver is shared, so cancelling it would
 * end other attempts' queries too; the worker cancels it all when it stops).
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error('aborted'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export async function postWebhook(request: WebhookRequest): Promise<WebhookResult> {
  const url = new URL(request.url);
  // A name that does not resolve counts as the receiver's failure; an address our rule refuses does not.
  const resolving = resolveWebhookHost(url.hostname, request.addresses, request.resolver);
  const resolved = await untilAborted(resolving, request.signal).catch((error: Error) => ({
    failed: error.message,
  }));
  if ('failed' in resolved) return { delivered: false, statusCode: null, error: `not sent: ${resolved.failed}` };
  if ('refused' in resolved)
    return { delivered: false, statusCode: null, error: `not sent: ${resolved.refused}`, unsent: true };
  // Connect to the address just checked, not to whatever a second resolution would answer.
  const lookup: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) callback(null, [{ address: resolved.address, family: resolved.family }]);
    else callback(null, resolved.address, resolved.family);
  };
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<WebhookResult>((resolve) => {
    let settled = false;
    const finish = (result: WebhookResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const outgoing = transport.request(
      url,
      {
        method: 'POST',
        headers: {
          ...request.headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(request.body)),
          'user-agent': 'fleetflash-webhook',
        },
        lookup,
        signal: request.signal,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        const result: WebhookResult =
          status >= 200 && status < 300
            ? { delivered: true, statusCode: status, error: null }
            : { delivered: false, statusCode: status, error: describeStatus(status) };
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          // The status decides; an endless answer is not waited for.
          if (size > MAX_ANSWER_BYTES) {
            response.destroy();
            finish(result);
          }
        });
        response.on('end', () => finish(result));
        response.on('error', () => finish(result));
      },
    );
    const timer = setTimeout(() => {
      outgoing.destroy(new NoAnswerInTime(`no answer within ${request.timeoutMs / 1000} s`));
    }, request.timeoutMs);
    outgoing.on('error', (error: NodeJS.ErrnoException) =>
      finish({ delivered: false, statusCode: null, error: describeConnectionError(error) }),
    );
    outgoing.end(request.body);
  });
}
