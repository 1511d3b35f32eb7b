import { SignetError } from "./errors.js";
import { defaultRetries, type RetrySettings } from "./retry.js";
import { query, segment, Transport, type Call } from "./transport.js";
import {
  RawJson,
  type Attempt,
  type AttemptQuery,
  type BatchItem,
  type CreatedWorkspace,
  type Emitted,
  type Endpoint,
  type EndpointStats,
  type EventDetail,
  type EventType,
  type EventTypeDefinition,
  type NewEvent,
  type Page,
  type Recovery,
  type Session,
  type StatsPeriod,
  type Workspace,
} from "./types.js";

export interface SignetOptions {
  /** The API's URL, e.g. `http://127.0.0.1:8080` or the stack's `ApiUrl` output. */
  baseUrl: string;
  /** The admin key, or a workspace's ingest key, sent as `Authorization: Bearer …`. */
  apiKey: string;
  /** How long one request may take (default 30 s; Signet answers within 25 s). */
  timeoutMs?: number;
  retries?: Partial<RetrySettings>;
  /** Your own fetch (a proxy agent, instrumentation); the global one by default. */
  fetch?: typeof fetch;
  /** How to wait between retries; tests pass one that records instead of sleeping. */
  sleep?: (ms: number) => Promise<void>;
}

/** The most events one batch may hold. */
export const MAX_BATCH = 100;

/**
 * A client of Signet's HTTP API for a product backend, on the platform's fetch (Node 18+, browsers,
 * workers). The admin key manages workspaces, sessions, endpoints and their statistics, the delivery
 * log and the event type catalog, and reads the egress addresses; a workspace's ingest key emits its events.
 *
 * ```ts
 * const admin = new Signet({ baseUrl: process.env.SIGNET_API_URL!, apiKey: process.env.SIGNET_ADMIN_KEY! });
 * const ws = await admin.workspaces.create({ name: "Casterly", id: "casterly" });
 * const { id } = await admin.withApiKey(ws.ingestKey).events.emit({ event: "order.completed", payload: { order_id: "ord_lannister_77" } });
 * ```
 */
export class Signet {
  readonly events: Events;
  readonly workspaces: Workspaces;
  readonly endpoints: Endpoints;
  readonly deliveryLog: DeliveryLog;
  readonly eventTypes: EventTypes;
  private readonly transport: Transport;

  constructor(private readonly options: SignetOptions) {
    if (!options?.baseUrl || !/^https?:\/\/[^/]/i.test(options.baseUrl)) {
      throw new TypeError(`baseUrl must be an http(s) URL such as https://api.example.com, got ${options?.baseUrl}`);
    }
    if (!options.apiKey) {
      throw new TypeError("apiKey is required: the admin key, or a workspace's ingest key to emit events");
    }
    const f = options.fetch ?? globalThis.fetch;
    if (typeof f !== "function") {
      throw new TypeError("no fetch: use Node 18 or newer, or pass options.fetch");
    }
    this.transport = new Transport({
      baseUrl: options.baseUrl,
      apiKey: options.apiKey,
      timeoutMs: options.timeoutMs ?? 30_000,
      retries: { ...defaultRetries, ...options.retries },
      fetch: f,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    });
    this.events = new Events(this.transport);
    this.workspaces = new Workspaces(this.transport);
    this.endpoints = new Endpoints(this.transport);
    this.deliveryLog = new DeliveryLog(this.transport);
    this.eventTypes = new EventTypes(this.transport);
  }

  /** The same settings with another key, e.g. a workspace's ingest key. */
  withApiKey(apiKey: string): Signet {
    return new Signet({ ...this.options, apiKey });
  }

  /** The fixed public addresses deliveries leave from, for receivers that allowlist senders; [] when none. */
  async egressIps(): Promise<string[]> {
    return (await this.transport.send(get("/v1/egress"))).body.ips ?? [];
  }
}

/**
 * Emitting events, with the workspace's ingest key. Every emit carries an Idempotency-Key (a random
 * one unless you give yours), so the client may safely send it again after a lost answer.
 */
export class Events {
  constructor(private readonly transport: Transport) {}

  async emit(event: NewEvent, options: { idempotencyKey?: string } = {}): Promise<Emitted> {
    const { body } = await this.transport.send({
      method: "POST",
      path: "/v1/events",
      body: eventJson(event),
      idempotencyKey: options.idempotencyKey ?? newKey(),
      safeToRepeat: false,
    });
    return { id: body.id, deliveries: body.deliveries };
  }

