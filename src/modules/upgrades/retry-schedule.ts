/** Retry settings, in seconds (settings `retry_options.*`). */
export interface RetryOptions {
  maxRetries: number;
  retryBackoff: number;
  retryBackoffMax: number;
  retryJitter: boolean;
}

/**
 * Seconds to wait after failed attempt number `attempt` (1-based): `retry_backoff` doubled per
 * attempt, capped at `retry_backoff_max`; with jitter, a random time between zero and that
 * ("full jitter"), so devices that failed together do not retry together.
 */
export function retryDelaySeconds(attempt: number, options: RetryOptions, random: () => number = Math.random): number {
  const exponential = options.retryBackoff * 2 ** Math.max(0, attempt - 1);
  const capped = Math.min(exponential, options.retryBackoffMax);
  return options.retryJitter ? random() * capped : capped;
}

/** Whether another attempt is allowed after `attempt` attempts (the first one plus `maxRetries` retries). */
export function canRetry(attempt: number, options: RetryOptions): boolean {
  return attempt <= options.maxRetries;
}
