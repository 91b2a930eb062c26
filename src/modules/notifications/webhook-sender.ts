import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { AddressPolicy } from '../../platform/address-policy.js';
import { resolveWebhookHost } from './webhook-url.js';

/** One webhook POST: to an address the policy allows, within a time bound, redirects not followed. */

export interface WebhookRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  addresses: AddressPolicy;
  signal: AbortSignal;
}

export interface WebhookResult {
  /** A 2xx answer. */
  delivered: boolean;
  statusCode: number | null;
  error: string | null;
}

/** The part of a receiver's answer kept in the log: enough to see why it refused. */
const ANSWER_EXCERPT = 300;

export async function postWebhook(request: WebhookRequest): Promise<WebhookResult> {
  const url = new URL(request.url);
  const resolved = await resolveWebhookHost(url.hostname, request.addresses).catch((error: Error) => ({
    refused: error.message,
  }));
  if ('refused' in resolved) return { delivered: false, statusCode: null, error: `not sent: ${resolved.refused}` };
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
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < ANSWER_EXCERPT) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () => {
          if (status >= 200 && status < 300) return finish({ delivered: true, statusCode: status, error: null });
          const excerpt = Buffer.concat(chunks).toString('utf8').slice(0, ANSWER_EXCERPT).trim();
          const redirect = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
          const error = `HTTP ${status} ${response.statusMessage ?? ''}`.trim() + redirect;
          finish({ delivered: false, statusCode: status, error: excerpt ? `${error}: ${excerpt}` : error });
        });
        response.on('error', (error) => finish({ delivered: false, statusCode: status, error: error.message }));
      },
    );
    const timer = setTimeout(() => {
      outgoing.destroy(new Error(`no answer within ${request.timeoutMs / 1000} s`));
    }, request.timeoutMs);
    outgoing.on('error', (error: NodeJS.ErrnoException) =>
      finish({
        delivered: false,
        statusCode: null,
        error: error.code ? `${error.code}: ${error.message}` : error.message,
      }),
    );
    outgoing.end(request.body);
  });
}
