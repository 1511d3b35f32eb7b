// Signet's embedded portal. Plain JavaScript, no build step, no dependencies.
//
// Rules this file keeps:
// - The session token comes from the URL fragment, is removed from the address bar at once and lives
//   only in this module's memory: never in a query string, storage or a log.
// - Everything tenant-supplied (URLs, descriptions, receiver responses, payloads, error messages) is
//   rendered with textContent, never as HTML.
const session = readSession();
const apiBase = location.pathname.replace(/\/portal\/?$/, "");

let endpoints = [];
/** The deployment's event type catalog (GET /v1/event-types), by name; empty when there is none. */
let catalog = [];
/** The addresses deliveries leave from (GET /v1/egress), when the deployment has fixed ones. */
let egress = [];
let logCursor = null;
let logRequest = 0;
let expiryTimer = null;

// ---------------------------------------------------------------------------------------------------
// Small helpers

const $ = (id) => document.getElementById(id);

/** Builds an element; string children become text nodes (never markup). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "on") {
      for (const [event, fn] of Object.entries(value)) node.addEventListener(event, fn);
    } else if (name === "text") {
      node.textContent = value;
    } else {
      node.setAttribute(name, value === true ? "" : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Builds an SVG element (attributes only; SVG text content is set as text, never parsed). */
function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) if (child) node.append(child);
  return node;
}

/** Copies text to the clipboard, or selects it for the keyboard where a frame may not write it. */
async function copyText(text, selectable) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch (e) {
    if (selectable) {
      const range = document.createRange();
      range.selectNodeContents(selectable);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      try { return document.execCommand("copy"); } catch (e2) { return false; }
    }
    return false;
  }
}

/** A Copy button for a code block; it says what it did in its own text for a moment. */
function copyButton(pre, what) {
  const button = el("button", { type: "button", class: "copy", "aria-label": "Copy " + what }, "Copy");
  button.addEventListener("click", async () => {
    const ok = await copyText(pre.textContent, pre);
    button.textContent = ok ? "Copied" : "Press Ctrl+C";
    setTimeout(() => { button.textContent = "Copy"; }, 1500);
  });
  return button;
}

/** A scrolling code block with a Copy button: long lines scroll sideways instead of wrapping mid-word. */
function codeBox(text, what, attrs = {}) {
  const pre = el("pre", { tabindex: "0", "aria-label": what, ...attrs }, text);
  return el("div", { class: "code" }, copyButton(pre, what), pre);
}

/** Puts an existing <pre> of the page into a code box with a Copy button. */
function boxCode(pre, what) {
  if (pre.parentElement.classList.contains("code")) return;
  const box = el("div", { class: "code" });
  pre.replaceWith(box);
  box.append(copyButton(pre, what), pre);
}

/** Tells sighted and screen-reader users what just happened; a problem is styled and announced as one. */
function announce(message, problem = false) {
  const region = $("announce");
  region.textContent = "";
  region.classList.toggle("problem", problem);
  // Set after a tick so screen readers announce a message repeated twice.
  setTimeout(() => { region.textContent = message; }, 20);
}

function formatTime(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
}

function snippet(text, max = 500) {
  if (!text) return "";
  return text.length > max ? text.slice(0, max) + "…" : text;
}

function endpointLabel(id) {
  const ep = endpoints.find((e) => e.id === id);
  return ep ? ep.url : id;
}

// ---------------------------------------------------------------------------------------------------
// Session and API

function readSession() {
  const params = new URLSearchParams(location.hash.slice(1));
  const token = params.get("token");
  const workspace = params.get("workspace");
  const expires = params.get("expires");
  if (location.hash) {
    // Keep the token out of the address bar, history and anything that copies the URL.
    history.replaceState(null, "", location.pathname);
  }
  return token && workspace ? { token, workspace, expires } : null;
}

class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

async function api(method, path, body) {
  const init = {
    method,
    headers: { Authorization: "Bearer " + session.token, Accept: "application/json" },
    credentials: "omit",
    cache: "no-store",
    referrerPolicy: "no-referrer",
  };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    // Paths of the workspace are relative to it; "/v1/…" paths (the catalog, egress) are the deployment's.
    response = await fetch(apiBase + (path.startsWith("/v1/") ? path : "/v1/workspaces/" + encodeURIComponent(session.workspace) + path), init);
  } catch (e) {
    throw new ApiError(0, "network", "Signet could not be reached. Check your connection and try again.");
  }
  const text = await response.text();
  if (response.status === 401) {
    endSession("Your session has expired. Open this page again from your application to continue.");
    throw new ApiError(401, "unauthorized", "Your session has expired.");
  }
  if (!response.ok) {
    let error = {};
    try { error = JSON.parse(text).error || {}; } catch (e) { /* not JSON */ }
    throw new ApiError(response.status, error.code || "http_" + response.status,
      error.message || "The request failed (HTTP " + response.status + ").", error.field || null);
  }
  return { json: text ? JSON.parse(text) : null, text };
}

function endSession(message) {
  clearTimeout(expiryTimer);
  for (const dialog of document.querySelectorAll("dialog[open]")) dialog.close();
  for (const panel of document.querySelectorAll("[data-view-panel]")) panel.hidden = true;
  $("tabs").hidden = true;
  $("loading").hidden = true;
  $("ended-message").textContent = message;
  $("ended").hidden = false;
  $("session-info").textContent = "";
  $("main").focus();
}

