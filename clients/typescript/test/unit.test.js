// The requests the client builds and how it reads answers, against a loopback server playing
// Signet: every route, answers a running stack seldom gives, and the retry rules. local.test.js runs
// every route against the real API.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { Signet, SignetApiError, SignetConnectionError, RawJson } from "../dist/index.js";
import { delayBefore, parseRetryAfter } from "../dist/retry.js";

let server;
let base;
let script = [];
let received = [];

before(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ method: req.method, target: req.url, headers: req.headers, body });
      const r = script.shift() ?? { status: 500, body: '{"error":{"code":"internal","message":"no reply scripted"}}' };
      res.writeHead(r.status, { "content-type": "application/json", ...(r.headers ?? {}) });
      res.end(r.body ?? "");
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});

after(() => server.close());

function client(options = {}) {
  script = [];
  received = [];
  const waits = [];
  const signet = new Signet({ baseUrl: base, apiKey: "sgn_admin_x", sleep: async (ms) => void waits.push(ms), ...options });
  return { signet, waits };
}
const reply = (status, body, headers) => script.push({ status, body: body === undefined ? "" : JSON.stringify(body), headers });
const last = () => received.at(-1);

test("emit sends the event with the ingest key and the given Idempotency-Key", async () => {
  const { signet } = client();
  reply(202, { id: "evt_01K", deliveries: 2 });
  const e = await signet.withApiKey("sgn_ik_casterly").events.emit(
    { event: "order.completed", resource: "order", resourceId: "ord_lannister_77", payload: { order_id: "ord_lannister_77", total_cents: 12900 } },
    { idempotencyKey: "order-77-completed" },
  );
  assert.deepEqual(e, { id: "evt_01K", deliveries: 2 });
  assert.equal(last().method, "POST");
  assert.equal(last().target, "/v1/events");
  assert.equal(last().headers.authorization, "Bearer sgn_ik_casterly");
  assert.equal(last().headers["idempotency-key"], "order-77-completed");
  assert.equal(last().headers["content-type"], "application/json; charset=utf-8");
  assert.equal(last().body, '{"event":"order.completed","resource":"order","resource_id":"ord_lannister_77","payload":{"order_id":"ord_lannister_77","total_cents":12900}}');
});

test("every emit gets its own generated Idempotency-Key, and a raw payload is sent byte for byte", async () => {
  const { signet } = client();
  reply(202, { id: "evt_1", deliveries: 0 });
  reply(202, { id: "evt_2", deliveries: 0 });
  const exact = '{"amount":12345678901234567890.000000000000000001}';
  await signet.events.emit({ event: "a", payload: new RawJson(exact) });
  await signet.events.emit({ event: "a", payload: {} });
  assert.equal(received[0].body, `{"event":"a","payload":${exact}}`);
  assert.ok(received[0].headers["idempotency-key"]);
  assert.notEqual(received[0].headers["idempotency-key"], received[1].headers["idempotency-key"]);
});

test("a batch answers one item per event, in order", async () => {
  const { signet } = client();
  reply(202, { results: [{ id: "evt_1", deliveries: 1 }, { error: { code: "invalid_request", message: "bad event", field: "event" } }] });
  const items = await signet.events.emitBatch([{ event: "a", payload: { n: 1 } }, { event: "b c", payload: {} }]);
  assert.deepEqual(items, [{ id: "evt_1", deliveries: 1 }, { error: { code: "invalid_request", message: "bad event", field: "event" } }]);
  assert.equal(last().target, "/v1/events/batch");
  assert.equal(last().body, '{"events":[{"event":"a","payload":{"n":1}},{"event":"b c","payload":{}}]}');
  await assert.rejects(signet.events.emitBatch([]), /1 to 100 events/);
});

test("workspaces are created, read, rotated and deleted", async () => {
  const { signet } = client();
  reply(201, { id: "casterly", name: "Casterly", created_at: "2026-04-17T18:22:00Z", ingest_key: "sgn_ik_1" });
  reply(200, { id: "casterly", name: "Casterly", created_at: "2026-04-17T18:22:00Z" });
  reply(201, { ingest_key: "sgn_ik_2" });
  reply(204);
  assert.deepEqual(await signet.workspaces.create({ name: "Casterly", id: "casterly" }),
    { id: "casterly", name: "Casterly", createdAt: "2026-04-17T18:22:00Z", ingestKey: "sgn_ik_1" });
  assert.equal(received[0].body, '{"name":"Casterly","id":"casterly"}');
  assert.deepEqual(await signet.workspaces.get("casterly"), { id: "casterly", name: "Casterly", createdAt: "2026-04-17T18:22:00Z" });
  assert.equal(await signet.workspaces.rotateIngestKey("casterly"), "sgn_ik_2");
  assert.equal(received[2].target, "/v1/workspaces/casterly/ingest-keys");
  await signet.workspaces.delete("casterly");
  assert.deepEqual([last().method, last().target], ["DELETE", "/v1/workspaces/casterly"]);
});

