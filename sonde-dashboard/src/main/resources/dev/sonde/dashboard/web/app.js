// Sonde dashboard page: the overview on the left, one JVM in detail on the right, kept live by server-sent events.
"use strict";

const state = { focus: null, overview: null, view: null, history: null, charts: {}, source: null, settingsShown: null };
const $ = (sel, root = document) => root.querySelector(sel);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
const num = (v, digits = 1) => v == null || Number.isNaN(v) ? "–" : Number(v).toLocaleString(undefined, { maximumFractionDigits: digits });
const pct = (v) => v == null ? "–" : num(v * 100, 1) + " %";
const ms = (v) => v == null ? "–" : v >= 1000 ? num(v / 1000, 2) + " s" : num(v, v < 10 ? 2 : 0) + " ms";
const mb = (bytes) => bytes == null || bytes < 0 ? "–" : num(bytes / 1048576, 0) + " MB";
const thread = (t) => t ? esc((t.name || (t.virtual ? "virtual" : "unnamed")) + "#" + t.id) : "–";
const label = (v) => (v.mainClass && v.mainClass !== "?" ? v.mainClass : v.address || "JVM") + (v.pid > 0 ? " · " + v.pid : "");
// A main class as dev.sonde.demo.OrderService or a jar path, shortened to what tells JVMs apart in a narrow list.
const shortName = (v) => {
  const name = v.mainClass && v.mainClass !== "?" ? v.mainClass : v.address || "JVM";
  const base = name.split(/[\/]/).pop();
  return (base.endsWith(".jar") ? base : base.split(".").pop()) + (v.pid > 0 ? " · " + v.pid : "");
};