// ---------------------------------------------------------------------------------------------------
// Navigation

function showView(name) {
  $("announce").textContent = "";
  for (const button of $("tabs").querySelectorAll("button")) {
    if (button.dataset.view === name) button.setAttribute("aria-current", "page");
    else button.removeAttribute("aria-current");
  }
  for (const panel of document.querySelectorAll("[data-view-panel]")) {
    panel.hidden = panel.dataset.viewPanel !== name;
  }
  if (name === "log") loadLog(true);
  if (name === "endpoints" && endpoints.length) loadAllStats();
}

// ---------------------------------------------------------------------------------------------------
// Endpoints

async function loadEndpoints() {
  const { json } = await api("GET", "/endpoints");
  endpoints = json.data || [];
  renderEndpoints();
  renderEndpointFilter();
}

function renderEndpoints() {
  const list = $("endpoint-list");
  list.replaceChildren(...endpoints.map(endpointCard));
  $("no-endpoints").hidden = endpoints.length > 0;
  loadAllStats();
}

function endpointCard(ep) {
  const titleId = "ep-title-" + ep.id;
  const state = ep.enabled
    ? el("span", { class: "badge ok" }, "Enabled")
    : el("span", { class: "badge off" }, "Disabled" + (ep.disabled_reason ? ": " + ep.disabled_reason : ""));
  const events = ep.event_types && ep.event_types.length ? ep.event_types.join(", ") : "All events";
  const result = el("div", { class: "test-result", "aria-live": "polite", "data-test-result": "" });
  const card = el("li", { class: "card", "data-endpoint": ep.id, "aria-labelledby": titleId },
    el("div", { class: "card-head" },
      el("h3", { id: titleId, class: "url" }, ep.url),
      state),
    ep.description ? el("p", { class: "description" }, ep.description) : null,
    el("dl", { class: "facts" },
      el("dt", {}, "Method"), el("dd", {}, ep.method),
      el("dt", {}, "Format"), el("dd", {}, ep.payload_format === "raw" ? "Raw payload" : "Envelope"),
      el("dt", {}, "Events"), el("dd", {}, events),
      ep.signature_scheme === "v1a"
        ? [el("dt", {}, "Public key"), el("dd", { "data-public-key": "" }, codeBox(ep.public_key || "", "public key of " + ep.url))]
        : [el("dt", {}, "Secret"), el("dd", { "data-secret-hint": "" }, el("code", {}, ep.secret_hint || ""))],
      el("dt", {}, "Timeout"), el("dd", {}, ep.timeout_seconds + " s"),
      el("dt", {}, "Auth"), el("dd", {}, authLabel(ep.auth && ep.auth.type)),
      ep.tls_client_certificate
        ? [el("dt", {}, "Client certificate"), el("dd", { "data-client-certificate": "" }, certificateLabel(ep.tls_client_certificate))]
        : null,
      Object.keys(ep.headers || {}).length
        ? [el("dt", {}, "Headers"), el("dd", {}, Object.entries(ep.headers).map(([k, v]) => k + ": " + v).join("; "))]
        : null),
    el("section", { class: "health", "data-health": ep.id, "aria-label": "Delivery health of " + ep.url },
      el("p", { class: "muted" }, "Loading delivery health…")),
    el("div", { class: "card-actions", role: "group", "aria-label": "Actions for " + ep.url },
      el("button", { type: "button", class: "primary", disabled: !ep.enabled, on: { click: () => sendTest(ep, result) } },
        "Send test event"),
      el("button", { type: "button", on: { click: () => openEndpointForm(ep) } }, "Edit"),
      el("button", { type: "button", on: { click: () => openRotate(ep) } }, ep.signature_scheme === "v1a" ? "Rotate key pair" : "Rotate secret"),
      el("button", { type: "button", on: { click: () => setEnabled(ep, !ep.enabled) } }, ep.enabled ? "Disable" : "Enable"),
      el("button", { type: "button", class: "danger", on: { click: () => openDelete(ep) } }, "Delete")),
    result);
  return card;
}

// ---------------------------------------------------------------------------------------------------
// Delivery health: hourly counters (GET …/endpoints/{ep}/stats) drawn as success/failure bars

/** Reads both periods of every endpoint's statistics and draws them on its card. */
function loadAllStats() {
  for (const ep of endpoints) loadStats(ep.id);
}

async function loadStats(id) {
  let day, week;
  try {
    [day, week] = await Promise.all([
      api("GET", "/endpoints/" + encodeURIComponent(id) + "/stats?period=24h"),
      api("GET", "/endpoints/" + encodeURIComponent(id) + "/stats?period=7d"),
    ]);
  } catch (e) {
    const slot = document.querySelector('[data-health="' + CSS.escape(id) + '"]');
    if (slot && e.status !== 401) slot.replaceChildren(el("p", { class: "muted" }, "Delivery health is not available right now."));
    return;
  }
  const slot = document.querySelector('[data-health="' + CSS.escape(id) + '"]');
  if (!slot) return;
  slot.replaceChildren(
    healthView("Last 24 hours", "24h", groupBuckets(day.json.buckets, 1, hourLabel), day.json.totals),
    healthView("Last 7 days", "7d", groupBuckets(week.json.buckets, 24, dayLabel), week.json.totals));
}

