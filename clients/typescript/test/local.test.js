// The client against a running Signet (local mode): SIGNET_API_URL and SIGNET_ADMIN_KEY say where.
// The Maven build runs this with a fresh stack (TypeScriptClientWorksAgainstLocalModeTest); by hand:
//   scripts/local, then SIGNET_API_URL=http://127.0.0.1:8080 SIGNET_ADMIN_KEY=… npm test
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { Signet, SignetApiError } from "../dist/index.js";

const api = process.env.SIGNET_API_URL;
const adminKey = process.env.SIGNET_ADMIN_KEY;
const skip = api && adminKey ? false : "set SIGNET_API_URL and SIGNET_ADMIN_KEY to run against local mode";

/** Polls `read` until `done` holds, failing with the last value after `ms`. */
async function eventually(read, done, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) {
      return value;
    }
    if (Date.now() > deadline) {
      assert.fail(`condition not met within ${ms} ms; last value: ${JSON.stringify(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("the TypeScript client against local mode", { skip }, () => {
  const workspaceId = `ts-${Date.now().toString(36)}`;
  const received = [];
  let answer = 204;
  let receiver;
  let admin;
  let ingest;
  let endpointId;

  before(async () => {
    receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        received.push({ id: req.headers["webhook-id"], body });
        res.writeHead(answer).end();
      });
    });
    await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    admin = new Signet({ baseUrl: api, apiKey: adminKey });
    const ws = await admin.workspaces.create({ name: "Casterly", id: workspaceId });
    assert.equal(ws.id, workspaceId);
    assert.match(ws.ingestKey, /\S{16,}/);
    ingest = admin.withApiKey(ws.ingestKey);
    // Customers create endpoints in the portal, with a session token; this does what the portal does.
    const session = await admin.workspaces.createSession(workspaceId, { ttlSeconds: 600 });
    assert.match(session.portalUrl, /\/portal#token=/);
    const created = await fetch(`${api}/v1/workspaces/${workspaceId}/endpoints`, {
      method: "POST",
      headers: { authorization: `Bearer ${session.token}`, "content-type": "application/json" },
      body: JSON.stringify({ url: `http://127.0.0.1:${receiver.address().port}/hooks` }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    endpointId = (await created.json()).id;
  });

  after(() => receiver?.close());

  const deliveredIds = () => received.map((r) => r.id);

  test("emits one event, with and without an Idempotency-Key; the same key gives the first answer again", async () => {
    const seed = { event: "order.completed", resource: "order", resourceId: "ord_lannister_77",
      payload: { order_id: "ord_lannister_77", total_cents: 12900, currency: "usd" } };
    const plain = await ingest.events.emit(seed);
    assert.match(plain.id, /^evt_/);
    assert.equal(plain.deliveries, 1);
    const keyed = await ingest.events.emit(seed, { idempotencyKey: `order-77-${workspaceId}` });
    const again = await ingest.events.emit(seed, { idempotencyKey: `order-77-${workspaceId}` });
    assert.deepEqual(again, keyed);
    assert.notEqual(keyed.id, plain.id);
    await eventually(() => deliveredIds(), (ids) => ids.includes(plain.id) && ids.includes(keyed.id));
    assert.equal(deliveredIds().filter((id) => id === keyed.id).length, 1);
  });

  test("emits a batch in which a bad item fails alone", async () => {
    const items = await ingest.events.emitBatch([
      { event: "order.completed", payload: { n: 1 } },
      { event: "not a valid name", payload: { n: 2 } },
      { event: "order.refunded", payload: { n: 3 } },
    ]);
    assert.equal(items.length, 3);
    assert.match(items[0].id, /^evt_/);
    assert.equal(items[1].error.code, "invalid_request");
    assert.equal(items[1].error.field, "events[1].event");
    assert.match(items[2].id, /^evt_/);
    await eventually(() => deliveredIds(), (ids) => ids.includes(items[0].id) && ids.includes(items[2].id));

    // With an Idempotency-Key, the same batch again gets the first answer and queues nothing more.
    const refunds = [{ event: "order.refunded", payload: { n: 4 } }, { event: "order.refunded", payload: { n: 5 } }];
    const keyed = await ingest.events.emitBatch(refunds, { idempotencyKey: `refunds-${workspaceId}` });
    assert.deepEqual(await ingest.events.emitBatch(refunds, { idempotencyKey: `refunds-${workspaceId}` }), keyed);
    assert.equal(keyed.length, 2);
    assert.ok(keyed.every((i) => /^evt_/.test(i.id) && i.deliveries === 1), JSON.stringify(keyed));
    assert.notEqual(keyed[0].id, keyed[1].id);
    await eventually(() => deliveredIds(), (ids) => keyed.every((i) => ids.includes(i.id)));
    assert.ok(keyed.every((i) => deliveredIds().filter((id) => id === i.id).length === 1));
  });

  test("pages the delivery log one attempt at a time, newest first, without repeats", async () => {
    const read = async () => {
      const all = [];
      let pages = 0;
      for await (const page of admin.deliveryLog.attempts(workspaceId, { endpointId, limit: 1 })) {
        pages++;
        all.push(...page.data);
      }
      return { all, pages };
    };
    // An attempt is logged just after the receiver answered: wait until the log holds every request received.
    const { all, pages } = await eventually(read, ({ all }) => all.length === received.length);
    assert.ok(all.length >= 6, `attempts: ${all.length}`);
    assert.ok(pages >= all.length);
    assert.equal(new Set(all.map((a) => a.id)).size, all.length);
    assert.deepEqual(new Set(all.map((a) => a.eventId)), new Set(deliveredIds()));
    assert.ok(all.every((a) => a.status === "succeeded" && a.endpointId === endpointId && a.responseStatus === 204));
    // Newest first means by attempt id (openapi.yaml, listAttempts): a ULID whose time is when the
    // attempt was due. createdAt is when it was made, which a queue wait can put out of that order.
    const ids = all.map((a) => a.id);
    assert.deepEqual([...ids].sort().reverse(), ids);
  });

  test("reads an event's detail and retries it with the same webhook-id", async () => {
    const e = await ingest.events.emit({ event: "order.completed", payload: { order_id: "ord_retry" } });
    const detail = await eventually(() => admin.deliveryLog.event(workspaceId, e.id), (d) => d.deliveries[0]?.status === "succeeded");
    assert.equal(detail.event, "order.completed");
    assert.deepEqual(detail.payload, { order_id: "ord_retry" });
    assert.deepEqual(detail.deliveries, [{ endpointId, status: "succeeded", attempts: 1 }]);

    assert.equal(await admin.deliveryLog.retry(workspaceId, e.id, { endpointId }), 1);
    await eventually(() => deliveredIds(), (ids) => ids.filter((id) => id === e.id).length === 2);
    assert.equal(await admin.deliveryLog.retry(workspaceId, e.id), 1);
    await eventually(() => deliveredIds(), (ids) => ids.filter((id) => id === e.id).length === 3);
    await assert.rejects(admin.deliveryLog.retry(workspaceId, "evt_nope"), (err) => err instanceof SignetApiError && err.status === 404);
  });

  test("recovers an event whose delivery failed, once the receiver is back", async () => {
    const since = new Date(Date.now() - 60_000);
    answer = 503;
    const e = await ingest.events.emit({ event: "order.completed", payload: { order_id: "ord_outage" } });
    await eventually(() => admin.deliveryLog.event(workspaceId, e.id), (d) => d.deliveries[0]?.status === "dead_lettered");
    const failures = deliveredIds().filter((id) => id === e.id).length;
    answer = 204;

    const recovery = await admin.deliveryLog.recover(workspaceId, endpointId, { since });
    assert.ok(recovery.queued >= 1, JSON.stringify(recovery));
    assert.equal(recovery.requests, 1);
    await eventually(() => deliveredIds(), (ids) => ids.filter((id) => id === e.id).length === failures + 1);
    await eventually(() => admin.deliveryLog.event(workspaceId, e.id), (d) => d.deliveries[0]?.status === "succeeded");
  });

  test("reads the endpoint's statistics hour by hour; they count what the log holds", async () => {
    const logged = async () => {
      const counts = { succeeded: 0, failed: 0 };
      for await (const page of admin.deliveryLog.attempts(workspaceId, { endpointId })) page.data.forEach((a) => counts[a.status]++);
      return counts;
    };
    // One outage (the recover test) dead-lettered one delivery; succeeded and failed match the log's attempts.
    const hourBefore = new Date().toISOString().slice(0, 13);
    const { day, log } = await eventually(async () => ({ day: await admin.endpoints.stats(workspaceId, endpointId), log: await logged() }),
      ({ day, log }) => day.totals.succeeded === log.succeeded && day.totals.failed === log.failed && day.totals.deadLettered === 1);
    const hourAfter = new Date().toISOString().slice(0, 13);
    assert.ok(log.succeeded >= 8 && log.failed >= 1, JSON.stringify(log));
    assert.equal(day.period, "24h");
    assert.equal(day.bucketSeconds, 3600);
    assert.equal(day.buckets.length, 24);
    const current = day.buckets.at(-1).start.slice(0, 13);
    assert.ok(current === hourBefore || current === hourAfter, `${current} is not the current hour`);
    day.buckets.forEach((b, i) => i > 0 && assert.equal(Date.parse(b.start) - Date.parse(day.buckets[i - 1].start), 3_600_000));
    const sum = (k) => day.buckets.reduce((n, b) => n + b[k], 0);
    assert.deepEqual({ succeeded: sum("succeeded"), failed: sum("failed"), deadLettered: sum("deadLettered") }, day.totals);
    assert.ok(day.buckets.every((b) => (b.succeeded + b.failed === 0) === (b.durationMsAvg === null)));

    const week = await admin.endpoints.stats(workspaceId, endpointId, { period: "7d" });
    assert.equal(week.period, "7d");
    assert.equal(week.buckets.length, 168);
    assert.deepEqual(week.totals, day.totals);
    await assert.rejects(admin.endpoints.stats(workspaceId, endpointId, { period: "1y" }),
      (e) => e instanceof SignetApiError && e.status === 400 && e.code === "invalid_request" && e.field === "period");
    await assert.rejects(admin.endpoints.stats(workspaceId, "ep_nope"), (e) => e instanceof SignetApiError && e.status === 404);
  });

  test("keeps the event type catalog, whose schema ingest enforces", async () => {
    const name = `${workspaceId}.invoice.paid`;
    const schema = { type: "object", required: ["invoice_id"], properties: { invoice_id: { type: "string" }, amount_cents: { type: "integer" } } };
    const example = { invoice_id: "inv_tyrell_3", amount_cents: 4200 };
    const put = await admin.eventTypes.put(name, { description: "An invoice was paid", schema, example, validate: true });
    assert.equal(put.name, name);
    assert.equal(put.validate, true);
    assert.deepEqual(put.example, example);
    assert.ok((await admin.eventTypes.list()).some((t) => t.name === name));
    assert.equal((await admin.eventTypes.get(name)).description, "An invoice was paid");
    await assert.rejects(admin.eventTypes.put(name, { description: "d", schema, example: { amount_cents: 1 } }),
      (e) => e instanceof SignetApiError && e.status === 400 && e.field === "example");

    // Ingest reads the catalog once per cache TTL (1 s in this test's stack).
    const refused = await eventually(
      () => ingest.events.emit({ event: name, payload: { invoice_id: "inv_1", amount_cents: "lots" } }).then(() => null, (e) => e),
      (e) => e !== null, 10_000);
    assert.ok(refused instanceof SignetApiError);
    assert.equal(refused.status, 400);
    assert.equal(refused.field, "payload/amount_cents");
    assert.equal((await ingest.events.emit({ event: name, payload: example })).deliveries, 1);

    await admin.eventTypes.delete(name);
    await assert.rejects(admin.eventTypes.get(name), (e) => e instanceof SignetApiError && e.status === 404);
  });

  test("reads, disables, enables and deletes the endpoint", async () => {
    const [listed] = await admin.endpoints.list(workspaceId);
    assert.equal(listed.id, endpointId);
    assert.match(listed.secretHint, /^whsec_/);
    const disabled = await admin.endpoints.disable(workspaceId, endpointId);
    assert.equal(disabled.enabled, false);
    assert.match(disabled.disabledReason, /operator/);
    assert.equal((await admin.endpoints.get(workspaceId, endpointId)).enabled, false);
    assert.equal((await admin.endpoints.enable(workspaceId, endpointId)).enabled, true);
    await admin.endpoints.delete(workspaceId, endpointId);
    await assert.rejects(admin.endpoints.get(workspaceId, endpointId), (e) => e instanceof SignetApiError && e.status === 404);
  });

  test("reads the egress addresses with the admin key or a session, not with an ingest key", async () => {
    // The stack's SIGNET_EGRESS_IPS (set by TypeScriptClientWorksAgainstLocalModeTest; unset: none).
    const expected = (process.env.SIGNET_EGRESS_IPS ?? "").split(",").filter((ip) => ip !== "");
    assert.deepEqual(await admin.egressIps(), expected);
    const session = await admin.workspaces.createSession(workspaceId, { ttlSeconds: 60 });
    assert.deepEqual(await admin.withApiKey(session.token).egressIps(), expected);
    await assert.rejects(ingest.egressIps(), (e) => e instanceof SignetApiError && e.status === 403 && e.code === "forbidden");
  });

  test("a rotated ingest key stops working at once; errors carry code and field", async () => {
    const key = await admin.workspaces.rotateIngestKey(workspaceId);
    await assert.rejects(ingest.events.emit({ event: "a", payload: {} }), (e) => e instanceof SignetApiError && e.status === 401 && e.code === "unauthorized");
    const rotated = admin.withApiKey(key);
    assert.equal((await rotated.events.emit({ event: "a", payload: {} })).deliveries, 0);
    await assert.rejects(rotated.events.emit({ event: "bad event", payload: {} }),
      (e) => e instanceof SignetApiError && e.status === 400 && e.code === "invalid_request" && e.field === "event");
  });

  test("lists the workspaces oldest first, page by page", async () => {
    const second = `${workspaceId}-second`;
    await admin.workspaces.create({ name: "Second", id: second });
    const ids = [];
    for await (const page of admin.workspaces.pages({ limit: 1 })) {
      assert.ok(page.data.length <= 1);
      ids.push(...page.data.map((w) => w.id));
    }
    assert.ok(ids.indexOf(workspaceId) >= 0 && ids.indexOf(workspaceId) < ids.indexOf(second), ids.join(","));
    assert.equal(new Set(ids).size, ids.length);
    await admin.workspaces.delete(second);
    const after = [];
    for await (const page of admin.workspaces.pages()) after.push(...page.data.map((w) => w.id));
    assert.ok(!after.includes(second));
  });

  test("revoking the sessions ends every session at once; a new one works", async () => {
    const session = await admin.workspaces.createSession(workspaceId, { ttlSeconds: 3600 });
    const read = (token) => fetch(`${api}/v1/workspaces/${workspaceId}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal((await read(session.token)).status, 200);
    await admin.workspaces.revokeSessions(workspaceId);
    assert.equal((await read(session.token)).status, 401);
    const fresh = await admin.workspaces.createSession(workspaceId, { ttlSeconds: 60 });
    assert.equal((await read(fresh.token)).status, 200);
    await assert.rejects(admin.workspaces.revokeSessions("no-such-workspace"),
      (e) => e instanceof SignetApiError && e.status === 404);
  });

  test("reads and deletes the workspace", async () => {
    assert.equal((await admin.workspaces.get(workspaceId)).name, "Casterly");
    await admin.workspaces.delete(workspaceId);
    await assert.rejects(admin.workspaces.get(workspaceId), (e) => e instanceof SignetApiError && e.code === "not_found");
  });
});

// A second stack (TypeScriptClientWorksAgainstLocalModeTest's LongRecoverWindow) whose endpoint has
// SIGNET_RECOVER_FAILED_EVENTS dead-lettered deliveries between SIGNET_RECOVER_SINCE and
// SIGNET_RECOVER_UNTIL, and whose every request step takes 10 s of its clock: recovering the window
// takes several calls. Nothing is delivered there; the Java test then counts what was queued.
const longWindow = process.env.SIGNET_RECOVER_API_URL ? {
  api: process.env.SIGNET_RECOVER_API_URL,
  adminKey: process.env.SIGNET_RECOVER_ADMIN_KEY,
  workspaceId: process.env.SIGNET_RECOVER_WORKSPACE,
  endpointId: process.env.SIGNET_RECOVER_ENDPOINT,
  since: process.env.SIGNET_RECOVER_SINCE,
  until: process.env.SIGNET_RECOVER_UNTIL,
  failed: Number(process.env.SIGNET_RECOVER_FAILED_EVENTS),
} : null;

describe("the TypeScript client recovering a window that takes several calls", { skip: longWindow ? false : "set SIGNET_RECOVER_* to run" }, () => {
  test("recover follows resume_since until every failed event of the window is queued", async () => {
    const operator = new Signet({ baseUrl: longWindow.api, apiKey: longWindow.adminKey });
    const recovery = await operator.deliveryLog.recover(longWindow.workspaceId, longWindow.endpointId,
      { since: new Date(longWindow.since), until: longWindow.until });
    assert.ok(recovery.requests > 1, JSON.stringify(recovery));
    assert.equal(recovery.queued, longWindow.failed);
  });
});
