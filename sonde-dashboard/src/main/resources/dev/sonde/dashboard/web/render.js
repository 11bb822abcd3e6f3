// Rendering shared by the dashboard page (app.js) and the self-contained report: formatting, the runtime's
// tables and the chart specifications. Plain functions of their arguments; no page state.
"use strict";

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

// ---- charts (uPlot) -----------------------------------------------------------------------------------------

const palette = ["#58a6ff", "#3fb950", "#d29922", "#f85149", "#bc8cff", "#39c5cf", "#ff7b72", "#e3b341"];

function chartSpecs(view, h) {
  const specs = [];
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

function chartData(spec, h) {
  return [h.t.map((t) => t / 1000), ...spec.series.map(([, pick]) => pick(h) || h.t.map(() => null))];
}

function chartOptions(spec, width) {
  return {
    title: spec.title, width, height: 190,
    scales: { x: { time: true } }, legend: { live: true },
    axes: [{ stroke: "#8693a3", grid: { stroke: "#222a33" } }, { stroke: "#8693a3", grid: { stroke: "#222a33" }, size: 56 }],
    series: [{}, ...spec.series.map(([name], i) => ({ label: name, stroke: palette[i % palette.length], width: 1.5, spanGaps: false,
      value: (u, v) => v == null ? "–" : num(v, 2) + " " + spec.unit }))],
  };
}