/** Sums consecutive hourly buckets in groups of {@code size} (24 for days), oldest first. */
function groupBuckets(buckets, size, label) {
  const groups = [];
  for (let i = 0; i < buckets.length; i += size) {
    const part = buckets.slice(i, i + size);
    groups.push({
      label: label(part[0].start),
      succeeded: part.reduce((n, b) => n + b.succeeded, 0),
      failed: part.reduce((n, b) => n + b.failed, 0),
      deadLettered: part.reduce((n, b) => n + b.dead_lettered, 0),
    });
  }
  return groups;
}

function hourLabel(iso) {
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}

function dayLabel(iso) {
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short" });
}

function rate(succeeded, failed) {
  const all = succeeded + failed;
  return all === 0 ? null : Math.floor((succeeded / all) * 1000) / 10;
}

/**
 * One period: the success rate, stacked bars (succeeded below, failed above; an image for sighted
 * users) and the same numbers as a table for everyone else.
 */
function healthView(title, period, groups, totals) {
  const r = rate(totals.succeeded, totals.failed);
  const attempts = totals.succeeded + totals.failed;
  const summary = r === null
    ? "no attempts"
    : r + " % succeeded (" + totals.succeeded + " of " + attempts + (attempts === 1 ? " attempt" : " attempts") +
      (totals.dead_lettered ? "; " + totals.dead_lettered + " dead-lettered" : "") + ")";
  const width = 240, height = 48, gap = groups.length > 12 ? 2 : 4;
  const barWidth = (width - gap * (groups.length - 1)) / groups.length;
  const max = Math.max(1, ...groups.map((g) => g.succeeded + g.failed));
  const bars = [];
  groups.forEach((g, i) => {
    const x = i * (barWidth + gap);
    const ok = (g.succeeded / max) * height;
    const bad = (g.failed / max) * height;
    bars.push(svg("rect", { class: "bar-empty", x, y: height - 1, width: barWidth, height: 1 }));
    if (g.succeeded) bars.push(svg("rect", { class: "bar-ok", x, y: height - ok, width: barWidth, height: ok }));
    if (g.failed) bars.push(svg("rect", { class: "bar-failed", x, y: height - ok - bad, width: barWidth, height: bad }));
  });
  const chart = svg("svg", { class: "bars", viewBox: "0 0 " + width + " " + height, preserveAspectRatio: "none",
    role: "img", "aria-label": title + ": " + summary, focusable: "false" }, bars);
  const table = el("table", { class: "health-table" },
    el("caption", {}, title + ", " + (period === "24h" ? "by hour" : "by day")),
    el("thead", {}, el("tr", {},
      el("th", { scope: "col" }, period === "24h" ? "Hour" : "Day"),
      el("th", { scope: "col" }, "Succeeded"),
      el("th", { scope: "col" }, "Failed attempts"),
      el("th", { scope: "col" }, "Dead-lettered"))),
    el("tbody", {}, groups.map((g) => el("tr", {},
      el("th", { scope: "row" }, g.label), el("td", {}, String(g.succeeded)), el("td", {}, String(g.failed)),
      el("td", {}, String(g.deadLettered))))),
    el("tfoot", {}, el("tr", {},
      el("th", { scope: "row" }, "Total"),
      el("td", { "data-total": "succeeded" }, String(totals.succeeded)),
      el("td", { "data-total": "failed" }, String(totals.failed)),
      el("td", { "data-total": "dead_lettered" }, String(totals.dead_lettered)))));
  return el("div", { class: "period", "data-period": period },
    el("p", { class: "period-head" }, el("strong", {}, title), " ",
      el("span", { class: r === null ? "rate none" : r >= 99 ? "rate ok" : r >= 90 ? "rate warn" : "rate bad", "data-rate": r === null ? "" : String(r) }, summary)),
    chart,
    el("details", { class: "numbers" }, el("summary", {}, "Numbers for " + title.toLowerCase()), el("div", { class: "table-wrap" }, table)));
}

function authLabel(type) {
  return { basic: "Basic", bearer: "Bearer token", header: "Custom header", oauth2_client_credentials: "OAuth2 client credentials" }[type]
    || "None";
}

function certificateLabel(c) {
  return c.subject + " · expires " + formatTime(c.not_after);
}

function renderEndpointFilter() {
  const select = $("log-endpoint");
  const chosen = select.value;
  select.replaceChildren(el("option", { value: "" }, "All endpoints"),
    ...endpoints.map((ep) => el("option", { value: ep.id }, ep.url)));
  select.value = endpoints.some((ep) => ep.id === chosen) ? chosen : "";
}

async function setEnabled(ep, enabled) {
  try {
    await api("PATCH", "/endpoints/" + ep.id, { enabled });
    await loadEndpoints();
    announce((enabled ? "Enabled " : "Disabled ") + ep.url);
    focusCard(ep.id, enabled ? "Disable" : "Enable");
  } catch (e) {
    if (e.status !== 401) announce(e.message, true);
  }
}

/** Puts focus back on a redrawn card: on the button labelled {@code label}, else its first usable one. */
function focusCard(id, label) {
  const buttons = [...document.querySelectorAll('[data-endpoint="' + CSS.escape(id) + '"] button:not([disabled])')];
  const button = buttons.find((b) => b.textContent === label) || buttons[0];
  if (button) button.focus();
}

