package dev.sonde.dashboard.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.core.config.DurationText;
import dev.sonde.dashboard.watch.JvmWatcher;
import dev.sonde.dashboard.watch.WatchedJvm;
import dev.sonde.dashboard.web.DashboardJson;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * A report to attach to an incident ticket: every JVM's state and the time series held for it, as JSON
 * ({@code {generatedAt, since, generator, jvms: [{...view, runtime, history}]}}) or as one self-contained
 * HTML file that opens offline (see {@link ReportHtml}).
 *
 * @param since how far back the time series reach
 */
public record Report(Instant generatedAt, Duration since, String generator, List<ReportedJvm> jvms) {

    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmm");

    public Report {
        jvms = List.copyOf(jvms);
    }

    /** Every JVM the dashboard watches, with the history of the last {@code since}. */
    public static Report of(JvmWatcher watcher, Duration since) {
        Instant now = Instant.now();
        long from = now.minus(since).toEpochMilli();
        List<ReportedJvm> jvms = watcher.jvms().stream()
                .map((WatchedJvm jvm) -> new ReportedJvm(jvm.view(), jvm.history().columns(from)))
                .toList();
        return new Report(now, since, sondeVersion(), jvms);
    }

    /** JVMs read directly (by {@code sonde report}), each with the one sample it gave. */
    public static Report of(List<ReportedJvm> jvms, Duration since) {
        return new Report(Instant.now(), since, sondeVersion(), jvms);
    }

    /** {@code sonde <version>}: what made the report. */
    public static String sondeVersion() {
        String version = Report.class.getPackage().getImplementationVersion();
        return "sonde " + (version == null ? "0.1.0-SNAPSHOT" : version);
    }

    /** The report as a JSON tree: each JVM's view, its runtime snapshot as an object, and its history columns. */
    public ObjectNode toJsonTree() {
        ObjectNode root = DashboardJson.MAPPER.createObjectNode();
        root.put("generatedAt", generatedAt.toString());
        root.put("since", DurationText.format(since));
        root.put("generator", generator);
        ArrayNode list = root.putArray("jvms");
        for (ReportedJvm jvm : jvms) {
            // Written and read back, so the view's raw runtime JSON becomes part of the tree.
            ObjectNode node = (ObjectNode) readTree(DashboardJson.write(jvm.view()));
            node.set("history", DashboardJson.MAPPER.valueToTree(jvm.history()));
            list.add(node);
        }
        return root;
    }

    public String json() {
        try {
            return DashboardJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toJsonTree());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The report could not be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    public String html() {
        return ReportHtml.render(this);
    }

    /** {@code sonde-report-20261202-0507.html}: the file name for {@code extension}, in local time. */
    public String fileName(String extension) {
        return "sonde-report-" + FILE_TIME.format(generatedAt.atZone(ZoneId.systemDefault())) + "." + extension;
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
        try {
            return DashboardJson.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The report could not read its own JSON: " + e.getOriginalMessage(), e);
        }
    }
}
