// Sonde report: draws every JVM of the inline report data with the dashboard's own rendering (render.js).
"use strict";

(function () {
  const report = JSON.parse($("#report-data").textContent);
  const when = (t) => t ? new Date(t).toLocaleString() : "–";
  $("#report-meta").textContent = `${report.jvms.length} JVM${report.jvms.length === 1 ? "" : "s"} · generated ${when(report.generatedAt)}`
    + ` · series of the last ${report.since} · ${report.generator}`;

  const main = $("#report");
  const overview = table("jvms", ["", "JVM", "Status", "#ops/s", "#err", "#p99", "#CPU", "#Heap"], report.jvms.map((v) => {
    const s = v.sample || {};
    return [`<span class="dot ${v.health?.colour || "GREY"}" data-health="${esc(v.health?.colour)}"></span>`,
      `<a href="#jvm-${esc(v.id)}">${esc(label(v))}</a>`, esc(v.status.toLowerCase()) + (v.hasRuntime ? "" : " · no runtime"),
      num(s.throughput), s.errorRate == null ? "–" : pct(s.errorRate), ms(s.p99Millis),
      s.processCpu == null ? "–" : num(s.processCpu) + "%", s.heapUsedMb == null ? "–" : num(s.heapUsedMb, 0) + " MB"];
  }), "No JVM was watched.");
  main.insertAdjacentHTML("beforeend", `<h2>JVMs</h2>${overview}`);

  for (const view of report.jvms) {
    const section = document.createElement("section");
    section.className = "jvm";
    section.id = "jvm-" + view.id;
    section.dataset.jvm = view.id;
    const colour = view.health?.colour || "GREY";
    const status = [view.status.toLowerCase(), view.hasRuntime ? "sonde-runtime" : "no sonde-runtime",
      view.lastPoll ? "last read " + when(view.lastPoll) : "", view.endedAt ? "ended " + when(view.endedAt) : "", view.error || ""];
    section.innerHTML = `<div class="title"><span class="dot ${colour}" data-health="${esc(colour)}"></span><h2>${esc(label(view))}</h2>
        <span class="status">${esc(status.filter(Boolean).join(" · "))}</span></div>
      <div class="reasons ${colour}">${colour === "GREY" ? "" : esc((view.health?.reasons || []).join(" · "))}</div>
      <div class="charts"></div>
      <div class="tables">${view.runtime ? runtimeTables(view.runtime) : platformTables(view.platform)}</div>`;
    main.appendChild(section);
    const h = view.history;
    if (!h || !h.t || !h.t.length) continue;
    const box = section.querySelector(".charts");
    for (const spec of chartSpecs(view, h)) {
      const div = document.createElement("div");
      div.className = "chart";
      div.dataset.chart = spec.id;
      box.appendChild(div);
      const options = chartOptions(spec, Math.max(380, div.clientWidth - 12));
      // One sample (`sonde report` without a dashboard) gets a minute of axis instead of uPlot's guess of years.
      if (h.t.length === 1) options.scales.x.range = () => [h.t[0] / 1000 - 60, h.t[0] / 1000 + 5];
      new uPlot(options, chartData(spec, h), div);
    }
  }
})();