// Send test event: queue it, then follow its first attempt until it is logged.
async function sendTest(ep, result) {
  result.replaceChildren(el("p", {}, "Sending a test event…"));
  // A type the endpoint subscribes to, so the sample looks like what it will receive.
  const body = ep.event_types && ep.event_types.length ? { event: ep.event_types[0] } : {};
  let eventId;
  try {
    const { json } = await api("POST", "/endpoints/" + ep.id + "/test", body);
    eventId = json.id;
  } catch (e) {
    result.replaceChildren(el("p", { class: "error", role: "alert" }, e.message));
    return;
  }
  result.replaceChildren(el("p", {}, "Test event " + eventId + " (" + (body.event || "order.completed")
    + ") queued. Waiting for the first attempt…"));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 700));
    let page;
    try {
      page = (await api("GET", "/attempts?event_id=" + encodeURIComponent(eventId) + "&endpoint_id=" + encodeURIComponent(ep.id) + "&limit=1")).json;
    } catch (e) {
      if (e.status === 401) return;
      continue;
    }
    if (page.data && page.data.length) {
      result.replaceChildren(attemptSummary(page.data[0]));
      // The statistics are written as the delivery's invocation ends, just after its log record.
      setTimeout(() => loadStats(ep.id), 1000);
      return;
    }
  }
  result.replaceChildren(el("p", {}, "No attempt yet after a minute. It will appear in the delivery log."));
}

function attemptSummary(a) {
  const ok = a.status === "succeeded";
  const facts = [
    ok ? "Succeeded" : "Failed",
    a.response_status === null ? "no HTTP response" : "HTTP " + a.response_status,
    a.duration_ms + " ms",
  ];
  return el("div", { class: ok ? "summary ok" : "summary failed", "data-attempt": a.id },
    el("p", { class: "summary-line" }, el("strong", {}, facts[0]), " · " + facts.slice(1).join(" · ")),
    a.error ? el("p", { class: "error-text" }, a.error) : null,
    a.next_attempt_at ? el("p", { class: "muted" }, "Next attempt " + formatTime(a.next_attempt_at)) : null,
    a.response_body ? codeBox(snippet(a.response_body), "response body", { class: "response" }) : null);
}

// ---------------------------------------------------------------------------------------------------
// The endpoint form (add and edit)

let editing = null;

const FIELD_INPUTS = {
  url: "ep-url", description: "ep-description", method: "ep-method", payload_format: "ep-format",
  timeout_seconds: "ep-timeout", event_types: "ep-events", headers: "ep-headers", secret: "ep-secret",
  auth: "ep-auth-type", "auth.type": "ep-auth-type", "auth.username": "ep-auth-username",
  "auth.password": "ep-auth-password", "auth.token": "ep-auth-token", "auth.name": "ep-auth-name",
  "auth.value": "ep-auth-value", "auth.token_url": "ep-auth-token_url", "auth.client_id": "ep-auth-client_id",
  "auth.client_secret": "ep-auth-client_secret", "auth.scope": "ep-auth-scope", "auth.audience": "ep-auth-audience",
  signature_scheme: "ep-scheme", tls_client_certificate: "ep-tls-certificate",
  "tls_client_certificate.certificate": "ep-tls-certificate", "tls_client_certificate.private_key": "ep-tls-private_key",
};

const AUTH_FIELDS = {
  basic: ["username", "password"], bearer: ["token"], header: ["name", "value"],
  oauth2_client_credentials: ["token_url", "client_id", "client_secret", "scope", "audience"],
};

function openEndpointForm(ep) {
  editing = ep || null;
  const form = $("endpoint-form");
  form.reset();
  clearErrors(form);
  $("endpoint-form-title").textContent = ep ? "Edit endpoint" : "Add endpoint";
  $("ep-save").textContent = ep ? "Save changes" : "Add endpoint";
  $("ep-url").value = ep ? ep.url : "";
  $("ep-description").value = ep ? ep.description || "" : "";
  $("ep-method").value = ep ? ep.method : "POST";
  $("ep-format").value = ep ? ep.payload_format : "envelope";
  $("ep-timeout").value = ep ? ep.timeout_seconds : 15;
  $("ep-events").value = renderCatalog(ep ? ep.event_types || [] : []).join(", ");
  $("ep-egress").hidden = egress.length === 0;
  $("ep-egress-list").textContent = egress.join("\n");
  $("ep-header-rows").replaceChildren();
  for (const [name, value] of Object.entries(ep ? ep.headers || {} : {})) addHeaderRow(name, value);
  $("ep-auth-type").value = ep && ep.auth ? ep.auth.type : "none";
  $("ep-auth-type").dataset.saved = ep && ep.auth ? ep.auth.type : "none";
  $("ep-auth-hint").hidden = !ep || !ep.auth || ep.auth.type === "none";
  showAuthFields();
  // The secret and the scheme are set when an endpoint is created; afterwards the secret only rotates.
  $("ep-secret-fields").hidden = Boolean(ep);
  $("ep-secret-field").hidden = true;
  $("ep-scheme").value = "v1";
  showSchemeFields();
  // A saved certificate is never shown, only what it is; new PEM replaces it.
  const saved = ep && ep.tls_client_certificate;
  $("ep-tls-saved").hidden = !saved;
  $("ep-tls-saved").textContent = saved ? "Saved: " + certificateLabel(saved) + ". Paste a new pair to replace it." : "";
  $("ep-tls-remove-choice").hidden = !saved;
  $("endpoint-dialog").showModal();
  $("ep-url").focus();
}

