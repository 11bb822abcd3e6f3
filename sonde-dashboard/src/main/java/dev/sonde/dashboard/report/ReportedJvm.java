package dev.sonde.dashboard.report;

import dev.sonde.dashboard.watch.JvmView;

import java.util.Map;

/**
 * One JVM in a report: what was known of it when the report was made, and its time series as columns
 * ({@code t}, the JVM-wide series, {@code operations}), as {@code JvmHistory.columns} gives them.
 */
public record ReportedJvm(JvmView view, Map<String, Object> history) {

    public ReportedJvm {
        history = Map.copyOf(history);
    }
}
