import type { FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors.js';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function isUnsafeMethod(method: string): boolean {
  return UNSAFE_METHODS.has(method);
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

/**
 * What the request's own headers say about where it came from: `true` (our own pages), `false`
 * (another site) or `null` (they do not say). Browsers send Origin on every unsafe fetch and form;
 * "null" (sandboxed frames, privacy modes) tells nothing, so Sec-Fetch-Site and then Referer decide.
 */
function cameFromOwnPages(request: FastifyRequest, ownHosts: (string | undefined)[]): boolean | null {
  const origin = request.headers.origin;
  if (origin && origin !== 'null') {
    const host = hostOf(origin);
    return host !== null && ownHosts.includes(host);
  }
  const fetchSite = request.headers['sec-fetch-site'];
  if (typeof fetchSite === 'string') return fetchSite === 'same-origin';
  const referer = request.headers.referer;
  if (referer) {
    const host = hostOf(referer);
    return host !== null && ownHosts.includes(host);
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
  const ownHosts: (string | undefined)[] = publicUrl ? [hostOf(publicUrl) ?? undefined] : [];
  // "host:80" and "host" are one origin: URL parsing drops a scheme's default port, as Origin does.
  for (const host of [request.headers.host, request.host]) {
    if (host) ownHosts.push(host, hostOf(`http://${host}`) ?? undefined, hostOf(`https://${host}`) ?? undefined);
  }
  const verdict = cameFromOwnPages(request, ownHosts);
  if (verdict === true) return;
  const why = verdict === false ? 'it came from another site' : 'it does not say where it came from (no Origin, Sec-Fetch-Site or Referer header)';
  throw new AppError(
    'CrossSiteRequest',
    `Cross-site request refused: ${why}. A session cookie only accepts changes from fleetflash's own pages; ` +
      'scripts should send "Authorization: Bearer <token>", or the Origin header of this server.',
  );
}