test("workspaces are listed page by page, following the cursor past an empty page", async () => {
  const { signet } = client();
  reply(200, { data: [{ id: "a", name: "A", created_at: "t" }], next_cursor: "c/1+" });
  reply(200, { data: [], next_cursor: "c2" });
  reply(200, { data: [{ id: "b", name: "B", created_at: "t" }], next_cursor: null });
  const ids = [];
  for await (const page of signet.workspaces.pages({ limit: 1 })) {
    ids.push(...page.data.map((w) => w.id));
  }
  assert.deepEqual(ids, ["a", "b"]);
  assert.deepEqual(received.map((r) => r.target), ["/v1/workspaces?limit=1", "/v1/workspaces?limit=1&cursor=c%2F1%2B", "/v1/workspaces?limit=1&cursor=c2"]);
});

test("sessions are minted with their portal URL and revoked together", async () => {
  const { signet } = client();
  reply(201, { token: "sgn_st_1", expires_at: "2026-04-17T18:37:00Z", portal_url: "https://x/portal#token=sgn_st_1" });
  reply(204);
  const s = await signet.workspaces.createSession("casterly", { ttlSeconds: 900 });
  assert.deepEqual(s, { token: "sgn_st_1", expiresAt: "2026-04-17T18:37:00Z", portalUrl: "https://x/portal#token=sgn_st_1" });
  assert.equal(received[0].body, '{"ttl_seconds":900}');
  await signet.workspaces.revokeSessions("casterly");
  assert.deepEqual([last().method, last().target], ["DELETE", "/v1/workspaces/casterly/sessions"]);
});

test("endpoints are read, disabled, enabled and deleted", async () => {
  const { signet } = client();
  const ep = { id: "ep_1", url: "https://h/x", description: "", method: "POST", payload_format: "envelope", event_types: ["order.completed"],
    headers: { "x-team": "billing" }, auth: { type: "bearer" }, timeout_seconds: 15, enabled: false, disabled_reason: "disabled by the operator",
    disabled_by: "operator", secret_hint: "whsec_…Jk3Q", created_at: "t1", updated_at: "t2" };
  reply(200, { data: [ep] });
  reply(200, ep);
  reply(200, ep);
  reply(204);
  const [read] = await signet.endpoints.list("casterly");
  assert.equal(read.authType, "bearer");
  assert.equal(read.disabledBy, "operator");
  assert.deepEqual(read.eventTypes, ["order.completed"]);
  assert.equal(read.publicKey, null);
  await signet.endpoints.disable("casterly", "ep_1");
  assert.deepEqual([last().method, last().target, last().body], ["PATCH", "/v1/workspaces/casterly/endpoints/ep_1", '{"enabled":false}']);
  await signet.endpoints.enable("casterly", "ep_1");
  assert.equal(last().body, '{"enabled":true}');
  await signet.endpoints.delete("casterly", "ep_1");
  assert.equal(last().method, "DELETE");
});

test("endpoint statistics are read for the period asked", async () => {
  const { signet } = client();
  const stats = (period) => ({
    period, bucket_seconds: 3600,
    buckets: [
      { start: "2026-04-17T17:00:00Z", succeeded: 0, failed: 0, dead_lettered: 0, duration_ms_avg: null },
      { start: "2026-04-17T18:00:00Z", succeeded: 12, failed: 3, dead_lettered: 1, duration_ms_avg: 41 },
    ],
    totals: { succeeded: 12, failed: 3, dead_lettered: 1 },
  });
  reply(200, stats("7d"));
  reply(200, stats("24h"));
  const week = await signet.endpoints.stats("casterly", "ep_1", { period: "7d" });
  assert.equal(last().method, "GET");
  assert.equal(last().target, "/v1/workspaces/casterly/endpoints/ep_1/stats?period=7d");
  assert.deepEqual(week, {
    period: "7d", bucketSeconds: 3600,
    buckets: [
      { start: "2026-04-17T17:00:00Z", succeeded: 0, failed: 0, deadLettered: 0, durationMsAvg: null },
      { start: "2026-04-17T18:00:00Z", succeeded: 12, failed: 3, deadLettered: 1, durationMsAvg: 41 },
    ],
    totals: { succeeded: 12, failed: 3, deadLettered: 1 },
  });
  assert.equal((await signet.endpoints.stats("casterly", "ep_1")).period, "24h");
  assert.equal(last().target, "/v1/workspaces/casterly/endpoints/ep_1/stats?period=24h");
});

