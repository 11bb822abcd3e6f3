package dev.sonde.dashboard.report;

import dev.sonde.core.config.DurationText;
import dev.sonde.core.error.SondeException;
import dev.sonde.dashboard.watch.JvmWatcher;
import dev.sonde.dashboard.web.DashboardServer;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.time.Duration;

/**
 * {@code GET /api/report.html} and {@code /api/report.json} ({@code ?since=15m}, default the history the
 * dashboard keeps): every watched JVM as a report, downloaded as a file named for the moment it was made.
 */
public final class ReportRoutes implements DashboardServer.Extension {

    @Override
    public void register(RoutesConfig routes, JvmWatcher watcher) {
        routes.get("/api/report.json", ctx -> {
            Report report = Report.of(watcher, since(ctx, watcher));
            download(ctx, report.fileName("json"), "application/json; charset=utf-8", report.json());
        });
        routes.get("/api/report.html", ctx -> {
            Report report = Report.of(watcher, since(ctx, watcher));
            download(ctx, report.fileName("html"), "text/html; charset=utf-8", report.html());
        });
    }

    private static void download(Context ctx, String fileName, String contentType, String body) {
        ctx.header("Content-Disposition", "attachment; filename=\"" + fileName + "\"")
                .header("Cache-Control", "no-store")
                .contentType(contentType)
                .result(body);
    }

    private static Duration since(Context ctx, JvmWatcher watcher) {
        String since = ctx.queryParam("since");
        if (since == null || since.isBlank()) {
            return watcher.settings().history();
        }
        Duration parsed = DurationText.parse(since);
        if (parsed.isNegative() || parsed.isZero()) {
            throw SondeException.invalidInput("since=" + since + " is not a positive duration; write it like 5m or 1h.");
        }
        return parsed;
    }
}
