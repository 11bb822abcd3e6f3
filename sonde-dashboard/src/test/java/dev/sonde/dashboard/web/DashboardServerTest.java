package dev.sonde.dashboard.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.core.error.SondeException;
import dev.sonde.dashboard.Dashboard;
import dev.sonde.dashboard.jvm.JvmConnection;
import dev.sonde.dashboard.watch.WatchSettings;
import dev.sonde.demo.OrderService;
import dev.sonde.fixtures.Markers;
import dev.sonde.fixtures.Sleeper;
import dev.sonde.fixtures.TargetJvm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The dashboard's HTTP side against a real server watching real JVMs: access, the JSON API, the event stream, settings. */
class DashboardServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private static TargetJvm demo;
    private static Dashboard dashboard;
    private static String base;
    private static String token;

    @BeforeAll
    static void start() {
        demo = TargetJvm.start("order service started", "-cp", System.getProperty("java.class.path"), OrderService.class.getName());
        WatchSettings settings = new WatchSettings(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMinutes(2),
                Duration.ofSeconds(20), List.of(), 0.8, true);
        dashboard = Dashboard.start(settings, "127.0.0.1", 0, false, AccessToken.random(), List.of());
        base = "http://127.0.0.1:" + dashboard.port();
        token = dashboard.url().substring(dashboard.url().indexOf("token=") + 6);
    }

    @AfterAll
    static void stop() {
        if (dashboard != null) {
            dashboard.close();
        }
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void everyRequestWithoutTheTokenGets401AndNothingElse() throws Exception {
        for (String path : List.of("/", "/assets/app.js", "/api/overview", "/api/jvms/pid-" + demo.pid(), "/api/events", "/nope")) {
            HttpResponse<String> anonymous = send(HttpRequest.newBuilder(URI.create(base + path)).build());
            assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
            assertThat(anonymous.body()).as(path).doesNotContain("OrderService", "jvms", "function");
            HttpResponse<String> wrong = send(HttpRequest.newBuilder(URI.create(base + path)).header(AccessToken.HEADER, token + "x").build());
            assertThat(wrong.statusCode()).as(path).isEqualTo(401);
        }
        HttpResponse<String> wrongQuery = send(HttpRequest.newBuilder(URI.create(base + "/?token=" + token.substring(1))).build());
        assertThat(wrongQuery.statusCode()).isEqualTo(401);
        assertThat(wrongQuery.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void theFirstVisitMovesTheTokenIntoAStrictHttpOnlyCookie() throws Exception {
        HttpResponse<String> visit = send(HttpRequest.newBuilder(URI.create(dashboard.url())).build());
        assertThat(visit.statusCode()).isEqualTo(303);
        assertThat(visit.headers().firstValue("Location")).hasValue("/");
        String cookie = visit.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith(AccessToken.COOKIE + "=" + token + ";").contains("HttpOnly", "SameSite=Strict");
        HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(base + "/")).header("Cookie", cookie.split(";")[0]).build());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>Sonde dashboard</title>", "/assets/uPlot.iife.min.js").doesNotContain("http://", "https://");
        HttpResponse<String> bearer = send(HttpRequest.newBuilder(URI.create(base + "/api/overview"))
                .header("Authorization", "Bearer " + token).build());
        assertThat(bearer.statusCode()).isEqualTo(200);
    }

    @Test
    void theDemoJvmIsLiveWithItsRuntimeOperationsAndHistory() throws Exception {
        String id = "pid-" + demo.pid();
        JsonNode view = await("the demo JVM with two samples of throughput", "/api/jvms/" + id,
                v -> v.path("status").asText().equals("LIVE") && v.path("sample").path("throughput").isNumber());
        assertThat(view.path("hasRuntime").asBoolean()).isTrue();
        assertThat(view.path("mainClass").asText()).isEqualTo(OrderService.class.getName());
        List<String> operations = new ArrayList<>();
        view.path("runtime").path("operations").path("byName").forEach(op -> operations.add(op.path("name").asText()));
        assertThat(operations).contains("order", "order.price", "payment.charge");
        assertThat(view.path("health").path("colour").asText()).isIn("GREEN", "AMBER", "RED");

        JsonNode overview = get("/api/overview");
        JsonNode listed = find(overview.path("jvms"), id);
        assertThat(listed).as("the overview lists the demo").isNotNull();
        assertThat(listed.path("runtime").isNull() || listed.path("runtime").isMissingNode()).as("the overview omits the bulky snapshot").isTrue();

        JsonNode history = get("/api/jvms/" + id + "/history");
        int samples = history.path("t").size();
        assertThat(samples).isGreaterThanOrEqualTo(2);
        assertThat(history.path("throughput").size()).isEqualTo(samples);
        assertThat(history.path("operations").path("order").path("throughput").size()).isEqualTo(samples);
        long last = history.path("t").get(samples - 1).asLong();
        List<Long> since = new ArrayList<>();
        get("/api/jvms/" + id + "/history?since=" + (last + 1)).path("t").forEach(t -> since.add(t.asLong()));
        assertThat(since).as("only samples newer than asked (a poll may land between the two requests)").allMatch(t -> t > last);
    }

    @Test
    void theEventStreamPushesEveryRoundWithTheFocusedJvm() throws Exception {
        String id = "pid-" + demo.pid();
        await("the demo JVM live", "/api/jvms/" + id, v -> v.path("status").asText().equals("LIVE"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/events?focus=" + id))
                .header("Accept", "text/event-stream").header(AccessToken.HEADER, token).build();
        HttpResponse<InputStream> stream = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        // A JVM slower than the interval shows its poll in a later round, so a round may repeat the last poll:
        // read rounds until the focused JVM's poll moves on (bounded), and check it never goes back.
        List<JsonNode> rounds = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            String event = null;
            for (String line = lines.readLine(); line != null && !pollMovedOn(rounds) && rounds.size() < 60; line = lines.readLine()) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ") && "round".equals(event)) {
                    rounds.add(JSON.readTree(line.substring(6)));
                }
            }
        }
        assertThat(rounds).hasSizeGreaterThanOrEqualTo(2);
        for (JsonNode round : rounds) {
            assertThat(find(round.path("jvms"), id)).isNotNull();
            assertThat(round.path("focus").path("id").asText()).isEqualTo(id);
            assertThat(round.path("focus").path("runtime").path("operations").isObject()).isTrue();
        }
        List<Instant> polls = rounds.stream().map(DashboardServerTest::lastPoll).toList();
        assertThat(polls).as("the focused JVM's last poll, round by round").isSorted();
        assertThat(pollMovedOn(rounds)).as("a later round carries a newer poll: %s", polls).isTrue();
    }

    @Test
    void aSettingChangedThroughTheApiIsInForceAndABadOneIsRefusedWithASentence() throws Exception {
        String id = "pid-" + demo.pid();
        await("the demo JVM live", "/api/jvms/" + id, v -> v.path("status").asText().equals("LIVE"));
        HttpResponse<String> applied = post("/api/jvms/" + id + "/settings", "{\"key\":\"resources.leakAge\",\"value\":\"3s\"}");
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
        try (JvmConnection direct = JvmConnection.open(demo.pid(), Duration.ofSeconds(20))) {
            assertThat(direct.settings()).anySatisfy(s -> {
                assertThat(s.key()).isEqualTo("resources.leakAge");
                assertThat(s.value()).isEqualTo("3s");
            });
        }
        HttpResponse<String> refused = post("/api/jvms/" + id + "/settings", "{\"key\":\"resources.leakAge\",\"value\":\"soon\"}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(oneSentence(refused)).contains("resources.leakAge");
        HttpResponse<String> unknownKey = post("/api/jvms/" + id + "/settings", "{\"key\":\"no.such.key\",\"value\":\"1\"}");
        assertThat(unknownKey.statusCode()).isEqualTo(400);
        assertThat(oneSentence(unknownKey)).contains("no.such.key");
        HttpResponse<String> notJson = post("/api/jvms/" + id + "/settings", "key=value");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(oneSentence(notJson)).contains("not JSON");
        HttpResponse<String> noKey = post("/api/jvms/" + id + "/settings", "{\"value\":\"1\"}");
        assertThat(noKey.statusCode()).isEqualTo(400);
        HttpResponse<String> unknownJvm = post("/api/jvms/pid-1/settings", "{\"key\":\"resources.leakAge\",\"value\":\"3s\"}");
        assertThat(unknownJvm.statusCode()).isEqualTo(404);
        assertThat(oneSentence(unknownJvm)).contains("pid-1");
        try (JvmConnection direct = JvmConnection.open(demo.pid(), Duration.ofSeconds(20))) {
            assertThat(direct.settings()).filteredOn(s -> s.key().equals("resources.leakAge"))
                    .singleElement().satisfies(s -> assertThat(s.value()).as("the refused value changed nothing").isEqualTo("3s"));
        }
    }

    @Test
    void aJvmWithoutTheRuntimeIsListedWithItsOwnFiguresAndMarkedGoneWhenItEnds() throws Exception {
        TargetJvm sleeper = TargetJvm.start("sleeper up", "-cp", Markers.classPath().toString(), Sleeper.class.getName());
        String id = "pid-" + sleeper.pid();
        try {
            JsonNode view = await("the sleeper polled", "/api/jvms/" + id, v -> v.path("status").asText().equals("LIVE")
                    && v.path("sample").path("heapUsedMb").isNumber());
            assertThat(view.path("hasRuntime").asBoolean()).isFalse();
            assertThat(view.path("health").path("colour").asText()).isEqualTo("GREY");
            HttpResponse<String> noSettings = post("/api/jvms/" + id + "/settings", "{\"key\":\"resources.leakAge\",\"value\":\"3s\"}");
            assertThat(noSettings.statusCode()).isEqualTo(400);
            assertThat(oneSentence(noSettings)).contains("does not run sonde-runtime");
        } finally {
            sleeper.close();
        }
        JsonNode gone = await("the sleeper marked gone", "/api/jvms/" + id, v -> v.path("status").asText().equals("GONE"));
        assertThat(gone.path("endedAt").isTextual()).isTrue();
        assertThat(gone.path("sample").path("heapUsedMb").isNumber()).as("the last data is kept").isTrue();
    }

    @Test
    void anUnreachableJmxUrlIsListedWithItsSentenceAndEverythingElseGoesOn() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        String url = "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + closed + "/jmxrmi";
        WatchSettings before = dashboard.watcher().settings();
        dashboard.watcher().update(new WatchSettings(before.interval(), before.rescan(), before.history(), before.timeout(),
                List.of(new dev.sonde.dashboard.watch.JvmSource.Remote(url, null, null)), before.amberAt(), before.locals()));
        try {
            String id = new dev.sonde.dashboard.watch.JvmSource.Remote(url, null, null).id();
            JsonNode unreachable = await("the refused JMX URL marked unreachable", "/api/jvms/" + id,
                    v -> v.path("status").asText().equals("UNREACHABLE"));
            assertThat(unreachable.path("address").asText()).isEqualTo(url);
            assertThat(unreachable.path("error").asText()).contains("127.0.0.1:" + closed).endsWith(".").doesNotContain("\n", "Exception:");
            JsonNode demoView = await("the demo still polled", "/api/jvms/pid-" + demo.pid(), v -> v.path("status").asText().equals("LIVE"));
            assertThat(demoView.path("hasRuntime").asBoolean()).isTrue();
        } finally {
            dashboard.watcher().update(before);
        }
    }

    @Test
    void aBusyPortOrAnUnsafeBindIsOneSentence() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            WatchSettings settings = new WatchSettings(Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofMinutes(1),
                    Duration.ofSeconds(5), List.of(), 0.8, false);
            assertThatThrownBy(() -> Dashboard.start(settings, "127.0.0.1", taken.getLocalPort(), false, AccessToken.random(), List.of()))
                    .isInstanceOf(SondeException.class)
                    .hasMessageContaining(":" + taken.getLocalPort())
                    .hasMessageContaining("choose another --port");
        }
        assertThatThrownBy(() -> Dashboard.checkBind("0.0.0.0", false))
                .isInstanceOf(SondeException.class).hasMessageContaining("--allow-remote");
        assertThat(Dashboard.checkBind("0.0.0.0", true).isAnyLocalAddress()).isTrue();
        assertThatThrownBy(() -> Dashboard.checkBind("no-such-host.invalid", false))
                .isInstanceOf(SondeException.class).hasMessageContaining("Cannot resolve");
    }

    private static String oneSentence(HttpResponse<String> response) throws IOException {
        String error = JSON.readTree(response.body()).path("error").asText();
        assertThat(error).as(response.body()).isNotBlank().endsWith(".").doesNotContain("\n", "Exception");
        return error;
    }

    private static JsonNode find(JsonNode jvms, String id) {
        for (JsonNode jvm : jvms) {
            if (jvm.path("id").asText().equals(id)) {
                return jvm;
            }
        }
        return null;
    }

    private static JsonNode await(String what, String path, Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = send(authorized(path).build());
            if (response.statusCode() == 200) {
                last = JSON.readTree(response.body());
                if (condition.test(last)) {
                    return last;
                }
            }
            TargetJvm.sleep(200);
        }
        throw new AssertionError("never saw " + what + " within " + PATIENCE.toSeconds() + " s; last: " + last);
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = send(authorized(path).build());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return send(authorized(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static HttpRequest.Builder authorized(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header(AccessToken.HEADER, token);
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static boolean pollMovedOn(List<JsonNode> rounds) {
        return rounds.size() >= 2 && lastPoll(rounds.get(rounds.size() - 1)).isAfter(lastPoll(rounds.get(0)));
    }

    private static Instant lastPoll(JsonNode round) {
        return Instant.parse(round.path("focus").path("lastPoll").asText());
    }
}
