import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Per-route helmet options, as @fastify/helmet reads them (set by hooks that run after its own). */
    helmet?: { contentSecurityPolicy: { useDefaults: boolean; directives: Record<string, string[] | null> } };
  }
}

/**
 * The web UI's Content-Security-Policy: everything from our own origin, nothing inline, no
 * framing. React sets `style` through the DOM (allowed); Vite may inline small images as data:
 * URLs. Live events (EventSource) and API calls are same-origin, so connect-src 'self' is enough.
 */
const UI_DIRECTIVES = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'connect-src': ["'self'"],
  'font-src': ["'self'", 'data:'],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
  // Not upgrade-insecure-requests: on a plain-HTTP LAN install it would send every asset to an https:// that
  // does not exist.
  'upgrade-insecure-requests': null,
};

/**
 * Swagger UI at /api/v1/docs needs more: it sets style attributes in its markup and shows its
 * icons and the validator badge as data: images. Still no inline or foreign script.
 */
export const DOCS_DIRECTIVES = {
  ...UI_DIRECTIVES,
  'style-src': ["'self'", "'unsafe-inline'"],
};

function serializeDirectives(directives: Record<string, string[] | null>): string {
  return Object.entries(directives)
    .filter(([, values]) => values !== null)
    .map(([name, values]) => `${name} ${values!.join(' ')}`)
    .join('; ');
}

/**
 * The headers helmet sets below, as a fixed set: for the answers written before any hook runs
 * (router errors, and the raw answers to requests Node's parser refused), which helmet never sees.
 */
export const STATIC_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': serializeDirectives(UI_DIRECTIVES),
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
};

/**
 * Security headers on every answer (API, UI, docs, errors): the CSP above, no framing (CSP
 * frame-ancestors and X-Frame-Options for older browsers), nosniff, and a Referrer-Policy that
 * keeps our URLs (which carry object ids) from other sites while our own pages still get
 * Referer and a real Origin (under "no-referrer" browsers send "Origin: null" on same-origin posts,
 * which the same-origin check could not use). HSTS is left to the TLS proxy in front, which knows
 * whether HTTPS is really in use.
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: UI_DIRECTIVES },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: false,
  });
}
