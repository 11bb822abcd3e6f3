package dev.sonde.cli.python;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.cli.ExitCodes;
import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.launch.PythonFinder;
import dev.sonde.core.launch.PythonLaunchSpec;
import dev.sonde.core.launch.ServerManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sonde launch --python} and {@code sonde attach --dap}: apart, together, and when the other side is not there. */
class PythonLaunchAndAttachTest {

    private static final String TICKER = "ticker.py";

    @BeforeAll
    static void debugpy() {
        PythonCli.requireDebugpy();
    }

    @Test
    void launchPrintsTheAddressAsJsonAndAttachDetachesLeavingTheScriptToFinish() throws Exception {
        Process launch = new ProcessBuilder(PythonCli.sondeProcess("launch", "--json", "--python", PythonCli.script(TICKER), "20")).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(launch.getInputStream(), StandardCharsets.UTF_8));
            JsonNode first = new ObjectMapper().readTree(out.readLine());
            assertThat(first.size()).isEqualTo(3);
            String address = first.path("address").asText();
            assertThat(address).matches("127\\.0\\.0\\.1:\\d+");
            assertThat(first.path("bound").asText()).isEqualTo(address);
            long script = first.path("pid").asLong();

            int tickLine = PythonCli.line(TICKER, "return label");
            PythonCli.Run attach = PythonCli.run("attach", "--dap", address, "--json",
                    "--exec", "break " + PythonCli.script(TICKER) + ":" + tickLine + " if n == 3",
                    "--exec", "cont",
                    "--exec", "wait 20s",
                    "--exec", "print label",
                    "--exec", "delete",
                    "--exec", "detach");

            assertThat(attach.exit()).as(attach.toString()).isZero();
            JsonNode attached = attach.result("attach", 0);
            assertThat(attached.path("address").asText()).isEqualTo(address);
            assertThat(attached.path("target").asText()).startsWith("debugpy ");
            assertThat(attached.path("held").asBoolean()).isTrue();
            assertThat(attached.has("pid")).isFalse();
            assertThat(attach.result("wait", 0).path("stopped").path("location").path("method").asText()).isEqualTo("tick");
            assertThat(attach.result("print", 0).path("value").asText()).isEqualTo("\"tick 3\"");
            assertThat(attach.result("detach", 0).path("ok").asBoolean()).isTrue();
            assertThat(attach.events("terminated").get(0).path("reason").asText()).isEqualTo("detached; the target keeps running");

