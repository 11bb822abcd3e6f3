// Sonde dashboard page: the overview on the left, one JVM in detail on the right, kept live by server-sent events.
// Formatting, the runtime's tables and the chart specifications are in render.js, which the report shares.
"use strict";

const state = { focus: null, overview: null, view: null, history: null, charts: {}, source: null, settingsShown: null };

// ---- the overview -------------------------------------------------------------------------------------------

function renderOverview(overview) {
  state.overview = overview;
  const rows = overview.jvms.map((v) => {
    const s = v.sample || {};
    const title = [v.status, ...(v.health?.reasons || []), v.error].filter(Boolean).join(" · ");
    return `<tr data-jvm="${esc(v.id)}" data-status="${v.status}" class="${v.id === state.focus ? "selected" : ""} ${v.status === "GONE" ? "gone" : ""}" title="${esc(title)}">
      <td><span class="dot ${v.health?.colour || "GREY"}" data-health="${v.health?.colour}"></span></td>
      <td title="${esc(label(v))}">${esc(shortName(v))}<div class="status">${esc(v.status.toLowerCase())}${v.hasRuntime ? "" : " · no runtime"}${v.error ? " · " + esc(v.error) : ""}</div></td>
      <td class="num">${num(s.throughput)}</td><td class="num">${s.errorRate == null ? "–" : pct(s.errorRate)}</td>
      <td class="num">${ms(s.p99Millis)}</td><td class="num">${s.processCpu == null ? "–" : num(s.processCpu) + "%"}</td></tr>`;
  });
  $("#jvms tbody").innerHTML = rows.join("") || `<tr><td colspan="6" class="hint">No JVM found yet.</td></tr>`;
  renderSessions(overview.jvms);
  if (!state.focus && overview.jvms.length) {
    const first = overview.jvms.find((v) => v.hasRuntime && v.status === "LIVE") || overview.jvms[0];
    select(first.id);
  }
}

function renderSessions(jvms) {
  const byPid = new Map(jvms.filter((v) => v.pid > 0).map((v) => [v.pid, v]));
  const rows = [];
  for (const v of jvms) {
    for (const s of v.sessions?.sessions || []) {
      const target = s.target || {};
      const debugged = target.pid != null ? byPid.get(target.pid) : null;
      const hits = (s.breakpoints || []).reduce((n, b) => n + (b.hits || 0), 0);
      rows.push(`<tr data-session="${esc(s.id)}" ${debugged ? `data-target="${esc(debugged.id)}"` : ""}>
        <td>${esc(s.name || s.id)}<div class="status">sonde ${esc(v.sessions.command || "")} · pid ${v.pid}</div></td>
        <td>${esc(target.description || "")}${debugged ? `<div class="status">→ ${esc(label(debugged))}</div>` : ""}</td>
        <td>${esc((s.state || "").toLowerCase())}</td><td class="num">${hits}</td><td class="num">${s.stops ?? 0}</td>
        <td class="num">${ms(s.heldMillis)}</td></tr>`);
    }
  }
  $("#sessions tbody").innerHTML = rows.join("");
  $("#sessions-empty").style.display = rows.length ? "none" : "";
}

document.addEventListener("click", (event) => {
  const row = event.target.closest("tr[data-jvm], tr[data-target]");
  if (row && !event.target.closest("details")) select(row.dataset.jvm || row.dataset.target);
});

// ---- one JVM ------------------------------------------------------------------------------------------------

async function select(id) {
  if (state.focus === id) return;
  state.focus = id;
  state.view = null;
  state.settingsShown = null;
  Object.values(state.charts).forEach((c) => c.destroy());
  state.charts = {};
  document.querySelectorAll("#jvms tr[data-jvm]").forEach((tr) => tr.classList.toggle("selected", tr.dataset.jvm === id));
  $("#detail").innerHTML = `<p class="hint">Loading…</p>`;
  const [view, history] = await Promise.all([getJson(`/api/jvms/${id}`), getJson(`/api/jvms/${id}/history`)]);
  if (state.focus !== id) return;
  state.history = history;
  renderDetail(view);
  connect();
}