test("the delivery log is paged with its filters", async () => {
  const { signet } = client();
  reply(200, { data: [{ id: "att_2", event_id: "evt_1", endpoint_id: "ep_1", attempt: 2, status: "failed", response_status: 503,
    response_body: "down", error: "receiver answered HTTP 503", duration_ms: 41, created_at: "t", next_attempt_at: "t2", url: "https://h/x", trigger: "event" }],
    next_cursor: "p2" });
  reply(200, { data: [], next_cursor: null });
  const pages = [];
  for await (const p of signet.deliveryLog.attempts("casterly", { endpointId: "ep_1", status: "failed", limit: 1 })) {
    pages.push(p);
  }
  assert.equal(pages.length, 2);
  assert.deepEqual(pages[0].data[0], { id: "att_2", eventId: "evt_1", endpointId: "ep_1", attempt: 2, status: "failed", responseStatus: 503,
    responseBody: "down", error: "receiver answered HTTP 503", durationMs: 41, createdAt: "t", nextAttemptAt: "t2", url: "https://h/x", trigger: "event" });
  assert.deepEqual(received.map((r) => r.target), ["/v1/workspaces/casterly/attempts?endpoint_id=ep_1&status=failed&limit=1",
    "/v1/workspaces/casterly/attempts?endpoint_id=ep_1&status=failed&limit=1&cursor=p2"]);
});

test("event detail, and retry to one endpoint or all", async () => {
  const { signet } = client();
  reply(200, { id: "evt_1", event: "order.completed", created_at: "t", resource: null, resource_id: null, payload: { n: 1 },
    deliveries: [{ endpoint_id: "ep_1", status: "dead_lettered", attempts: 8 }] });
  reply(202, { queued: 1 });
  reply(202, { queued: 3 });
  const d = await signet.deliveryLog.event("casterly", "evt_1");
  assert.deepEqual(d.deliveries, [{ endpointId: "ep_1", status: "dead_lettered", attempts: 8 }]);
  assert.deepEqual(d.payload, { n: 1 });
  assert.equal(await signet.deliveryLog.retry("casterly", "evt_1", { endpointId: "ep_1" }), 1);
  assert.equal(received[1].body, '{"endpoint_id":"ep_1"}');
  assert.equal(await signet.deliveryLog.retry("casterly", "evt_1"), 3);
  assert.equal(last().body, "{}");
});

test("recover follows resume_since until the window is done, and stops if it does not advance", async () => {
  const { signet } = client();
  reply(202, { queued: 5000, resume_since: "2026-04-17T09:30:00Z" });
  reply(202, { queued: 12 });
  const r = await signet.deliveryLog.recover("casterly", "ep_1", { since: new Date("2026-04-17T08:00:00Z"), until: "2026-04-17T12:00:00Z" });
  assert.deepEqual(r, { queued: 5012, requests: 2 });
  assert.deepEqual(received.map((x) => x.body), ['{"since":"2026-04-17T08:00:00Z","until":"2026-04-17T12:00:00Z"}',
    '{"since":"2026-04-17T09:30:00Z","until":"2026-04-17T12:00:00Z"}']);
  assert.equal(last().target, "/v1/workspaces/casterly/endpoints/ep_1/recover");

  reply(202, { queued: 1, resume_since: "2026-04-17T08:00:00Z" });
  await assert.rejects(signet.deliveryLog.recover("casterly", "ep_1", { since: "2026-04-17T08:00:00Z" }), /not later than since/);
});

test("the event type catalog is put, read, listed and deleted", async () => {
  const { signet } = client();
  const type = { name: "order.completed", description: "An order was paid", schema: { type: "object" }, example: { order_id: "o" },
    validate: true, deprecated: false, updated_at: "t" };
  reply(201, type);
  reply(200, type);
  reply(200, { data: [type] });
  reply(204);
  const put = await signet.eventTypes.put("order.completed", { description: "An order was paid", schema: { type: "object" }, example: { order_id: "o" }, validate: true });
  assert.deepEqual([received[0].method, received[0].target], ["PUT", "/v1/event-types/order.completed"]);
  assert.equal(received[0].body, '{"description":"An order was paid","schema":{"type":"object"},"example":{"order_id":"o"},"validate":true}');
  assert.equal(put.validate, true);
  assert.deepEqual(await signet.eventTypes.get("order.completed"), put);
  assert.deepEqual(await signet.eventTypes.list(), [put]);
  await signet.eventTypes.delete("order.completed");
  assert.equal(last().method, "DELETE");
});

