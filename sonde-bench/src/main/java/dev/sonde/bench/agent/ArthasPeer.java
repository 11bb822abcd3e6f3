package dev.sonde.bench.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Arthas attached to a local JVM, driven in batch through its HTTP API (the full distribution from Maven Central,
 * so nothing is downloaded): {@code arthas-boot --attach-only --arthas-home DIR}, then {@code watch} jobs whose
 * results a pull loop writes to a file, as a user's {@code watch ... > file} would.
 */
final class ArthasPeer implements AutoCloseable {

    /** Where the build unpacks the distribution (sonde-bench's pom); {@code -Dsonde.bench.arthas.home} overrides it. */
    static Path home() {
        String configured = System.getProperty("sonde.bench.arthas.home");
        if (configured != null) {
            return Path.of(configured);
        }
        Path classes = Path.of(ArthasPeer.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        // target/classes (tests) or target/sonde-bench.jar (./sonde bench): the distribution is target/arthas
        return classes.getParent().resolve("arthas");
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI api;
    private final long attachMillis;

    private ArthasPeer(URI api, long attachMillis) {
        this.api = api;
        this.attachMillis = attachMillis;
    }

    /** Attaches Arthas from {@code home} to {@code pid}, its HTTP and telnet servers on free loopback ports. */
    static ArthasPeer attach(Path home, long pid) throws IOException, InterruptedException {
        if (!Files.isRegularFile(home.resolve("arthas-boot.jar"))) {
            throw new IllegalStateException("Arthas is not unpacked at " + home + "; build sonde-bench with Maven (it unpacks"
                    + " com.taobao.arthas:arthas-packaging:4.0.5:zip:bin there) or set -Dsonde.bench.arthas.home.");
        }
        int port;
        int telnetPort;
        try (ServerSocket free = new ServerSocket(0); ServerSocket other = new ServerSocket(0)) {
            port = free.getLocalPort();
            telnetPort = other.getLocalPort();
        }
        long started = System.nanoTime();
        Path log = Files.createTempFile("arthas-boot", ".log");
        Process boot = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                home.resolve("arthas-boot.jar").toString(), "--arthas-home", home.toString(), "--attach-only",
                "--telnet-port", Integer.toString(telnetPort), "--http-port", Integer.toString(port), Long.toString(pid))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!boot.waitFor(60, TimeUnit.SECONDS) || boot.exitValue() != 0) {
            boot.destroyForcibly();
            throw new IllegalStateException("arthas-boot did not attach to " + pid + ": " + Files.readString(log).strip());
        }
        Files.deleteIfExists(log);
        ArthasPeer peer = new ArthasPeer(URI.create("http://127.0.0.1:" + port + "/api"), 0);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                if (peer.call(JSON.createObjectNode().put("action", "exec").put("command", "version")).path("state").asText().equals("SUCCEEDED")) {
                    return new ArthasPeer(peer.api, (System.nanoTime() - started) / 1_000_000);
                }
            } catch (IOException notYet) {
                // the HTTP server starts a moment after the attach returns
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Arthas attached to " + pid + " but its HTTP API on port " + port + " never answered.");
            }
            Thread.sleep(100);
        }
    }

    /** From starting arthas-boot to the HTTP API answering, in milliseconds. */
    long attachMillis() {
        return attachMillis;
    }

    /**
     * Starts {@code watch CLASS METHOD EXPRESS} with no hit limit in a session of its own; a thread pulls its results
     * and writes each one's value to {@code file} until the watch is closed (which also restores the class).
     */
    Watch watch(String className, String method, String express, Path file) throws IOException, InterruptedException {
        JsonNode session = call(JSON.createObjectNode().put("action", "init_session"));
        String sessionId = session.path("sessionId").asText();
        String consumerId = session.path("consumerId").asText();
        JsonNode started = call(JSON.createObjectNode().put("action", "async_exec").put("sessionId", sessionId)
                .put("command", "watch " + className + " " + method + " '" + express + "' -n 2000000000 -x 1"));
        if (!started.path("state").asText().equals("SCHEDULED")) {
            throw new IllegalStateException("Arthas refused the watch: " + started);
        }
        Watch watch = new Watch(sessionId, consumerId, Files.newBufferedWriter(file));
        watch.puller.start();
        // armed once the first result arrives (the enhancement is done by then)
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (watch.lines.get() == 0) {
            if (System.nanoTime() > deadline || !watch.puller.isAlive()) {
                watch.close();
                throw new IllegalStateException("Arthas's watch printed nothing within 30 s" + (watch.failure == null ? "." : ": " + watch.failure));
            }
            Thread.sleep(10);
        }
        return watch;
    }

    /** A running watch: its results go to a file, counted. */
    final class Watch implements AutoCloseable {
        private final String sessionId;
        private final String consumerId;
        private final BufferedWriter out;
        private final AtomicLong lines = new AtomicLong();
        private final Thread puller;
        private volatile boolean running = true;
        private volatile String failure;

        private Watch(String sessionId, String consumerId, BufferedWriter out) {
            this.sessionId = sessionId;
            this.consumerId = consumerId;
            this.out = out;
            this.puller = Thread.ofPlatform().daemon().name("arthas-pull").unstarted(this::pull);
        }

        long lines() {
            return lines.get();
        }

        private void pull() {
            try {
                while (running) {
                    JsonNode answer = call(JSON.createObjectNode().put("action", "pull_results").put("sessionId", sessionId)
                            .put("consumerId", consumerId));
                    for (JsonNode result : answer.path("body").path("results")) {
                        String type = result.path("type").asText();
                        if (type.equals("watch")) {
                            out.write(result.path("value").asText().replace('\n', ' '));
                            out.newLine();
                            lines.incrementAndGet();
                        } else if ((type.equals("message") && result.path("message").asText().contains("interrupted"))
                                || (type.equals("status") && result.path("statusCode").asInt() != 0)) {
                            failure = result.toString();
                        }
                    }
                }
            } catch (IOException | InterruptedException e) {
                if (running) {
                    failure = e.toString();
                }
            }
        }

        /** Why the watch ended early, or null: Arthas interrupts a job whose results nobody pulls fast enough. */
        String failure() {
            return failure;
        }

        @Override
        public void close() throws IOException, InterruptedException {
            running = false;
            call(JSON.createObjectNode().put("action", "interrupt_job").put("sessionId", sessionId));
            puller.join(5_000);
            call(JSON.createObjectNode().put("action", "close_session").put("sessionId", sessionId));
            exec("reset");
            out.close();
        }
    }

    /** Runs one command to its end in a session of its own. */
    JsonNode exec(String command) throws IOException, InterruptedException {
        return call(JSON.createObjectNode().put("action", "exec").put("command", command));
    }

    private JsonNode call(ObjectNode request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(api).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(request.toString())).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    /** Stops Arthas in the target (restoring every class it changed). */
    @Override
    public void close() {
        try {
            exec("stop");
        } catch (IOException | InterruptedException | UncheckedIOException e) {
            // the target is being killed anyway
        }
    }
}
