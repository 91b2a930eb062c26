/**
 * What the log must never keep from a URL: credentials a client put in it although fleetflash reads
 * them from headers only. Shared by the access log and the logger's `req` serializer, so that no line
 * (Fastify's own error lines included) prints a raw URL with a token in it.
 */

/** How every API token begins (accounts' auth service issues them with this prefix). */
export const API_TOKEN_PREFIX = 'fft_';

/** How the pull agent's device tokens begin (agent-tokens.ts). */
const AGENT_TOKEN_PREFIX = 'ffa_';

/**
 * Ticket URLs (`/agent/v1/images|backups/<operation>/<ticket>` of the pull agent, `/transfer/v1/images/…` of
 * image pulls over SSH): the last segment is a capability.
 */
const TICKET_PATH = /^(.*\/(?:agent\/v1\/(?:images|backups)|transfer\/v1\/images)\/[^/]*\/)[^/]+\/?$/;

/** Query parameters that may carry a credential by their name (`?token=…`, `?api_key=…`). */
const SECRET_PARAMETER = /token|key|secret|passw|auth|session|signature|credential/i;

/**
 * Whether a piece of URL holds something that looks like an API token, also when percent-encoded
 * (once or more: a token inside another parameter's value, e.g. a return URL, is encoded again).
 */
function holdsToken(text: string): boolean {
  let current = text;
  const tokenIn = (value: string) => {
    const lower = value.toLowerCase();
    return lower.includes(API_TOKEN_PREFIX) || lower.includes(AGENT_TOKEN_PREFIX);
  };
  for (let round = 0; round < 4; round += 1) {
    if (tokenIn(current)) return true;
    let decoded: string;
    try {
      decoded = decodeURIComponent(current.replace(/\+/g, ' '));
    } catch {
      // A malformed escape stops decoding; the escapes before it are decoded one by one.
      decoded = current.replace(/%([0-9a-f]{2})/gi, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    }
    if (decoded === current) return false;
    current = decoded;
  }
  return tokenIn(current);
}

function redactPair(pair: string): string {
  const equals = pair.indexOf('=');
  const rawName = equals === -1 ? pair : pair.slice(0, equals);
  if (holdsToken(rawName)) return '[redacted]';
  if (equals === -1) return pair;
  if (holdsToken(pair.slice(equals + 1))) return `${rawName}=[redacted]`;
  let name: string;
  try {
    name = decodeURIComponent(rawName.replace(/\+/g, ' '));
  } catch {
    // A name we cannot decode could hide anything: keep the name's text, never its value.
    return `${rawName}=[redacted]`;
  }
  return SECRET_PARAMETER.test(name) ? `${rawName}=[redacted]` : pair;
}

/**
 * The URL with every credential replaced by "[redacted]": the value of a credential-like query
 * parameter, any query value or path segment holding an API or agent token, a bare query item that does,
 * and the ticket of the agent's image and backup URLs.
 */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  const pathPart = queryStart === -1 ? url : url.slice(0, queryStart);
  const safePath = pathPart
    .replace(TICKET_PATH, '$1[redacted]')
    .split('/')
    .map((segment) => (holdsToken(segment) ? '[redacted]' : segment))
    .join('/');
  if (queryStart === -1) return safePath;
  return `${safePath}?${url
    .slice(queryStart + 1)
    .split('&')
    .map(redactPair)
    .join('&')}`;
}

/** A request as the logger's `req` serializer receives it: Fastify's request or Node's message. */
interface LoggedRequest {
  method?: string;
  url?: string;
  id?: unknown;
  ip?: string;
  socket?: { remoteAddress?: string };
}

/** pino's `req` serializer: the few fields worth a line, with the URL redacted. */
export function serializeRequest(request: LoggedRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: typeof request.url === 'string' ? redactUrl(request.url) : undefined,
    ...(request.id !== undefined ? { id: request.id } : {}),
    remoteAddress: request.ip ?? request.socket?.remoteAddress,
  };
}
