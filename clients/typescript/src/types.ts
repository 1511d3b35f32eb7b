/** Timestamps are ISO-8601 UTC strings, as Signet sends them, e.g. `2026-04-17T18:22:00Z`. */
export type Timestamp = string;

/**
 * JSON text sent exactly as given, for a payload whose numbers must keep every digit (JavaScript
 * numbers cannot hold `12345678901234567890`). Must be one JSON object.
 */
export class RawJson {
  constructor(readonly json: string) {}
}

/** An event to emit: its type, its payload (a JSON object, or RawJson) and, optionally, the resource it is about. */
export interface NewEvent {
  event: string;
  payload: Record<string, unknown> | RawJson;
  resource?: string;
  resourceId?: string;
}

/** An accepted event: its id (the receivers' `webhook-id`) and how many deliveries were queued. */
export interface Emitted {
  id: string;
  deliveries: number;
}

/** One refused event of a batch; the others of the batch were still queued. */
export interface Rejected {
  error: { code: string; message: string; field?: string };
}

/** One result per event of a batch, in order: `"error" in item` tells a rejected one. */
export type BatchItem = Emitted | Rejected;

export interface Workspace {
  id: string;
  name: string;
  createdAt: Timestamp;
}

/** A new workspace and its ingest key, which Signet shows this once. */
export interface CreatedWorkspace extends Workspace {
  ingestKey: string;
}

/** A portal session: show `portalUrl` to the customer (a new window or an iframe). */
export interface Session {
  token: string;
  expiresAt: Timestamp;
  portalUrl: string;
}

/** An endpoint as the admin key reads it: never a secret. Fields the server does not send are null. */
export interface Endpoint {
  id: string;
  url: string;
  description: string;
  method: string;
  payloadFormat: string;
  eventTypes: string[];
  headers: Record<string, string>;
  authType: string | null;
  timeoutSeconds: number;
  enabled: boolean;
  disabledReason: string | null;
  /** `operator`, `workspace`, `signet` or null. */
  disabledBy: string | null;
  signatureScheme: string | null;
  secretHint: string | null;
  publicKey: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

/** One delivery attempt. `url` and `trigger` are null from servers that do not report them yet. */
export interface Attempt {
  id: string;
  eventId: string;
  endpointId: string;
  attempt: number;
  status: "succeeded" | "failed" | string;
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
  durationMs: number;
  createdAt: Timestamp;
  nextAttemptAt: Timestamp | null;
  url: string | null;
  /** `event`, `retry`, `recover`, `test` or `redrive`. */
  trigger: string | null;
}

/** Which attempts to list; `limit` is the page size (server default 50). */
export interface AttemptQuery {
  endpointId?: string;
  eventId?: string;
  status?: "succeeded" | "failed";
  limit?: number;
}

export interface Delivery {
  endpointId: string;
  /** `pending`, `succeeded`, `failed` or `dead_lettered`. */
  status: string;
  attempts: number;
}

/**
 * One event as emitted and where its delivery to each endpoint stands. `payload` is parsed with
 * JSON.parse, so integers beyond 2^53 lose digits here (Signet itself stores and delivers them exactly).
 */
export interface EventDetail {
  id: string;
  event: string;
  createdAt: Timestamp;
  resource: string | null;
  resourceId: string | null;
  payload: unknown;
  deliveries: Delivery[];
}

/** What a recover queued in all, in how many requests (more than one when the server asked to resume). */
export interface Recovery {
  queued: number;
  requests: number;
}

export interface EventTypeDefinition {
  description: string;
  /** A JSON Schema (2020-12) the type's payloads follow. */
  schema?: unknown;
  /** An example payload; must satisfy the schema. */
  example?: unknown;
  /** Ingest refuses (400) a payload that fails the schema. */
  validate?: boolean;
  deprecated?: boolean;
}

export interface EventType {
  name: string;
  description: string | null;
  schema: unknown;
  example: unknown;
  validate: boolean;
  deprecated: boolean;
  updatedAt: Timestamp | null;
}

/** One page of a list: its items and the cursor of the next page, null on the last. */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** The span endpoint statistics cover: the last 24 hours (24 buckets) or the last 7 days (168). */
export type StatsPeriod = "24h" | "7d";

/** One hour from `start`; `durationMsAvg` averages the attempts that sent a request, null when none did. */
export interface StatsBucket {
  start: Timestamp;
  succeeded: number;
  failed: number;
  deadLettered: number;
  durationMsAvg: number | null;
}

/**
 * How an endpoint is doing, hour by hour: one bucket per hour of the period, oldest first, the
 * current hour last, empty hours included, and the period's totals. `succeeded` and `deadLettered`
 * count deliveries, `failed` counts failed attempts. The counts trail the delivery log by one
 * delivery invocation and are best effort.
 */
export interface EndpointStats {
  period: StatsPeriod;
  bucketSeconds: number;
  buckets: StatsBucket[];
  totals: { succeeded: number; failed: number; deadLettered: number };
}