  /** Up to 100 events at once: one result per event, in order (a bad item fails alone). */
  async emitBatch(events: NewEvent[], options: { idempotencyKey?: string } = {}): Promise<BatchItem[]> {
    if (events.length === 0 || events.length > MAX_BATCH) {
      throw new TypeError(`a batch holds 1 to ${MAX_BATCH} events, got ${events.length}`);
    }
    const { body } = await this.transport.send({
      method: "POST",
      path: "/v1/events/batch",
      body: `{"events":[${events.map(eventJson).join(",")}]}`,
      idempotencyKey: options.idempotencyKey ?? newKey(),
      safeToRepeat: false,
    });
    return (body.results as any[]).map((r) =>
      r.error ? { error: { code: r.error.code, message: r.error.message, ...(r.error.field ? { field: r.error.field } : {}) } }
        : { id: r.id, deliveries: r.deliveries },
    );
  }
}

/** Workspaces, their ingest keys and portal sessions, with the admin key. */
export class Workspaces {
  constructor(private readonly transport: Transport) {}

  /** A workspace; `id` is your own (1 to 64 of A-Z a-z 0-9 _ -) or generated (`ws_…`). 409 if it exists. */
  async create(input: { name: string; id?: string }): Promise<CreatedWorkspace> {
    const { body } = await this.transport.send(post("/v1/workspaces", { name: input.name, id: input.id }));
    return { ...workspace(body), ingestKey: body.ingest_key };
  }

  async get(workspaceId: string): Promise<Workspace> {
    return workspace((await this.transport.send(get(wsPath(workspaceId)))).body);
  }

  /** One page of workspaces, oldest first. */
  async list(options: { limit?: number; cursor?: string | null } = {}): Promise<Page<Workspace>> {
    const { body } = await this.transport.send(get(`/v1/workspaces${query({ limit: options.limit, cursor: options.cursor })}`));
    return page(body, workspace);
  }

  /** Every page of workspaces: `for await (const page of signet.workspaces.pages())`. */
  pages(options: { limit?: number } = {}): AsyncIterable<Page<Workspace>> {
    return pages((cursor) => this.list({ ...options, cursor }));
  }

  async delete(workspaceId: string): Promise<void> {
    await this.transport.send(del(wsPath(workspaceId)));
  }

  /** A new ingest key; the previous one stops working at once. */
  async rotateIngestKey(workspaceId: string): Promise<string> {
    return (await this.transport.send(post(`${wsPath(workspaceId)}/ingest-keys`, undefined))).body.ingest_key;
  }

  /** A portal session, valid for `ttlSeconds` (60 to 86400; server default 900). */
  async createSession(workspaceId: string, options: { ttlSeconds?: number } = {}): Promise<Session> {
    const { body } = await this.transport.send(post(`${wsPath(workspaceId)}/sessions`, { ttl_seconds: options.ttlSeconds }));
    return { token: body.token, expiresAt: body.expires_at, portalUrl: body.portal_url };
  }

  /** Ends every portal session of the workspace at once. */
  async revokeSessions(workspaceId: string): Promise<void> {
    await this.transport.send(del(`${wsPath(workspaceId)}/sessions`));
  }
}

/** A workspace's endpoints as the admin key sees them: read, enable, disable, delete, and their hourly statistics. */
export class Endpoints {
  constructor(private readonly transport: Transport) {}

  async list(workspaceId: string): Promise<Endpoint[]> {
    return ((await this.transport.send(get(`${wsPath(workspaceId)}/endpoints`))).body.data as any[]).map(endpoint);
  }

  async get(workspaceId: string, endpointId: string): Promise<Endpoint> {
    return endpoint((await this.transport.send(get(epPath(workspaceId, endpointId)))).body);
  }

  enable(workspaceId: string, endpointId: string): Promise<Endpoint> {
    return this.setEnabled(workspaceId, endpointId, true);
  }

  disable(workspaceId: string, endpointId: string): Promise<Endpoint> {
    return this.setEnabled(workspaceId, endpointId, false);
  }

  async delete(workspaceId: string, endpointId: string): Promise<void> {
    await this.transport.send(del(epPath(workspaceId, endpointId)));
  }