/**
 * The catalog as a checklist in the endpoint form, with each type's description and example payload;
 * the types given are ticked. Returns the given types the catalog does not list (for the free text).
 */
function renderCatalog(selected) {
  const known = new Set(catalog.map((t) => t.name));
  $("ep-catalog").hidden = catalog.length === 0;
  $("ep-events-label").textContent = catalog.length ? "Other event types" : "Event types";
  $("ep-events-hint").textContent = catalog.length
    ? "Comma-separated, for types not listed above."
    : "Comma-separated. Leave empty to receive every event.";
  $("ep-catalog-list").replaceChildren(...catalog.map((t, i) => {
    const id = "ep-type-" + i;
    return el("li", { class: "catalog-type", "data-type": t.name },
      el("div", { class: "choice" },
        el("input", { type: "checkbox", id, value: t.name, checked: selected.includes(t.name), "aria-describedby": id + "-about" }),
        el("label", { for: id }, el("code", {}, t.name)),
        t.deprecated ? el("span", { class: "badge off" }, "Deprecated") : null),
      el("p", { class: "hint", id: id + "-about" }, t.description || ""),
      t.example ? el("details", { class: "example" }, el("summary", {}, "Example payload"),
        codeBox(JSON.stringify(t.example, null, 2), "example payload of " + t.name)) : null);
  }));
  return selected.filter((name) => !known.has(name));
}

function addHeaderRow(name = "", value = "") {
  const rows = $("ep-header-rows");
  const n = rows.children.length + 1;
  const nameId = "ep-header-name-" + n + "-" + Date.now();
  const valueId = "ep-header-value-" + n + "-" + Date.now();
  const row = el("div", { class: "header-row" },
    el("div", { class: "field" }, el("label", { for: nameId }, "Header " + n + " name"),
      el("input", { id: nameId, type: "text", autocomplete: "off", spellcheck: "false", "data-header-name": "" })),
    el("div", { class: "field" }, el("label", { for: valueId }, "Header " + n + " value"),
      el("input", { id: valueId, type: "text", autocomplete: "off", spellcheck: "false", "data-header-value": "" })),
    el("button", { type: "button", class: "link", "aria-label": "Remove header " + n, on: { click: () => { row.remove(); $("ep-add-header").focus(); } } }, "Remove"));
  row.querySelector("[data-header-name]").value = name;
  row.querySelector("[data-header-value]").value = value;
  rows.append(row);
  return row;
}

function showAuthFields() {
  const type = $("ep-auth-type").value;
  for (const group of document.querySelectorAll(".auth-fields")) group.hidden = group.dataset.auth !== type;
}

/** v1a endpoints have no secret to generate or paste. */
function showSchemeFields() {
  const v1 = $("ep-scheme").value === "v1";
  for (const choice of document.querySelectorAll("[data-v1-only]")) choice.hidden = !v1;
  if (!v1) $("ep-secret-field").hidden = true;
  else $("ep-secret-field").hidden = document.querySelector('input[name="ep-secret-mode"]:checked').value !== "paste";
}

function authInput() {
  const type = $("ep-auth-type").value;
  const fields = AUTH_FIELDS[type] || [];
  const values = Object.fromEntries(fields.map((f) => [f, $("ep-auth-" + f).value]));
  const anyFilled = fields.some((f) => values[f] !== "");
  if (editing && type === $("ep-auth-type").dataset.saved && !anyFilled) {
    return undefined; // unchanged: keep the stored credentials
  }
  return { type, ...values };
}

function endpointInput() {
  const body = {
    url: $("ep-url").value.trim(),
    description: $("ep-description").value,
    method: $("ep-method").value,
    payload_format: $("ep-format").value,
    event_types: [...new Set([
      ...[...$("ep-catalog-list").querySelectorAll("input[type=checkbox]:checked")].map((c) => c.value),
      ...$("ep-events").value.split(",").map((s) => s.trim()).filter(Boolean)])],
    headers: {},
  };
  const timeout = $("ep-timeout").value.trim();
  body.timeout_seconds = /^\d+$/.test(timeout) ? Number(timeout) : timeout;
  for (const row of $("ep-header-rows").children) {
    const name = row.querySelector("[data-header-name]").value.trim();
    const value = row.querySelector("[data-header-value]").value;
    if (name || value) body.headers[name] = value;
  }
  const auth = authInput();
  if (auth !== undefined) body.auth = auth;
  const scheme = $("ep-scheme").value;
  if (!editing) body.signature_scheme = scheme;
  if (!editing && scheme === "v1" && document.querySelector('input[name="ep-secret-mode"]:checked').value === "paste") {
    body.secret = $("ep-secret").value.trim();
  }
  const certificate = $("ep-tls-certificate").value.trim();
  const privateKey = $("ep-tls-private_key").value.trim();
  if (certificate || privateKey) {
    body.tls_client_certificate = { certificate, private_key: privateKey };
  } else if (editing && $("ep-tls-remove").checked) {
    body.tls_client_certificate = null;
  }
  return body;
}

