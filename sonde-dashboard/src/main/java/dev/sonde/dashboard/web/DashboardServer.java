package dev.sonde.dashboard.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.core.error.SondeException;
import dev.sonde.dashboard.jvm.JvmConnection;
import dev.sonde.dashboard.watch.JvmView;
import dev.sonde.dashboard.watch.JvmWatcher;
import dev.sonde.dashboard.watch.WatchedJvm;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.sse.SseClient;

import java.io.IOException;
import java.net.BindException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's web server (Javalin on Jetty): the page, its assets, a JSON API and a server-sent event
 * stream that pushes every poll round, so the page never needs a reload. Every request must carry the
 * {@link AccessToken}; without it the answer is 401 and nothing else.
 */
public final class DashboardServer implements AutoCloseable {

    /** Optional extra routes (reports, /metrics) that live in their own packages. */
    public interface Extension {
        void register(io.javalin.config.RoutesConfig routes, JvmWatcher watcher);

        /** Whether this extension lets in a request without the dashboard's token (the scrape token on /metrics). */
        default boolean admits(Context ctx) {
            return false;
        }
    }

    private final JvmWatcher watcher;
    private final AccessToken token;
    private final Instant startedAt = Instant.now();
    private final Map<SseClient, String> streams = new ConcurrentHashMap<>();
    private final Javalin app;
    private final List<Extension> extensions;