async function getJson(url, options) {
  const response = await fetch(url, Object.assign({ credentials: "same-origin" }, options));
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || `${response.status} ${response.statusText}`);
  return body;
}

function renderDetail(view) {
  const first = !state.view;
  state.view = view;
  const runtime = view.runtime;
  const detail = $("#detail");
  if (first) {
    detail.innerHTML = `<div class="title"><span class="dot" id="health-dot"></span><h2 id="jvm-title"></h2><span class="status" id="jvm-status"></span></div>
      <div id="health-reasons" class="reasons"></div>
      <div class="charts" id="charts"></div>
      <div id="tables"></div>
      <div id="settings"></div>`;
    buildCharts(view);
  }
  $("#health-dot").className = "dot " + (view.health?.colour || "GREY");
  $("#jvm-title").textContent = label(view);
  $("#jvm-status").textContent = [view.status.toLowerCase(), view.hasRuntime ? "sonde-runtime" : "no sonde-runtime",
    view.endedAt ? "ended " + new Date(view.endedAt).toLocaleTimeString() : "", view.error || ""].filter(Boolean).join(" · ");
  const reasons = $("#health-reasons");
  reasons.className = "reasons " + (view.health?.colour || "");
  reasons.textContent = (view.health?.colour === "GREY" ? "" : (view.health?.reasons || []).join(" · "));
  // Re-rendering every round must not fold a stack the user opened: remember them by their text.
  const opened = new Set([...document.querySelectorAll("#tables details[open]")].map((d) => d.textContent.slice(0, 300)));
  $("#tables").innerHTML = sessionTables(view) + (runtime ? runtimeTables(runtime) : platformTables(view.platform));
  document.querySelectorAll("#tables details").forEach((d) => { if (opened.has(d.textContent.slice(0, 300))) d.open = true; });
  if (runtime && state.settingsShown !== view.id && view.status === "LIVE") {
    state.settingsShown = view.id;
    loadSettings(view.id);
  }
}

/** Sessions debugging this JVM (from every Sonde process on the overview), and this JVM's own when it is a Sonde process. */
function sessionTables(view) {
  const events = (s) => esc(Object.entries(s.eventsByKind || {}).map(([kind, count]) => `${kind} ${count}`).join(", "));
  const row = (s, owner) => [esc(s.name || s.id) + `<div class="status">sonde ${esc(owner.sessions?.command || "")} · pid ${owner.pid}</div>`,
    esc((s.state || "").toLowerCase()), esc((s.breakpoints || []).map((b) => `${b.spec} ×${b.hits}`).join(", ")),
    num(s.stops, 0), ms(s.heldMillis), events(s)];
  const debugging = [];
  for (const owner of state.overview?.jvms || []) {
    for (const s of owner.sessions?.sessions || []) {
      if (view.pid > 0 && s.target?.pid === view.pid && s.state !== "TERMINATED") debugging.push(row(s, owner));
    }
  }
  const own = (view.sessions?.sessions || []).map((s) => [esc(s.name || s.id), esc((s.state || "").toLowerCase()),
    esc(s.target?.description || ""), esc((s.breakpoints || []).map((b) => `${b.spec} ×${b.hits}`).join(", ")), num(s.stops, 0),
    ms(s.heldMillis), events(s)]);
  return (debugging.length ? `<h3>Debugged by Sonde</h3>` + table("debugged-by", ["Session", "State", "Breakpoints (hits)", "#Stops", "#Held", "Events"],
      debugging, "") : "")
    + (own.length ? `<h3>Debug sessions in this Sonde process</h3>` + table("own-sessions", ["Session", "State", "Target",
      "Breakpoints (hits)", "#Stops", "#Held", "Events"], own, "") : "");
}

// ---- settings -----------------------------------------------------------------------------------------------