async function saveEndpoint(event) {
  event.preventDefault();
  const form = $("endpoint-form");
  clearErrors(form);
  const body = endpointInput();
  const save = $("ep-save");
  save.disabled = true;
  try {
    const { json } = editing
      ? await api("PATCH", "/endpoints/" + editing.id, body)
      : await api("POST", "/endpoints", body);
    $("endpoint-dialog").close();
    // Forget the pasted key: nothing keeps it once it is saved.
    $("ep-tls-private_key").value = "";
    await loadEndpoints();
    announce((editing ? "Saved " : "Added ") + json.url);
    if (json.secret) showSecret(json.secret, json.id);
    else focusCard(json.id);
  } catch (e) {
    if (e.status !== 401) showError(form, $("endpoint-form-error"), e, FIELD_INPUTS);
  } finally {
    save.disabled = false;
  }
}

function clearErrors(form) {
  for (const p of form.querySelectorAll(".field-error, .form-error")) {
    p.hidden = true;
    p.textContent = "";
  }
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}

/** Puts the API's message next to the field it names (openapi.yaml, Error error.field), or atop the form. */
function showError(form, formError, e, inputs) {
  const inputId = e.field && inputs[e.field];
  const input = inputId && $(inputId);
  const slot = input && $(inputId + "-error");
  if (input && slot) {
    slot.textContent = e.message;
    slot.hidden = false;
    input.setAttribute("aria-invalid", "true");
    const focusable = input.tagName === "FIELDSET" ? input.querySelector("input, button") : input;
    if (focusable) focusable.focus();
  } else {
    formError.textContent = e.message;
    formError.hidden = false;
    formError.focus();
  }
}

// ---------------------------------------------------------------------------------------------------
// Secrets: shown once, rotated with a grace period

let secretReturnFocus = null;

function showSecret(secret, endpointId) {
  secretReturnFocus = endpointId;
  $("secret-value").value = secret;
  $("secret-copied").textContent = "";
  $("secret-dialog").showModal();
  $("secret-value").select();
}

async function copySecret() {
  const input = $("secret-value");
  let copied = false;
  try {
    await navigator.clipboard.writeText(input.value);
    copied = true;
  } catch (e) {
    // Inside a frame without clipboard-write permission: fall back to the selection.
    input.select();
    try { copied = document.execCommand("copy"); } catch (e2) { copied = false; }
  }
  $("secret-copied").textContent = copied ? "Copied to the clipboard." : "Select the secret and copy it with your keyboard.";
}

function closeSecret() {
  // Forget it: nothing keeps the secret once the dialog is closed.
  $("secret-value").value = "";
  $("secret-dialog").close();
  if (secretReturnFocus) focusCard(secretReturnFocus);
}

let rotating = null;

function openRotate(ep) {
  rotating = ep;
  const form = $("rotate-form");
  form.reset();
  clearErrors(form);
  const keyPair = ep.signature_scheme === "v1a";
  $("rotate-title").textContent = keyPair ? "Rotate signing key pair" : "Rotate signing secret";
  $("rotate-submit").textContent = keyPair ? "Rotate key pair" : "Rotate secret";
  $("rotate-endpoint").textContent = ep.url + (keyPair ? " · current public key " + (ep.public_key || "")
    : " · current secret " + (ep.secret_hint || ""));
  // A v1a key pair is always generated by Signet: there is nothing to choose or paste.
  $("rotate-secret-fields").hidden = keyPair;
  $("rotate-secret-field").hidden = true;
  $("rotate-dialog").showModal();
  (keyPair ? $("rotate-grace") : $("rotate-generate")).focus();
}