function table(id, headers, rows, empty) {
  const head = headers.map((h) => `<th class="${h.startsWith("#") ? "num" : ""}">${esc(h.replace(/^#/, ""))}</th>`).join("");
  const body = rows.length ? rows.map((cells) => `<tr>${cells.map((c, i) =>
      `<td class="${headers[i].startsWith("#") ? "num" : ""}">${c}</td>`).join("")}</tr>`).join("")
    : `<tr><td colspan="${headers.length}" class="hint">${esc(empty)}</td></tr>`;
  return `<table id="${id}"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function stack(lines) {
  if (!lines || !lines.length) return "";
  return `<details><summary>stack (${lines.length})</summary><div class="stack">${esc(lines.join("\n"))}</div></details>`;
}

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
  $("#tables").innerHTML = runtime ? runtimeTables(runtime) : platformTables(view.platform);
  if (runtime && state.settingsShown !== view.id && view.status === "LIVE") {
    state.settingsShown = view.id;
    loadSettings(view.id);
  }
}

function runtimeTables(r) {
  const ops = r.operations || {};
  const out = [];
  out.push(`<h3>Operations <span class="status">${ops.inFlight ?? 0} in flight</span></h3>` + table("operations",
    ["Operation", "#Started", "#In flight", "#Succeeded", "#Failed", "#Timed out", "#Error rate", "#p50", "#p99", "#Max"],
    (ops.byName || []).map((o) => [esc(o.name), num(o.started, 0), num(o.inFlight, 0), num(o.succeeded, 0), num(o.failed, 0),
      num(o.timedOut, 0), o.window?.errorRate == null ? "–" : pct(o.window.errorRate), ms(o.window?.p50Millis),
      ms(o.window?.p99Millis), ms(o.window?.maxMillis)]), "No operation tracked yet."));
  out.push(`<div class="grid2"><div><h3>Async operations in flight, oldest first</h3>` + table("async", ["Operation", "#Age", "Started on"],
    (ops.asyncInFlight || []).map((a) => [esc(a.operation), ms(a.ageMillis), thread(a.startedOn)]), "None in flight.") + `</div>`);
  out.push(`<div><h3>Recent failures</h3>` + table("failures", ["When", "Operation", "Outcome", "Error"],
    (ops.recentFailures || []).slice(-20).reverse().map((f) => [new Date(f.at).toLocaleTimeString(), esc(f.operation), esc(f.outcome),
      esc(f.errorClass) + (f.message ? `<div class="status">${esc(f.message)}</div>` : "")]), "No failure.") + `</div></div>`);
  const scopes = r.scopes || {};
  out.push(`<h3>Scope violations <span class="status">mode ${esc(scopes.mode)} · ${num(scopes.entered, 0)} entered · ${num(scopes.violations, 0)} violations</span></h3>`
    + table("violations", ["When", "Kind", "Scope", "Entered on", "Seen on", "What happened"],
      (scopes.recentViolations || []).slice(-20).reverse().map((v) => [new Date(v.at).toLocaleTimeString(), esc(v.kind), esc(v.scope),
        thread(v.owner), thread(v.seenOn), esc(v.description) + stack(v.entryStack)]), "No scope misused."));
  const res = r.resources || {};
  out.push(`<div class="grid2"><div><h3>Resources</h3>` + table("resources", ["Type", "#Live", "#Opened", "#Closed", "#Failed", "#Collected", "#Oldest"],
    (res.byType || []).map((t) => [esc(t.type), num(t.live, 0), num(t.opened, 0), num(t.closed, 0), num(t.failed, 0), num(t.collected, 0),
      ms(t.oldestAgeMillis)]), "No resource registered.") + `</div>`);
  out.push(`<div><h3>Leaks</h3>` + table("leaks", ["When", "Resource", "Reason", "#Age"],
    (res.leaks || []).slice(-20).reverse().map((l) => [new Date(l.at).toLocaleTimeString(), esc(l.type) + ` <span class="status">${esc(l.description)}</span>`,
      esc(l.reason), ms(l.ageMillis) + stack(l.allocationStack)]), "No leak reported.") + `</div></div>`);
  out.push(locksTables(r.locks?.deadlocks || [], r.locks?.blockedThreads || []));
  out.push(`<div class="grid2"><div><h3>Executors</h3>` + table("executors", ["Executor", "#Queued", "#Running", "#Completed", "#Failed", "#Rejected", "#Queue p99"],
    (r.executors || []).map((e) => [esc(e.name), num(e.queued, 0), num(e.running, 0), num(e.completed, 0), num(e.failed, 0),
      num(e.rejected, 0), ms(e.timeInQueue?.p99Millis)]), "No wrapped executor.") + `</div>`);
  out.push(`<div><h3>Recovery</h3>` + table("recovery", ["Policy", "#Calls", "#Attempts", "#Recovered", "#Gave up", "#Failed fast", "#Recovery p99"],
    (r.recovery || []).map((p) => [esc(p.name), num(p.calls, 0), num(p.attempts, 0), num(p.recovered, 0), num(p.failedAfterRetries, 0),
      num(p.failedFast, 0), ms(p.recoveryTime?.p99Millis)]), "No recovery policy used.") + `</div></div>`);
  const kpis = r.kpis || {};
  out.push(systemTable(r.system));
  out.push(`<div class="grid2"><div><h3>KPIs</h3>` + table("kpis", ["KPI", "#Value", "Goal", ""],
    (kpis.readings || []).map((k) => [esc(k.name), k.value == null ? "–" : num(k.value, 4) + " " + esc(k.unit || ""),
      esc(k.goal) + " " + num(k.threshold, 4), k.breached ? `<span class="dot RED"></span> breached` : `<span class="dot GREEN"></span>`]), "No KPI.") + `</div>`);
  out.push(`<div><h3>Alert history</h3>` + table("alerts", ["When", "KPI", "#Value", "#Threshold"],
    (kpis.alerts || []).slice(-20).reverse().map((a) => [new Date(a.at).toLocaleTimeString(), esc(a.name), num(a.value, 4), num(a.threshold, 4)]),
    "No alert.") + `</div></div>`);
  return out.join("");
}

function locksTables(deadlocks, blocked) {
  const lockRow = (t) => [thread(t.thread), esc(t.state), esc(t.waitingFor), thread(t.lockOwner) + stack(t.stack)];
  return `<div class="grid2"><div><h3>Deadlocks</h3>` + table("deadlocks", ["Thread", "State", "Waiting for", "Held by"],
    deadlocks.flatMap((d) => (d.threads || []).map(lockRow)), "No deadlock.") + `</div>`
    + `<div><h3>Blocked threads</h3>` + table("blocked", ["Thread", "State", "Waiting for", "Held by"],
      blocked.map((b) => lockRow(b.thread || b)), "No thread blocked.") + `</div></div>`;
}

function platformTables(p) {
  if (!p) return `<p class="hint">No data yet.</p>`;
  return `<p class="hint">This JVM does not run sonde-runtime: these are the figures the JVM itself reports. Add sonde-runtime
    (docs/runtime.md) for operations, scopes, resources, recovery and KPIs.</p>`
    + systemTable(p.system, [["JVM", esc(p.vmName) + " " + esc(p.vmVersion)], ["Up for", ms(p.uptimeMillis)]])
    + locksTables(p.deadlocks || [], p.blockedThreads || []);
}

function systemTable(sys, extra = []) {
  if (!sys) return "";
  const load = (v) => v == null || v < 0 ? "–" : pct(v);
  const rows = [...extra,
    ["CPU (process / machine)", load(sys.processCpuLoad) + " / " + load(sys.systemCpuLoad) + ` on ${sys.availableProcessors} cores`],
    ["Heap (used / committed / max)", `${mb(sys.heapUsed)} / ${mb(sys.heapCommitted)} / ${mb(sys.heapMax)}`],
    ["Non-heap (used / committed)", `${mb(sys.nonHeapUsed)} / ${mb(sys.nonHeapCommitted)}`],
    ["Threads (live / daemon / peak / started)", `${sys.threadCount} / ${sys.daemonThreadCount} / ${sys.peakThreadCount} / ${sys.startedThreadCount}`],
    ...(sys.garbageCollectors || []).map((g) => ["GC " + esc(g.name), `${num(g.collections, 0)} collections, ${ms(g.timeMillis)}`]),
  ];
  const vts = sys.virtualThreadScheduler;
  if (vts) rows.push(["Virtual-thread scheduler", `parallelism ${vts.parallelism}, pool ${vts.poolSize}, mounted ${vts.mounted}, queued ${vts.queued}`]);
  return `<h3>System</h3>` + table("system", ["Figure", "Value"], rows, "");
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

const palette = ["#58a6ff", "#3fb950", "#d29922", "#f85149", "#bc8cff", "#39c5cf", "#ff7b72", "#e3b341"];

function chartSpecs(view) {
  const specs = [];
  const h = state.history;
  if (view.hasRuntime) {
    const names = Object.keys(h.operations || {}).slice(0, 8);
    specs.push({ id: "throughput", title: "Throughput (ended per second)", unit: "/s",
      series: [["all", (c) => c.throughput], ...names.map((n) => [n, (c) => c.operations?.[n]?.throughput])] });
    specs.push({ id: "p99", title: "p99 duration (ms, over the runtime's window)", unit: "ms",
      series: names.map((n) => [n, (c) => c.operations?.[n]?.p99Millis]) });
  }
  specs.push({ id: "cpu", title: "CPU (%)", unit: "%", series: [["process", (c) => c.processCpu], ["machine", (c) => c.systemCpu]] });
  specs.push({ id: "heap", title: "Heap used (MB)", unit: "MB", series: [["used", (c) => c.heapUsedMb]] });
  specs.push({ id: "threads", title: "Threads", unit: "", series: [["platform threads", (c) => c.threads],
    ["virtual mounted", (c) => c.virtualMounted], ["virtual queued", (c) => c.virtualQueued]] });
  specs.push({ id: "gc", title: "GC time (ms per second)", unit: "ms/s", series: [["gc", (c) => c.gcMillisPerSecond]] });
  return specs;
}

function buildCharts(view) {
  const h = state.history;
  const box = $("#charts");
  for (const spec of chartSpecs(view)) {
    const div = document.createElement("div");
    div.className = "chart";
    div.id = "chart-" + spec.id;
    box.appendChild(div);
    const data = [h.t.map((t) => t / 1000), ...spec.series.map(([, pick]) => pick(h) || h.t.map(() => null))];
    const opts = {
      title: spec.title, width: Math.max(380, div.clientWidth - 12), height: 190,
      scales: { x: { time: true } }, legend: { live: true },
      axes: [{ stroke: "#8693a3", grid: { stroke: "#222a33" } }, { stroke: "#8693a3", grid: { stroke: "#222a33" }, size: 56 }],
      series: [{}, ...spec.series.map(([name], i) => ({ label: name, stroke: palette[i % palette.length], width: 1.5, spanGaps: false,
        value: (u, v) => v == null ? "–" : num(v, 2) + " " + spec.unit }))],
    };
    const chart = new uPlot(opts, data, div);
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
    chart.setData([h.t.map((t) => t / 1000), ...chart.spec.series.map(([, pick]) => pick(h) || h.t.map(() => null))]);
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