    private DashboardServer(JvmWatcher watcher, AccessToken token, String host, int port, List<Extension> extensions) {
        this.watcher = watcher;
        this.token = token;
        this.extensions = List.copyOf(extensions);
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.concurrency.useVirtualThreads = true;
            config.jetty.host = host;
            config.jetty.port = port;
            config.routes.before(this::admit);
            config.routes.get("/", ctx -> asset(ctx, "index.html"));
            config.routes.get("/assets/{name}", ctx -> asset(ctx, ctx.pathParam("name")));
            config.routes.get("/api/overview", ctx -> json(ctx, overview()));
            config.routes.get("/api/jvms/{id}", ctx -> json(ctx, jvm(ctx).view()));
            config.routes.get("/api/jvms/{id}/history", ctx -> json(ctx, jvm(ctx).history().columns(since(ctx))));
            config.routes.get("/api/jvms/{id}/settings", ctx -> json(ctx, live(ctx).settings()));
            config.routes.post("/api/jvms/{id}/settings", this::changeSettings);
            config.routes.sse("/api/events", this::stream);
            for (Extension extension : extensions) {
                extension.register(config.routes, watcher);
            }
            config.routes.exception(SondeException.class, (failure, ctx) ->
                    ctx.status(failure.kind() == dev.sonde.core.error.ErrorKind.NOT_FOUND ? 404 : 400)
                            .contentType("application/json").result(DashboardJson.write(Map.of("error", failure.getMessage()))));
        });
        watcher.onRound(round -> broadcast());
    }

    /**
     * Starts serving on {@code host:port} (port 0 picks a free one).
     *
     * @throws SondeException with one sentence when the port is taken or the address cannot be bound
     */
    public static DashboardServer start(JvmWatcher watcher, AccessToken token, String host, int port, List<Extension> extensions) {
        DashboardServer server = new DashboardServer(watcher, token, host, port, extensions);
        try {
            server.app.start();
        } catch (RuntimeException e) {
            server.app.stop();
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof BindException) {
                    throw SondeException.invalidInput("The dashboard cannot listen on " + host + ":" + port + " (" + cause.getMessage()
                            + "); choose another --port, or 0 for a free one.");
                }
            }
            throw e;
        }
        return server;
    }

    public int port() {
        return app.port();
    }

    public AccessToken token() {
        return token;
    }

    private void admit(Context ctx) {
        if (token.matches(ctx.queryParam(AccessToken.QUERY)) && ctx.path().equals("/")) {
            // The first visit: the token moves from the URL into a cookie only this site's requests carry.
            ctx.header("Set-Cookie", AccessToken.COOKIE + "=" + token.value() + "; Path=/; HttpOnly; SameSite=Strict");
            ctx.redirect("/", HttpStatus.SEE_OTHER);
            ctx.skipRemainingHandlers();
            return;
        }
        if (!token.admits(ctx) && extensions.stream().noneMatch(extension -> extension.admits(ctx))) {
            ctx.status(HttpStatus.UNAUTHORIZED).contentType("text/plain").result("401: open the URL with the token that `sonde dashboard` printed.\n");
            ctx.skipRemainingHandlers();
        }
    }

    private static void asset(Context ctx, String name) {
        if (!Assets.exists(name)) {
            ctx.status(HttpStatus.NOT_FOUND).result("No such file.");
            return;
        }
        ctx.contentType(Assets.contentType(name)).header("Cache-Control", "no-cache").result(Assets.bytes(name));
    }

    private static void json(Context ctx, Object value) {
        ctx.contentType("application/json").result(DashboardJson.write(value));
    }

    private Map<String, Object> overview() {
        Map<String, Object> overview = new LinkedHashMap<>();
        JvmWatcher.Round round = watcher.lastRound();
        overview.put("dashboard", Map.of("startedAt", startedAt, "intervalMillis", watcher.settings().interval().toMillis(),
                "historyMillis", watcher.settings().history().toMillis(), "roundMillis", round.tookMillis(),
                "pid", ProcessHandle.current().pid()));
        overview.put("jvms", watcher.jvms().stream().map(jvm -> jvm.view().summary()).toList());
        return overview;
    }

    private WatchedJvm jvm(Context ctx) {
        String id = ctx.pathParam("id");
        return watcher.find(id).orElseThrow(() -> SondeException.notFound("No JVM with id " + id
                + " is watched; the overview (/api/overview) lists the ids."));
    }

    private JvmConnection live(Context ctx) {
        WatchedJvm jvm = jvm(ctx);
        JvmView view = jvm.view();
        if (!view.hasRuntime()) {
            throw SondeException.invalidInput(describe(view) + " does not run sonde-runtime, so it has no settings to change.");
        }
        return jvm.connection().orElseThrow(() -> SondeException.invalidInput(describe(view) + " is "
                + view.status().name().toLowerCase() + "; its settings can be changed once it answers again."));
    }

    private void changeSettings(Context ctx) {
        JsonNode body;
        try {
            body = DashboardJson.MAPPER.readTree(ctx.body());
        } catch (IOException e) {
            throw SondeException.invalidInput("The request body is not JSON; send {\"key\": \"scopes.mode\", \"value\": \"STRICT\"}.");
        }
        if (body == null || !body.path("key").isTextual() || body.path("key").asText().isBlank() || !body.has("value")) {
            throw SondeException.invalidInput("Send the setting as {\"key\": \"scopes.mode\", \"value\": \"STRICT\"}.");
        }
        String key = body.get("key").asText().trim();
        String value = body.get("value").asText();
        JvmConnection connection = live(ctx);
        connection.apply(Map.of(key, value));
        String now = connection.settings().stream().filter(s -> s.key().equals(key)).map(JvmConnection.SettingValue::value)
                .findFirst().orElse(value);
        json(ctx, Map.of("key", key, "value", now));
    }

    private void stream(SseClient client) {
        client.keepAlive();
        String focus = client.ctx().queryParam("focus");
        streams.put(client, focus == null ? "" : focus);
        client.onClose(() -> streams.remove(client));
        client.sendEvent("round", DashboardJson.write(roundEvent(focus)));
    }

    private void broadcast() {
        for (Map.Entry<SseClient, String> stream : streams.entrySet()) {
            SseClient client = stream.getKey();
            if (client.terminated()) {
                streams.remove(client);
                continue;
            }
            try {
                client.sendEvent("round", DashboardJson.write(roundEvent(stream.getValue())));
            } catch (RuntimeException gone) {
                streams.remove(client);
            }
        }
    }

    /** The overview, and for the JVM the page shows, its full view. */
    private Map<String, Object> roundEvent(String focus) {
        Map<String, Object> event = overview();
        if (focus != null && !focus.isEmpty()) {
            watcher.find(focus).ifPresent(jvm -> event.put("focus", jvm.view()));
        }
        return event;
    }

    private static long since(Context ctx) {
        String since = ctx.queryParam("since");
        try {
            return since == null ? 0 : Long.parseLong(since);
        } catch (NumberFormatException e) {
            throw SondeException.invalidInput("since=" + since + " is not a time in epoch milliseconds.");
        }
    }

    private static String describe(JvmView view) {
        return view.pid() > 0 ? "JVM " + view.pid() + " (" + view.mainClass() + ")" : "JVM at " + view.address();
    }

    @Override
    public void close() {
        streams.keySet().forEach(SseClient::close);
        app.stop();
    }
}
