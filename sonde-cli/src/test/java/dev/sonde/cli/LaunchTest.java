package dev.sonde.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.core.launch.HostPort;
import dev.sonde.core.launch.JdwpHandshake;
import dev.sonde.fixtures.Exiter;
import dev.sonde.fixtures.Markers;
import dev.sonde.fixtures.Sleeper;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sonde launch}: a debuggee on a debug port, its output, its end, and no orphans. */
class LaunchTest {

    @Test
    void printsAddressAsJsonForwardsOutputAndExitsWithTheDebuggee() throws IOException {
        Cli.Run run = Cli.run(Cli.withTarget(List.of("launch", "--json"), Exiter.class, "200", "3"));
        assertThat(run.exit()).as(run.toString()).isEqualTo(3);
        List<String> lines = run.out().lines().toList();
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertThat(first.path("address").asText()).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(first.path("pid").asLong()).isPositive();
        assertThat(first.path("bound").asText()).isEqualTo(first.path("address").asText());
        assertThat(first.size()).isEqualTo(3);
        assertThat(run.out()).contains("exiter started", "exiter leaving with 3");
        assertThat(run.err()).contains("exiter stderr line");
    }

    @Test
    void textModeTellsHowToAttach() {
        Cli.Run run = Cli.run(Cli.withTarget(List.of("launch"), Exiter.class, "100", "0"));
        assertThat(run.exit()).isZero();
        assertThat(run.err()).containsPattern("Debug port 127\\.0\\.0\\.1:\\d+ \\(pid \\d+\\)\\.")
                .contains("Attach with `sonde attach 127.0.0.1:")
                .contains("Remote JVM Debug");
    }

    @Test
    void busyPortIsRefusedClearly() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli.Run run = Cli.run(Cli.withTarget(List.of("launch", "--port", Integer.toString(taken.getLocalPort())), Sleeper.class));
            assertThat(run.exit()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(run.err()).isEqualTo("error: Port " + taken.getLocalPort()
                    + " on 127.0.0.1 is already in use; choose another with --port, or --port 0 to pick a free one." + System.lineSeparator());
        }
    }

    @Test
    void nonLoopbackBindNeedsAllowRemote() {
        Cli.Run run = Cli.run(Cli.withTarget(List.of("launch", "--bind", "0.0.0.0"), Sleeper.class));
        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).isEqualTo("error: Refusing to bind the debug port to 0.0.0.0 (server.bind from flag --bind): anyone who can reach a debug port can run"
                + " any code in the target; pass --allow-remote if you mean it." + System.lineSeparator());
    }

    @Test
    void missingJavaArgumentsIsAUsageError() {
        Cli.Run run = Cli.run("launch");
        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("Missing required parameter: 'JAVA_ARGS'");
    }

    @Test
    void interruptLeavesNoOrphan() throws Exception {
        Process sonde = new ProcessBuilder(Cli.java().toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "launch", "--json", "--", "-cp", Markers.classPath().toString(), Sleeper.class.getName())
                .redirectErrorStream(false).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(sonde.getInputStream(), StandardCharsets.UTF_8));
            JsonNode first = new ObjectMapper().readTree(out.readLine());
            long debuggee = first.path("pid").asLong();
            assertThat(ProcessHandle.of(debuggee)).isPresent();
            assertThat(out.readLine()).isEqualTo("sleeper up");

            new ProcessBuilder("kill", "-INT", Long.toString(sonde.pid())).start().waitFor();

            assertThat(sonde.waitFor(15, TimeUnit.SECONDS)).isTrue();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (ProcessHandle.of(debuggee).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(ProcessHandle.of(debuggee).map(ProcessHandle::isAlive).orElse(false)).as("debuggee %d still alive", debuggee).isFalse();
        } finally {
            sonde.descendants().forEach(ProcessHandle::destroyForcibly);
            sonde.destroyForcibly();
        }
    }

    @Test
    void detachLeavesTheDebuggeeRunningWithItsOutputInALogAfterSondeReturns() throws Exception {
        Process sonde = new ProcessBuilder(Cli.java().toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "launch", "--detach", "--json", "--", "-cp", Markers.classPath().toString(), Sleeper.class.getName())
                .redirectErrorStream(false).start();
        long debuggee = -1;
        try {
            assertThat(sonde.waitFor(60, TimeUnit.SECONDS)).as("sonde launch --detach returns").isTrue();
            assertThat(sonde.exitValue()).isZero();
            JsonNode first = new ObjectMapper().readTree(new String(sonde.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            debuggee = first.path("pid").asLong();
            Path log = Path.of(first.path("log").asText());

            assertThat(ProcessHandle.of(debuggee).map(ProcessHandle::isAlive).orElse(false)).as("the detached debuggee runs on").isTrue();
            assertThat(JdwpHandshake.probe(HostPort.parse(first.path("address").asText()), Duration.ofSeconds(5)))
                    .isEqualTo(JdwpHandshake.Result.ANSWERED);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!Files.readString(log).contains("sleeper up") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(Files.readString(log)).contains("sleeper up");
            Files.deleteIfExists(log);
        } finally {
            ProcessHandle.of(debuggee).ifPresent(ProcessHandle::destroyForcibly);
            sonde.destroyForcibly();
        }
    }
}
