package dev.sonde.dashboard.metrics;

import dev.sonde.dashboard.watch.JvmWatcher;
import dev.sonde.dashboard.web.AccessToken;
import dev.sonde.dashboard.web.DashboardServer;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * {@code GET /metrics}: every watched JVM in the Prometheus text format. It takes the dashboard's token like
 * every route, and also a read-only scrape token (as {@code Authorization: Bearer}) that admits nothing else,
 * so a Prometheus server's config never holds the key to the settings of the services.
 */
public final class MetricsRoutes implements DashboardServer.Extension {

    public static final String PATH = "/metrics";
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final AccessToken scrapeToken;
    private final PrometheusExport export = new PrometheusExport();

    public MetricsRoutes(AccessToken scrapeToken) {
        this.scrapeToken = scrapeToken;
    }

    public AccessToken scrapeToken() {
        return scrapeToken;
    }

    @Override
    public void register(RoutesConfig routes, JvmWatcher watcher) {
        routes.get(PATH, ctx -> ctx.contentType(CONTENT_TYPE).header("Cache-Control", "no-store").result(export.scrape(watcher.jvms())));
    }

    /** The scrape token opens {@code /metrics} and nothing else. */
    @Override
    public boolean admits(Context ctx) {
        if (!PATH.equals(ctx.path()) || !"GET".equals(ctx.method().name())) {
            return false;
        }
        String authorization = ctx.header("Authorization");
        return authorization != null && authorization.startsWith("Bearer ") && scrapeToken.matches(authorization.substring(7).trim());
    }
}