  /** The endpoint's statistics over the last 24 hours, or the last 7 days. */
  async stats(workspaceId: string, endpointId: string, options: { period?: StatsPeriod } = {}): Promise<EndpointStats> {
    const b = (await this.transport.send(get(`${epPath(workspaceId, endpointId)}/stats${query({ period: options.period ?? "24h" })}`))).body;
    const counts = (c: any) => ({ succeeded: c?.succeeded ?? 0, failed: c?.failed ?? 0, deadLettered: c?.dead_lettered ?? 0 });
    return {
      period: b.period,
      bucketSeconds: b.bucket_seconds,
      buckets: ((b.buckets ?? []) as any[]).map((h) => ({ start: h.start, ...counts(h), durationMsAvg: h.duration_ms_avg ?? null })),
      totals: counts(b.totals),
    };
  }

  private async setEnabled(workspaceId: string, endpointId: string, enabled: boolean): Promise<Endpoint> {
    // Setting one field to a value is repeatable, so it is retried like a PUT.
    const call: Call = { method: "PATCH", path: epPath(workspaceId, endpointId), body: JSON.stringify({ enabled }), safeToRepeat: true };
    return endpoint((await this.transport.send(call)).body);
  }
}

/** The delivery log of a workspace, its events, and sending them again (retry, recover). */
export class DeliveryLog {
  constructor(private readonly transport: Transport) {}

  /** One page of attempts, newest first; pass the previous page's `nextCursor`, with the same query, for the next. */
  async attemptsPage(workspaceId: string, q: AttemptQuery = {}, cursor: string | null = null): Promise<Page<Attempt>> {
    const qs = query({ endpoint_id: q.endpointId, event_id: q.eventId, status: q.status, limit: q.limit, cursor });
    return page((await this.transport.send(get(`${wsPath(workspaceId)}/attempts${qs}`))).body, attempt);
  }

  /**
   * Every page of attempts, fetched as you iterate, until `nextCursor` is null. A page may be empty
   * and still have a next one (a page reads a bounded part of the log), so keep iterating.
   */
  attempts(workspaceId: string, q: AttemptQuery = {}): AsyncIterable<Page<Attempt>> {
    return pages((cursor) => this.attemptsPage(workspaceId, q, cursor));
  }

  async event(workspaceId: string, eventId: string): Promise<EventDetail> {
    const b = (await this.transport.send(get(evtPath(workspaceId, eventId)))).body;
    return {
      id: b.id,
      event: b.event,
      createdAt: b.created_at,
      resource: b.resource ?? null,
      resourceId: b.resource_id ?? null,
      payload: b.payload,
      deliveries: ((b.deliveries ?? []) as any[]).map((d) => ({ endpointId: d.endpoint_id, status: d.status, attempts: d.attempts })),
    };
  }

  /** Queues the event again: to one endpoint it went to, or to all that still exist and are enabled. Returns how many. */
  async retry(workspaceId: string, eventId: string, options: { endpointId?: string } = {}): Promise<number> {
    const { body } = await this.transport.send(post(`${evtPath(workspaceId, eventId)}/retry`, { endpoint_id: options.endpointId }));
    return body?.queued ?? 0;
  }

  /**
   * Queues again every event whose delivery to the endpoint failed in `[since, until]` (until:
   * now), once each. When one request cannot queue the whole window the server answers with
   * `resume_since`; this follows it until the window is done.
   */
  async recover(workspaceId: string, endpointId: string, window: { since: string | Date; until?: string | Date }): Promise<Recovery> {
    const until = window.until === undefined ? undefined : iso(window.until);
    let since = iso(window.since);
    let queued = 0;
    for (let requests = 1; ; requests++) {
      const { body } = await this.transport.send(post(`${epPath(workspaceId, endpointId)}/recover`, { since, until }));
      queued += body.queued ?? 0;
      const resume: string | undefined = body.resume_since ?? undefined;
      if (resume === undefined) {
        return { queued, requests };
      }
      if (!(Date.parse(resume) > Date.parse(since))) {
        // A server that does not move forward would keep us here for ever.
        throw new SignetError(`recover answered resume_since ${resume}, not later than since ${since}; stopped after queuing ${queued}`);
      }
      since = resume;
    }
  }
}

/** The product's event type catalog (one per deployment), with the admin key. */
export class EventTypes {
  constructor(private readonly transport: Transport) {}