async function loadSettings(id) {
  let settings;
  try { settings = await getJson(`/api/jvms/${id}/settings`); } catch (e) { return; }
  if (state.focus !== id) return;
  const options = settings.map((s) => `<option value="${esc(s.key)}" data-value="${esc(s.value)}">${esc(s.key)}</option>`).join("");
  $("#settings").innerHTML = `<h3>Settings</h3>
    <form class="setting" id="settings-form"><select id="setting-key">${options}</select>
      <input id="setting-value" size="24"><button class="button" type="submit">Apply</button><span id="settings-result"></span></form>`
    + table("settings-table", ["Setting", "Value", "Default", "What it does"],
      settings.map((s) => [esc(s.key), esc(s.value), esc(s.defaultValue), esc(s.description)]), "");
  const key = $("#setting-key"), value = $("#setting-value");
  const fill = () => { value.value = key.selectedOptions[0]?.dataset.value || ""; };
  key.addEventListener("change", fill);
  fill();
  $("#settings-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const result = $("#settings-result");
    try {
      const applied = await getJson(`/api/jvms/${id}/settings`, { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ key: key.value, value: value.value }) });
      await loadSettings(id);
      // loadSettings drew a new form: say so in its result, or the message would vanish with the old one.
      const shown = $("#settings-result") || result;
      shown.className = "ok";
      shown.textContent = `${applied.key} is now ${applied.value}`;
    } catch (e) {
      result.className = "error";
      result.textContent = e.message;
    }
  });
}

// ---- charts (uPlot) -----------------------------------------------------------------------------------------

function buildCharts(view) {
  const h = state.history;
  const box = $("#charts");
  for (const spec of chartSpecs(view, h)) {
    const div = document.createElement("div");
    div.className = "chart";
    div.id = "chart-" + spec.id;
    box.appendChild(div);
    const chart = new uPlot(chartOptions(spec, Math.max(380, div.clientWidth - 12)), chartData(spec, h), div);
    chart.spec = spec;
    state.charts[spec.id] = chart;
  }
}

function appendSample(sample) {
  const h = state.history;
  if (!h || !sample || (h.t.length && h.t[h.t.length - 1] >= sample.atMillis)) return;
  const limit = state.overview?.dashboard?.historyMillis || 900000;
  h.t.push(sample.atMillis);
  for (const key of Object.keys(h)) {
    if (key === "t" || key === "operations") continue;
    h[key].push(sample[key] ?? null);
  }
  for (const [name, series] of Object.entries(h.operations || {})) {
    series.throughput.push(sample.operations?.[name]?.throughput ?? null);
    series.p99Millis.push(sample.operations?.[name]?.p99Millis ?? null);
  }
  while (h.t.length && h.t[0] < sample.atMillis - limit) {
    h.t.shift();
    for (const key of Object.keys(h)) if (key !== "t" && key !== "operations") h[key].shift();
    for (const series of Object.values(h.operations || {})) { series.throughput.shift(); series.p99Millis.shift(); }
  }
  for (const chart of Object.values(state.charts)) {
    chart.setData(chartData(chart.spec, h));
  }
}

// ---- server push --------------------------------------------------------------------------------------------

function connect() {
  if (state.source) state.source.close();
  const source = new EventSource("/api/events" + (state.focus ? "?focus=" + encodeURIComponent(state.focus) : ""));
  state.source = source;
  const live = $("#live");
  source.addEventListener("open", () => { live.className = "live on"; live.textContent = "live"; });
  source.addEventListener("error", () => { live.className = "live off"; live.textContent = "reconnecting…"; });
  source.addEventListener("round", (event) => {
    const round = JSON.parse(event.data);
    live.className = "live on";
    live.textContent = `live · round ${round.dashboard.roundMillis} ms`;
    renderOverview(round);
    if (round.focus && round.focus.id === state.focus && state.view) {
      if (round.focus.sample) appendSample(round.focus.sample);
      renderDetail(round.focus);
    }
  });
}

window.addEventListener("resize", () => {
  for (const chart of Object.values(state.charts)) {
    const div = chart.root.parentElement;
    chart.setSize({ width: Math.max(380, div.clientWidth - 12), height: 190 });
  }
});

getJson("/api/overview").then(renderOverview).catch((e) => { $("#detail").innerHTML = `<p class="error">${esc(e.message)}</p>`; });
connect();