            assertThat(launch.waitFor(20, TimeUnit.SECONDS)).as("sonde launch ends with the script").isTrue();
            assertThat(launch.exitValue()).isZero();
            assertThat(new String(launch.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("ticker started", "ticker done");
            assertThat(ProcessHandle.of(script).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        } finally {
            launch.descendants().forEach(ProcessHandle::destroyForcibly);
            launch.destroyForcibly();
        }
    }

    @Test
    void launchTellsHowToAttachAndAttachedKillEndsTheScript() throws Exception {
        Process launch = new ProcessBuilder(PythonCli.sondeProcess("launch", "--python", PythonCli.script(TICKER))).start();
        try {
            BufferedReader err = new BufferedReader(new InputStreamReader(launch.getErrorStream(), StandardCharsets.UTF_8));
            String where = err.readLine();
            assertThat(where).matches("Debug port 127\\.0\\.0\\.1:\\d+ \\(pid \\d+\\), debugpy; the script waits for a debugger\\.");
            String address = where.substring("Debug port ".length(), where.indexOf(' ', "Debug port ".length()));
            assertThat(err.readLine()).isEqualTo("Attach with `sonde attach --dap " + address + "`, or VS Code's Python debugger"
                    + " (\"request\": \"attach\", \"connect\": {\"host\": \"127.0.0.1\", \"port\": " + address.substring(address.indexOf(':') + 1)
                    + "}). Ctrl-C ends it.");

            PythonCli.Run attach = PythonCli.run("attach", "--dap", address, "--exec", "cont", "--exec", "pause", "--exec", "wait 20s",
                    "--exec", "where", "--exec", "kill");

            assertThat(attach.exit()).as(attach.toString()).isZero();
            assertThat(attach.out()).contains("Attached to " + address + " (debugpy ")
                    .contains("Paused: thread 1 (MainThread) at ticker.")
                    .contains("Killed the target.")
                    .contains("Session ended: the target was killed.");
            assertThat(launch.waitFor(20, TimeUnit.SECONDS)).as("sonde launch ends with the script").isTrue();
        } finally {
            launch.descendants().forEach(ProcessHandle::destroyForcibly);
            launch.destroyForcibly();
        }
    }

    @Test
    void interruptLeavesNeitherTheScriptNorDebugpysAdapterBehind() throws Exception {
        Process launch = new ProcessBuilder(PythonCli.sondeProcess("launch", "--json", "--python", PythonCli.script(TICKER))).start();
        try {
            JsonNode first = new ObjectMapper().readTree(new BufferedReader(new InputStreamReader(launch.getInputStream(),
                    StandardCharsets.UTF_8)).readLine());
            long script = first.path("pid").asLong();
            String port = first.path("address").asText().substring(first.path("address").asText().indexOf(':') + 1);
            // The adapter daemonizes, so it is found by the port on its command line, as Sonde finds it.
            List<ProcessHandle> adapters = ProcessHandle.allProcesses().filter(p -> {
                List<String> args = List.of(p.info().arguments().orElse(new String[0]));
                return args.contains("--for-server") && args.indexOf("--port") >= 0 && args.indexOf("--port") + 1 < args.size()
                        && args.get(args.indexOf("--port") + 1).equals(port);
            }).toList();
            assertThat(adapters).hasSize(1);

            new ProcessBuilder("kill", "-INT", Long.toString(launch.pid())).start().waitFor();

            assertThat(launch.waitFor(15, TimeUnit.SECONDS)).isTrue();
            for (long pid : List.of(script, adapters.get(0).pid())) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("process %d still alive", pid).isFalse();
            }
        } finally {
            launch.descendants().forEach(ProcessHandle::destroyForcibly);
            launch.destroyForcibly();
        }
    }

    @Test
    void attachWithNothingListeningSaysWhatToDo() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        PythonCli.Run run = PythonCli.run("attach", "--dap", "127.0.0.1:" + port, "--timeout", "1s", "--exec", "threads");

        assertThat(run.exit()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(run.err()).isEqualTo("error: Nothing accepted a debugger at 127.0.0.1:" + port + " within 1 s; start the script with"
                + " `python3 -m debugpy --listen 127.0.0.1:" + port + " --wait-for-client app.py` (or use sonde launch --python),"
                + " and check the address." + System.lineSeparator());
    }

    @Test
    void aDapServerThatDiesMidSessionEndsTheSessionInOneSentence() throws Exception {
        try (ServerManager servers = new ServerManager()) {
            CompletableFuture<Void> started = new CompletableFuture<>();
            PythonLaunchSpec spec = PythonLaunchSpec.of(Path.of(PythonCli.script(TICKER)), List.of())
                    .withPython(PythonFinder.find(null).executable());
            DebugServer server = servers.start(spec, (category, text) -> {
                if (text.contains("ticker started")) {
                    started.complete(null);
                }
            });
            // Once the script runs, `cont` has had its answer (give it a moment to arrive): then the server dies during `wait`.
            started.thenRunAsync(() -> ProcessHandle.of(server.adapterPid()).ifPresent(ProcessHandle::destroyForcibly),
                    CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS));

            PythonCli.Run run = PythonCli.run("attach", "--dap", server.address().toString(), "--exec", "cont", "--exec", "wait 20s",
                    "--exec", "threads");

            assertThat(run.out()).as(run.toString()).contains("Session ended: the connection to the target was lost.");
            assertThat(run.err()).matches("error: (Session \\d+|The session with the target) has ended"
                    + " \\(the connection to the target was lost\\); attach or launch again to continue.\\R");
            assertThat(run.exit()).isEqualTo(ExitCodes.FAILED);
            assertThat(server.isAlive()).as("the script outlives its debugger").isTrue();
        }
    }
}
