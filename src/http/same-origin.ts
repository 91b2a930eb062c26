import type { FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors.js';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function isUnsafeMethod(method: string): boolean {
  return UNSAFE_METHODS.has(method);
}

/** The origin (scheme, host, port; a scheme's default port dropped, as browsers do) of a URL. */
function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/** A Host header as URLs write it (the scheme's default port dropped); null when it is no host. */
function hostOf(protocol: string, host: string): string | null {
  try {
    return new URL(`${protocol}://${host}`).host;
  } catch {
    return null;
  }
}

/**
 * What the request's own headers say about where it came from: `true` (our own pages), `false`
 * (another site) or `null` (they do not say). Browsers send Origin on every unsafe fetch and form;
 * "null" (sandboxed frames, privacy modes) tells nothing, so Sec-Fetch-Site and then Referer decide.
 */
function cameFromOwnPages(request: FastifyRequest, isOwn: (origin: string) => boolean): boolean | null {
  const origin = request.headers.origin;
  if (origin && origin !== 'null') {
    const sent = originOf(origin);
    return sent !== null && isOwn(sent);
  }
  const fetchSite = request.headers['sec-fetch-site'];
  if (typeof fetchSite === 'string') return fetchSite === 'same-origin';
  const referer = request.headers.referer;
  if (referer) {
    const sent = originOf(referer);
    return sent !== null && isOwn(sent);
  }
  return null;
}

/**
 * Refuses a cross-site request forgery: a request the browser made on another site's behalf, with
 * our session cookie attached (or a login, which would plant a session of the attacker's choosing).
 * SameSite=Lax stops most of these; this stops the rest, including sibling sites on the same
 * domain, which Lax treats as the same site. A request that proves nothing is refused too: every
 * browser says where an unsafe request comes from, so silence means a client that should use a token.
 */
export function assertSameOrigin(request: FastifyRequest, publicUrl: string | null): void {
  const hosts = [request.headers.host, request.host].filter((host): host is string => Boolean(host));
  // With public_url, whole origins are compared, scheme included: with "https://…", a page served over
  // plain HTTP on the same host (or a man in the middle injecting one) is another origin. The request's
  // own Host counts in the scheme it came with (X-Forwarded-Proto when the proxy is trusted).
  // Without it, only hosts are compared: behind a TLS proxy that is not trusted, the scheme the
  // browser used is unknown here.
  const isOwn = publicUrl
    ? (sent: string) =>
        sent === originOf(publicUrl) || hosts.some((host) => sent === originOf(`${request.protocol}://${host}`))
    : (sent: string) => hosts.some((host) => new URL(sent).host === hostOf(request.protocol, host));
  const verdict = cameFromOwnPages(request, isOwn);
  if (verdict === true) return;
  const why =
    verdict === false
      ? 'it came from another site'
      : 'it does not say where it came from (no Origin, Sec-Fetch-Site or Referer header)';
  throw new AppError(
    'CrossSiteRequest',
    `Cross-site request refused: ${why}. A session cookie only accepts changes from fleetflash's own pages; ` +
      'scripts should send "Authorization: Bearer <token>", or the Origin header of this server.',
  );
}
