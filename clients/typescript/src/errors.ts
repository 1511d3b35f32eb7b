/** Anything that kept a Signet call from succeeding. */
export class SignetError extends Error {
  override name = "SignetError";
}

/**
 * Signet answered with an error: `{"error":{"code","message","field"?}}` and an HTTP status.
 * `code` is one of `invalid_request`, `unauthorized`, `forbidden`, `not_found`, `method_not_allowed`,
 * `conflict`, `payload_too_large`, `rate_limited`, `internal` (`unknown` when the body carried none,
 * e.g. a proxy's error page); the message tells a person what to fix.
 */
export class SignetApiError extends SignetError {
  override name = "SignetApiError";

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The request field the error is about, e.g. `url` or `payload/total_cents`. */
    readonly field: string | undefined,
    /** How long the server asked to wait (`Retry-After`), in milliseconds. */
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
  }
}

/**
 * No answer from Signet (connection failed, timed out), after the retries that were safe to make.
 * The request may or may not have been processed; an emit can be repeated with the same
 * Idempotency-Key without risk.
 */
export class SignetConnectionError extends SignetError {
  override name = "SignetConnectionError";

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