test("egress addresses are listed; path segments are encoded", async () => {
  const { signet } = client();
  reply(200, { ips: ["203.0.113.7"] });
  reply(200, { name: "x" });
  assert.deepEqual(await signet.egressIps(), ["203.0.113.7"]);
  assert.equal(received[0].target, "/v1/egress");
  await signet.eventTypes.get("invoice:paid v2");
  assert.equal(last().target, "/v1/event-types/invoice:paid%20v2");
});

test("an error carries its status, code, message and field; a non-JSON error page keeps its status", async () => {
  const { signet } = client({ retries: { maxRetries: 0 } });
  reply(400, { error: { code: "invalid_request", message: "payload/total_cents must be an integer", field: "payload/total_cents" } });
  await assert.rejects(signet.events.emit({ event: "a", payload: {} }), (e) => {
    assert.ok(e instanceof SignetApiError);
    assert.deepEqual([e.status, e.code, e.message, e.field], [400, "invalid_request", "payload/total_cents must be an integer", "payload/total_cents"]);
    return true;
  });
  script.push({ status: 502, body: "<html>Bad Gateway</html>" });
  await assert.rejects(signet.workspaces.get("x"), (e) => e instanceof SignetApiError && e.status === 502 && e.code === "unknown" && /Bad Gateway/.test(e.message));
});

test("a 503 on an emit is retried with the same key; on a new session it is not", async () => {
  const { signet, waits } = client({ retries: { maxRetries: 3, initialDelayMs: 100, maxDelayMs: 5000 } });
  reply(503, { error: { code: "internal", message: "x" } });
  reply(202, { id: "evt_1", deliveries: 1 });
  await signet.events.emit({ event: "a", payload: {} });
  assert.equal(received.length, 2);
  assert.equal(received[0].headers["idempotency-key"], received[1].headers["idempotency-key"]);
  assert.equal(received[0].body, received[1].body);
  assert.equal(waits.length, 1);
  assert.ok(waits[0] >= 50 && waits[0] <= 100, `wait ${waits[0]}`);

  received = [];
  reply(500, { error: { code: "internal", message: "x" } });
  await assert.rejects(signet.workspaces.createSession("casterly"), (e) => e instanceof SignetApiError && e.status === 500);
  assert.equal(received.length, 1);
});

test("a 429 is retried for any call after its Retry-After; one longer than the cap is handed to the caller", async () => {
  const { signet, waits } = client({ retries: { maxRetries: 3, initialDelayMs: 100, maxDelayMs: 5000 } });
  reply(429, { error: { code: "rate_limited", message: "slow down" } }, { "retry-after": "2" });
  reply(201, { ingest_key: "k" });
  assert.equal(await signet.workspaces.rotateIngestKey("casterly"), "k");
  assert.deepEqual(waits, [2000]);

  reply(429, { error: { code: "rate_limited", message: "slow down" } }, { "retry-after": "60" });
  await assert.rejects(signet.events.emit({ event: "a", payload: {} }), (e) => e instanceof SignetApiError && e.retryAfterMs === 60000);
  assert.deepEqual(waits, [2000]);
});

test("a refused connection is retried, then reported as a connection error", async () => {
  const closed = createServer();
  await new Promise((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const port = closed.address().port;
  await new Promise((resolve) => closed.close(resolve));
  const waits = [];
  const signet = new Signet({ baseUrl: `http://127.0.0.1:${port}`, apiKey: "k", sleep: async (ms) => void waits.push(ms) });
  await assert.rejects(signet.workspaces.create({ name: "Casterly" }), (e) => e instanceof SignetConnectionError && /after 3 retries/.test(e.message));
  assert.equal(waits.length, 3);
});

test("waits grow exponentially within the upper half of each step, capped; Retry-After is seconds or a date", () => {
  const s = { maxRetries: 5, initialDelayMs: 400, maxDelayMs: 2000 };
  [400, 800, 1600, 2000, 2000].forEach((step, retry) => {
    assert.equal(delayBefore(s, retry, undefined, () => 0), step / 2);
    assert.equal(delayBefore(s, retry, undefined, () => 0.999999), step);
  });
  assert.equal(delayBefore(s, 5, undefined), undefined);
  assert.equal(parseRetryAfter("7"), 7000);
  assert.equal(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", Date.parse("2015-10-21T07:27:00Z")), 60000);
  assert.equal(parseRetryAfter("soon"), undefined);
});

test("a client without URL or key says what to set", () => {
  assert.throws(() => new Signet({ baseUrl: "ftp://x", apiKey: "k" }), /http\(s\) URL/);
  assert.throws(() => new Signet({ baseUrl: "http://127.0.0.1:8080", apiKey: "" }), /apiKey is required/);
});