  /** Creates or replaces the type `name` (e.g. `order.completed`). */
  async put(name: string, definition: EventTypeDefinition): Promise<EventType> {
    const call: Call = { method: "PUT", path: typePath(name), body: JSON.stringify(definition), safeToRepeat: true };
    return eventType((await this.transport.send(call)).body);
  }

  async get(name: string): Promise<EventType> {
    return eventType((await this.transport.send(get(typePath(name)))).body);
  }

  /** Every type, by name. */
  async list(): Promise<EventType[]> {
    return ((await this.transport.send(get("/v1/event-types"))).body.data as any[]).map(eventType);
  }

  /** Removes the type; endpoints subscribed to it keep their filter. */
  async delete(name: string): Promise<void> {
    await this.transport.send(del(typePath(name)));
  }
}

function get(path: string): Call {
  return { method: "GET", path, safeToRepeat: true };
}

function del(path: string): Call {
  return { method: "DELETE", path, safeToRepeat: true };
}

/** A POST that must not be repeated after an ambiguous failure (it would act twice). */
function post(path: string, body: Record<string, unknown> | undefined): Call {
  return body === undefined ? { method: "POST", path, safeToRepeat: false } : { method: "POST", path, body: JSON.stringify(body), safeToRepeat: false };
}

const wsPath = (ws: string) => `/v1/workspaces/${segment(ws)}`;
const epPath = (ws: string, ep: string) => `${wsPath(ws)}/endpoints/${segment(ep)}`;
const evtPath = (ws: string, evt: string) => `${wsPath(ws)}/events/${segment(evt)}`;
const typePath = (name: string) => `/v1/event-types/${segment(name)}`;
const iso = (t: string | Date) => (t instanceof Date ? t.toISOString().replace(/\.\d{3}Z$/, "Z") : t);

function eventJson(e: NewEvent): string {
  const head = JSON.stringify({ event: e.event, resource: e.resource, resource_id: e.resourceId });
  const payload = e.payload instanceof RawJson ? e.payload.json : JSON.stringify(e.payload);
  if (payload === undefined) {
    throw new TypeError("payload must be a JSON object");
  }
  return `${head.slice(0, -1)},"payload":${payload}}`;
}

function newKey(): string {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (c?.randomUUID) {
    return c.randomUUID();
  }
  // Node 18 has no global crypto without a flag; a key only has to be unique, not secret.
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

async function* pages<T>(fetchPage: (cursor: string | null) => Promise<Page<T>>): AsyncGenerator<Page<T>> {
  let cursor: string | null = null;
  do {
    const p: Page<T> = await fetchPage(cursor);
    yield p;
    cursor = p.nextCursor;
  } while (cursor !== null);
}

function page<T>(body: any, read: (n: any) => T): Page<T> {
  return { data: ((body.data ?? []) as any[]).map(read), nextCursor: body.next_cursor ?? null };
}

function workspace(b: any): Workspace {
  return { id: b.id, name: b.name, createdAt: b.created_at };
}

function endpoint(b: any): Endpoint {
  return {
    id: b.id,
    url: b.url,
    description: b.description ?? "",
    method: b.method,
    payloadFormat: b.payload_format,
    eventTypes: b.event_types ?? [],
    headers: b.headers ?? {},
    authType: b.auth?.type ?? null,
    timeoutSeconds: b.timeout_seconds,
    enabled: b.enabled,
    disabledReason: b.disabled_reason ?? null,
    disabledBy: b.disabled_by ?? null,
    signatureScheme: b.signature_scheme ?? null,
    secretHint: b.secret_hint ?? null,
    publicKey: b.public_key ?? null,
    createdAt: b.created_at,
    updatedAt: b.updated_at,
  };
}

function attempt(b: any): Attempt {
  return {
    id: b.id,
    eventId: b.event_id,
    endpointId: b.endpoint_id,
    attempt: b.attempt,
    status: b.status,
    responseStatus: b.response_status ?? null,
    responseBody: b.response_body ?? null,
    error: b.error ?? null,
    durationMs: b.duration_ms,
    createdAt: b.created_at,
    nextAttemptAt: b.next_attempt_at ?? null,
    url: b.url ?? null,
    trigger: b.trigger ?? null,
  };
}

function eventType(b: any): EventType {
  return {
    name: b.name,
    description: b.description ?? null,
    schema: b.schema ?? null,
    example: b.example ?? null,
    validate: b.validate === true,
    deprecated: b.deprecated === true,
    updatedAt: b.updated_at ?? null,
  };
}
