package dev.sonde.bench.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

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

/**
 * Arthas attached to a local JVM from its full distribution (Maven Central's, so nothing is downloaded):
 * {@code arthas-boot --attach-only --arthas-home DIR}; {@code watch} runs in batch mode through {@code arthas-client -c},
 * its output to a file, and the HTTP API restores classes ({@code reset}) and stops Arthas.
 */
final class ArthasPeer implements AutoCloseable {

    /** Where the build unpacks the distribution (sonde-bench's pom); {@code -Dsonde.bench.arthas.home} overrides it. */
    static Path home() {
        String configured = System.getProperty("sonde.bench.arthas.home");
        if (configured != null) {
            return Path.of(configured);
        }
        return AgentProbeBench.buildDirectory().resolve("arthas");
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI api;
    private final Path home;
    private final int telnetPort;
    private final long attachMillis;

    private ArthasPeer(URI api, Path home, int telnetPort, long attachMillis) {
        this.api = api;
        this.home = home;
        this.telnetPort = telnetPort;
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
        ArthasPeer peer = new ArthasPeer(URI.create("http://127.0.0.1:" + port + "/api"), home, telnetPort, 0);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                if (peer.call(JSON.createObjectNode().put("action", "exec").put("command", "version")).path("state").asText().equals("SUCCEEDED")) {
                    return new ArthasPeer(peer.api, home, telnetPort, (System.nanoTime() - started) / 1_000_000);
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
     * Starts {@code watch CLASS METHOD EXPRESS} with no hit limit in batch mode, as a user runs it: Arthas's telnet
     * client with {@code -c}, its output going to {@code file}, until the watch is closed (which also restores the
     * class). Arthas's HTTP API is not used for this: at this rate its result queue fills and Arthas interrupts the job.
     */
    Watch watch(String className, String method, String express, Path file) throws IOException, InterruptedException {
        Process client = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                home.resolve("arthas-client.jar").toString(), "-c", "watch " + className + " " + method + " '" + express + "' -n 2000000000 -x 1",
                "127.0.0.1", Integer.toString(telnetPort)).redirectErrorStream(true).redirectOutput(file.toFile()).start();
        Watch watch = new Watch(client, file);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (watch.records() == 0) {
            if (System.nanoTime() > deadline || !client.isAlive()) {
                watch.close();
                throw new IllegalStateException("Arthas's watch printed nothing within 30 s: " + Files.readString(file).strip());
            }
            Thread.sleep(10);
        }
        return watch;
    }

    /** A running watch: its results go to a file. */
    final class Watch implements AutoCloseable {
        private final Process client;
        private final Path file;
        private long recordBytes;

        private Watch(Process client, Path file) {
            this.client = client;
            this.file = file;
        }

        /** How many results the file holds: its size over the size of one result (each is several lines with -x 1). */
        long records() {
            try {
                if (recordBytes == 0) {
                    String head;
                    try (var in = Files.newInputStream(file)) {
                        head = new String(in.readNBytes(64 * 1024), java.nio.charset.StandardCharsets.UTF_8);
                    }
                    int first = head.indexOf("method=");
                    int last = head.lastIndexOf("method=");
                    int count = (head.length() - head.replace("method=", "").length()) / "method=".length();
                    if (count < 3) {
                        return 0;
                    }
                    recordBytes = Math.max(1, (last - first) / (count - 1));
                }
                return Files.size(file) / recordBytes;
            } catch (IOException e) {
                return 0;
            }
        }

        /** Ends the client (and with its session, the watch), then restores the class. */
        @Override
        public void close() throws IOException, InterruptedException {
            client.destroyForcibly();
            client.waitFor();
            exec("reset");
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
