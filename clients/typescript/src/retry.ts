/** How the client retries a call that failed in a way worth retrying (429, 5xx, no connection). */
export interface RetrySettings {
  /** Retries after the first try (default 3; 0 never retries). */
  maxRetries: number;
  /** The first wait (default 500 ms); each next one doubles. */
  initialDelayMs: number;
  /** No wait is longer (default 20 s); a `Retry-After` above it ends the retries. */
  maxDelayMs: number;
}

export const defaultRetries: RetrySettings = { maxRetries: 3, initialDelayMs: 500, maxDelayMs: 20_000 };

/**
 * The wait before retry number `retry` (0 for the first), or undefined to stop. Without
 * `Retry-After`: a random point in the upper half of the exponential step ("equal jitter"), so
 * clients that failed together do not come back together, yet each waits at least half the step.
 */
export function delayBefore(
  settings: RetrySettings,
  retry: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number | undefined {
  if (retry >= settings.maxRetries) {
    return undefined;
  }
  if (retryAfterMs !== undefined) {
    return retryAfterMs > settings.maxDelayMs ? undefined : retryAfterMs;
  }
  const step = Math.min(settings.maxDelayMs, settings.initialDelayMs * 2 ** retry);
  const half = step / 2;
  return Math.round(half + random() * (step - half));
}

/** `Retry-After`: delay-seconds or an HTTP date, in milliseconds; undefined when unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) {
    return undefined;
  }
  const v = value.trim();
  if (/^\d+$/.test(v)) {
    return Number(v) * 1000;
  }
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
