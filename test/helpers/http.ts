import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/** A multipart/form-data body for `inject`, built by hand so tests control every byte. */
export function multipart(
  parts: ({ name: string; value: string } | { name: string; fileName: string; content: Buffer })[],
): {
  payload: Buffer;
  headers: Record<string, string>;
} {
  const boundary = `----fleetflash${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if ('content' in part) {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; ` +
            `filename="${part.fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
      );
      chunks.push(part.content, Buffer.from('\r\n'));
    } else {
      chunks.push(
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export interface ApiClient {
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  put(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
  upload(
    url: string,
    parts: Parameters<typeof multipart>[0],
    extraHeaders?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
}

/** Requests as one caller: `authorization` is a header value such as "Bearer fft_…", or undefined for anonymous. */
export function client(app: FastifyInstance, authorization?: string): ApiClient {
  const headers = authorization ? { authorization } : {};
  const send = (method: 'POST' | 'PUT' | 'PATCH', url: string, body: unknown) =>
    app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: body as object }) });
  return {
    get: (url) => app.inject({ method: 'GET', url, headers }),
    post: (url, body) => send('POST', url, body),
    put: (url, body) => send('PUT', url, body),
    patch: (url, body) => send('PATCH', url, body),
    delete: (url) => app.inject({ method: 'DELETE', url, headers }),
    upload: (url, parts, extraHeaders = {}) => {
      const body = multipart(parts);
      return app.inject({
        method: 'POST',
        url,
        payload: body.payload,
        headers: { ...headers, ...body.headers, ...extraHeaders },
      });
    },
  };
}
