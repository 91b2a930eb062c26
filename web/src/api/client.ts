import createClient from 'openapi-fetch';
import type { paths } from './schema';

/**
 * The typed API client: paths, parameters and answers come from schema.d.ts, generated from the
 * server's OpenAPI document (`npm run gen:api`). The browser sends the session cookie itself.
 */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });

/** An error answer of the API: `detail` to show, `fields` to put next to form fields. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | null,
    readonly fields: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ErrorBody {
  detail?: unknown;
  code?: string;
  fields?: Record<string, string>;
}

/** Turns an error body (fleetflash's `{detail, code, fields}` or ASU's `{status, detail}`) into an ApiError. */
export function toApiError(status: number, body: unknown): ApiError {
  const error = (body ?? {}) as ErrorBody;
  let message = typeof error.detail === 'string' ? error.detail : `The server answered ${status}.`;
  const fields: Record<string, string> = { ...(error.fields ?? {}) };
  if (Array.isArray(error.detail)) {
    // ASU's 422: [{loc: ['body', 'packages', 0], msg}]
    for (const issue of error.detail as { loc?: unknown[]; msg?: string }[]) {
      const field = (issue.loc ?? []).slice(1).join('.');
      if (field) fields[field] ??= issue.msg ?? 'invalid';
    }
    message =
      Object.entries(fields)
        .map(([field, text]) => `${field}: ${text}`)
        .join(' ') || message;
  }
  if (status === 0) message = 'The server cannot be reached. Check your connection and try again.';
  return new ApiError(status, message, error.code ?? null, fields);
}

/**
 * The data of an openapi-fetch result, or an ApiError. Every call in the UI goes through this, so
 * errors are handled one way: shown next to the field or action they concern.
 */
export async function call<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await request;
  } catch {
    throw toApiError(0, null);
  }
  if (result.error !== undefined || !result.response.ok) throw toApiError(result.response.status, result.error);
  return result.data as T;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
