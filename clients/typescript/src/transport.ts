import { SignetApiError, SignetConnectionError } from "./errors.js";
import { delayBefore, parseRetryAfter, type RetrySettings } from "./retry.js";

/** What to send: `body` is JSON text already (payloads may be raw JSON, so the caller writes it). */
export interface Call {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  body?: string;
  idempotencyKey?: string;
  /** Safe to send again after an ambiguous failure (5xx, lost answer): reads, PUT, DELETE, set-a-value PATCH. */
  safeToRepeat: boolean;
}

export interface TransportSettings {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  retries: RetrySettings;
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
}

/** Connection errors Node's fetch reports when the request never left: any call may go again. */
const NEVER_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);

/**
 * One HTTP exchange with Signet, retried when that is safe. A 429 means nothing happened, and a
 * refused connection means the request never left, so both are retried for every call; a 5xx or a
 * lost answer is ambiguous (the server may have acted), so only calls safe to repeat go again.
 */
export class Transport {
  private readonly base: string;

  constructor(readonly settings: TransportSettings) {
    // A deployment's URL may carry a stage path: paths are appended to it, never resolved against it.
    this.base = settings.baseUrl.replace(/\/+$/, "");
  }

  async send(call: Call): Promise<{ status: number; body: any }> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.settings.apiKey}`,
      accept: "application/json",
    };
    if (call.body !== undefined) {
      headers["content-type"] = "application/json; charset=utf-8";
    }
    if (call.idempotencyKey !== undefined) {
      headers["idempotency-key"] = call.idempotencyKey;
    }
    const repeatable = call.safeToRepeat || call.idempotencyKey !== undefined;
    for (let retry = 0; ; retry++) {
      let response: Response;
      let text: string;
      try {
        const init: RequestInit = {
          method: call.method,
          headers,
          redirect: "manual",
          signal: AbortSignal.timeout(this.settings.timeoutMs),
        };
        if (call.body !== undefined) {
          init.body = call.body;
        }
        response = await this.settings.fetch(this.base + call.path, init);
        text = await response.text();
      } catch (e) {
        const wait = neverSent(e) || repeatable ? delayBefore(this.settings.retries, retry, undefined) : undefined;
        if (wait === undefined) {
          throw new SignetConnectionError(
            `${call.method} ${call.path} got no answer from ${this.base} (${describe(e)})` +
              (retry > 0 ? ` after ${retry} retries` : ""),
            { cause: e },
          );
        }
        await this.settings.sleep(wait);
        continue;
      }
      if (response.status >= 200 && response.status < 300) {
        return { status: response.status, body: text === "" ? null : parse(text) };
      }
      const error = apiError(response, text);
      const worthRetrying = response.status === 429 || (response.status >= 500 && repeatable);
      const wait = worthRetrying ? delayBefore(this.settings.retries, retry, error.retryAfterMs) : undefined;
      if (wait === undefined) {
        throw error;
      }
      await this.settings.sleep(wait);
    }
  }
}

function neverSent(e: unknown): boolean {
  const code = (e as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof code === "string" && NEVER_SENT.has(code);
}

function describe(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as { cause?: unknown }).cause;
    return cause instanceof Error ? `${e.message}: ${cause.message}` : `${e.name}: ${e.message}`;
  }
  return String(e);
}

function parse(text: string): any {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new SignetConnectionError(`Signet answered with a body that is not JSON: ${text.slice(0, 200)}`, { cause: e });
  }
}

function apiError(response: Response, text: string): SignetApiError {
  let error: any;
  try {
    error = JSON.parse(text)?.error;
  } catch {
    // A proxy's or load balancer's page: keep the status, say what came back.
  }
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  return new SignetApiError(
    response.status,
    str(error?.code) ?? "unknown",
    str(error?.message) ?? `HTTP ${response.status}: ${text.slice(0, 200)}`,
    str(error?.field),
    parseRetryAfter(response.headers.get("retry-after")),
  );
}

/** A path segment from a caller's value (an id, an event type), percent-encoded where a path needs it. */
export function segment(value: string): string {
  if (!value) {
    throw new TypeError("an id or name in the path must not be empty");
  }
  return encodeURIComponent(value).replace(/%3A/gi, ":");
}

/** `?a=1&b=2` from the defined values, or "". */
export function query(params: Record<string, string | number | undefined | null>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
  return parts.length === 0 ? "" : `?${parts.join("&")}`;
}