async function rotateSecret(event) {
  event.preventDefault();
  const form = $("rotate-form");
  clearErrors(form);
  const body = { grace_seconds: Number($("rotate-grace").value) };
  if (rotating.signature_scheme !== "v1a" && document.querySelector('input[name="rotate-mode"]:checked').value === "paste") {
    body.secret = $("rotate-secret").value.trim();
  }
  try {
    const { json } = await api("POST", "/endpoints/" + rotating.id + "/secret", body);
    $("rotate-dialog").close();
    await loadEndpoints();
    announce(json.public_key
      ? "Key pair rotated for " + rotating.url + ". New public key " + json.public_key + "."
      : "Secret rotated for " + rotating.url + ". New secret " + json.secret_hint + ".");
    if (json.secret) showSecret(json.secret, rotating.id);
    else focusCard(rotating.id);
  } catch (e) {
    if (e.status !== 401) {
      showError(form, $("rotate-form-error"), e, { secret: "rotate-secret", grace_seconds: "rotate-grace" });
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Delete

let deleting = null;

function openDelete(ep) {
  deleting = ep;
  $("delete-text").textContent = "Requests to " + ep.url + " stop, including retries still waiting. This cannot be undone.";
  $("delete-error").hidden = true;
  $("delete-dialog").showModal();
}

async function confirmDelete() {
  try {
    await api("DELETE", "/endpoints/" + deleting.id);
    $("delete-dialog").close();
    await loadEndpoints();
    announce("Deleted " + deleting.url);
    $("add-endpoint").focus();
  } catch (e) {
    if (e.status !== 401) {
      $("delete-error").textContent = e.message;
      $("delete-error").hidden = false;
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Delivery log

async function loadLog(fromStart) {
  // Only the newest request may draw: a slow answer to an older filter must not overwrite it.
  const request = ++logRequest;
  if (fromStart) logCursor = null;
  const params = new URLSearchParams({ limit: "25" });
  if ($("log-endpoint").value) params.set("endpoint_id", $("log-endpoint").value);
  if ($("log-status").value) params.set("status", $("log-status").value);
  if (logCursor) params.set("cursor", logCursor);
  let page;
  try {
    page = (await api("GET", "/attempts?" + params)).json;
  } catch (e) {
    if (e.status !== 401 && request === logRequest) announce(e.message, true);
    return;
  }
  if (request !== logRequest) return;
  const rows = page.data.map(logRow);
  if (fromStart) $("log-rows").replaceChildren(...rows);
  else $("log-rows").append(...rows);
  logCursor = page.next_cursor;
  $("log-more").hidden = !logCursor;
  $("log-empty").hidden = $("log-rows").children.length > 0;
  $("log-table").hidden = $("log-rows").children.length === 0;
  if (!fromStart) announce(rows.length + " older attempts loaded");
}

function logRow(a) {
  const ok = a.status === "succeeded";
  return el("tr", { "data-attempt": a.id, "data-event": a.event_id, "data-result": ok ? "succeeded" : "failed" },
    el("td", { "data-label": "Time" }, formatTime(a.created_at)),
    el("td", { "data-label": "Event" }, el("code", {}, a.event_id)),
    el("td", { "data-label": "Sent to", class: "url" }, a.url || endpointLabel(a.endpoint_id)),
    el("td", { "data-label": "Attempt" }, String(a.attempt)),
    el("td", { "data-label": "Trigger" }, triggerLabel(a.trigger)),
    el("td", { "data-label": "Result" }, el("span", { class: ok ? "badge ok" : "badge failed" }, ok ? "Succeeded" : "Failed")),
    el("td", { "data-label": "HTTP" }, a.response_status === null ? "—" : String(a.response_status)),
    el("td", { "data-label": "Duration" }, a.duration_ms + " ms"),
    el("td", {}, el("button", { type: "button", "aria-label": "Details of attempt " + a.attempt + " of " + a.event_id, on: { click: () => openAttempt(a) } }, "Details")));
}

/** What started an attempt's run, in words (openapi.yaml, Attempt.trigger). */
function triggerLabel(trigger) {
  return { event: "Event", retry: "Manual retry", recover: "Recover", test: "Test event", redrive: "Redrive" }[trigger] || "—";
}

let viewing = null;

async function openAttempt(a) {
  viewing = a;
  const ok = a.status === "succeeded";
  const fields = [
    ["Result", ok ? "Succeeded" : "Failed"],
    ["HTTP status", a.response_status === null ? "no response" : String(a.response_status)],
    ["Duration", a.duration_ms + " ms"],
    ["Attempt", String(a.attempt) + " of this run"],
    ["Trigger", triggerLabel(a.trigger)],
    ["Time", formatTime(a.created_at)],
    ["Sent to", a.url || "(no request sent)"],
    ["Endpoint", endpointLabel(a.endpoint_id) + (a.url && a.url !== endpointLabel(a.endpoint_id) ? " (its URL now)" : "")],
    ["Event", a.event_id],
    ["Attempt id", a.id],
  ];
  if (a.error) fields.push(["Error", a.error]);
  if (a.next_attempt_at) fields.push(["Next attempt", formatTime(a.next_attempt_at)]);
  $("attempt-fields").replaceChildren(...fields.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
  $("attempt-response").textContent = a.response_body || "(empty)";
  $("attempt-payload").textContent = "Loading…";
  $("attempt-deliveries").textContent = "";
  $("attempt-error").hidden = true;
  $("attempt-retry").hidden = ok;
  $("attempt-dialog").showModal();
  try {
    const { json, text } = await api("GET", "/events/" + encodeURIComponent(a.event_id));
    if (viewing !== a) return;
    $("attempt-payload").textContent = rawPayload(text);
    const mine = (json.deliveries || []).find((d) => d.endpoint_id === a.endpoint_id);
    if (mine) {
      $("attempt-deliveries").textContent = json.event + " to this endpoint: " + deliveryState(mine);
    }
  } catch (e) {
    if (e.status !== 401) $("attempt-payload").textContent = e.message;
  }
}

function deliveryState(d) {
  const attempts = d.attempts === 1 ? "1 attempt" : d.attempts + " attempts";
  switch (d.status) {
    case "succeeded": return "delivered (" + attempts + ")";
    case "dead_lettered": return "gave up after " + attempts + "; it can still be retried";
    case "failed": return "failed after " + attempts;
    default: return d.attempts ? "retrying (" + attempts + " so far)" : "waiting for the first attempt";
  }
}

/**
 * The payload exactly as the product emitted it. The API splices it verbatim between these two keys;
 * JSON.parse would round big numbers and reorder nothing visible, so the text is cut out instead.
 */
function rawPayload(text) {
  const start = text.indexOf(',"payload":');
  const end = text.lastIndexOf(',"deliveries":');
  return start >= 0 && end > start ? text.slice(start + ',"payload":'.length, end) : text;
}

async function retryViewed() {
  const a = viewing;
  try {
    const { json } = await api("POST", "/events/" + encodeURIComponent(a.event_id) + "/retry", { endpoint_id: a.endpoint_id });
    $("attempt-dialog").close();
    if (!json.queued) {
      announce("Nothing to retry.");
      return;
    }
    // The new attempt may succeed: a "Failed" filter would hide it, so show every result.
    const filtered = $("log-status").value !== "";
    $("log-status").value = "";
    announce("Retry queued for " + a.event_id + "." + (filtered ? " Showing all results, so the new attempt is listed." : "")
      + " It appears here when it is made.");
    await followRetry(a);
  } catch (e) {
    if (e.status !== 401) {
      $("attempt-error").textContent = e.message;
      $("attempt-error").hidden = false;
    }
  }
}

/** Refreshes the log until the retry's first attempt is listed (up to a minute), then points it out. */
async function followRetry(a) {
  const seen = new Set([...$("log-rows").children].map((r) => r.dataset.attempt));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !$("view-log").hidden) {
    await loadLog(true);
    const fresh = [...$("log-rows").children].find((r) => !seen.has(r.dataset.attempt) && r.dataset.event === a.event_id);
    if (fresh) {
      fresh.classList.add("fresh");
      announce("The retry's attempt is listed: " + fresh.dataset.result + ".");
      return;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

// ---------------------------------------------------------------------------------------------------
// Start

function wire() {
  for (const button of $("tabs").querySelectorAll("button")) {
    button.addEventListener("click", () => showView(button.dataset.view));
  }
  for (const button of document.querySelectorAll("dialog [data-close]")) {
    button.addEventListener("click", () => button.closest("dialog").close());
  }
  $("add-endpoint").addEventListener("click", () => openEndpointForm(null));
  $("endpoint-form").addEventListener("submit", saveEndpoint);
  $("ep-add-header").addEventListener("click", () => addHeaderRow().querySelector("input").focus());
  $("ep-auth-type").addEventListener("change", showAuthFields);
  $("ep-scheme").addEventListener("change", showSchemeFields);
  for (const radio of document.querySelectorAll('input[name="ep-secret-mode"]')) {
    radio.addEventListener("change", () => { $("ep-secret-field").hidden = radio.value !== "paste" || !radio.checked; });
  }
  for (const radio of document.querySelectorAll('input[name="rotate-mode"]')) {
    radio.addEventListener("change", () => { $("rotate-secret-field").hidden = radio.value !== "paste" || !radio.checked; });
  }
  $("secret-copy").addEventListener("click", copySecret);
  $("secret-done").addEventListener("click", closeSecret);
  $("secret-dialog").addEventListener("cancel", (e) => { e.preventDefault(); closeSecret(); });
  $("rotate-form").addEventListener("submit", rotateSecret);
  $("delete-confirm").addEventListener("click", confirmDelete);
  $("log-endpoint").addEventListener("change", () => loadLog(true));
  $("log-status").addEventListener("change", () => loadLog(true));
  $("log-refresh").addEventListener("click", () => loadLog(true));
  $("log-more").addEventListener("click", () => loadLog(false));
  $("attempt-retry").addEventListener("click", retryViewed);
  const languages = ["Node.js example", "Java example", "Python example"];
  document.querySelectorAll("#view-verify pre").forEach((pre, i) => boxCode(pre, languages[i] || "example"));
  boxCode($("attempt-response"), "response body");
  boxCode($("attempt-payload"), "event payload");
  boxCode($("ep-egress-list"), "sending addresses");
}

/** The deployment's event type catalog and egress addresses; neither is needed to use the page. */
async function loadDeploymentFacts() {
  const [types, addresses] = await Promise.allSettled([api("GET", "/v1/event-types"), api("GET", "/v1/egress")]);
  catalog = types.status === "fulfilled" && types.value.json && Array.isArray(types.value.json.data) ? types.value.json.data : [];
  const e = addresses.status === "fulfilled" ? addresses.value.json : null;
  // { "ips": [...] } (openapi.yaml), or a bare list; nothing when the route is absent (404) or empty.
  egress = Array.isArray(e) ? e : e && Array.isArray(e.ips) ? e.ips : [];
}

async function start() {
  wire();
  // The product may hand this frame a new session by changing only the fragment: start over with it.
  window.addEventListener("hashchange", () => {
    if (new URLSearchParams(location.hash.slice(1)).has("token")) location.reload();
  });
  if (!session) {
    endSession("This page opens from your application with a session link. Open it from there to manage your webhooks.");
    return;
  }
  if (session.expires) {
    const left = new Date(session.expires).getTime() - Date.now();
    if (left > 0 && left < 2 ** 31) {
      expiryTimer = setTimeout(() => endSession("Your session has expired. Open this page again from your application to continue."), left);
    }
  }
  try {
    const { json } = await api("GET", "");
    $("title").textContent = "Webhooks for " + json.name;
    if (session.expires) $("session-info").textContent = "Session ends " + formatTime(session.expires);
    await loadDeploymentFacts();
    await loadEndpoints();
  } catch (e) {
    if (e.status !== 401) {
      $("loading").textContent = e.message;
    }
    return;
  }
  $("loading").hidden = true;
  $("tabs").hidden = false;
  showView("endpoints");
}

start();
