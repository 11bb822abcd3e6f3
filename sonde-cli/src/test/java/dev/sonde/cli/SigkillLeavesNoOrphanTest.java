package dev.sonde.cli;

import dev.sonde.core.error.SondeException;
import dev.sonde.core.launch.PythonFinder;
import dev.sonde.core.launch.TiedProcesses;
import dev.sonde.fixtures.Markers;
import dev.sonde.fixtures.Sleeper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * SIGKILL of a real {@code sonde} process, in each mode that starts a debuggee, leaves no debuggee running: each
 * ends within a few seconds (the goal is 2 s; the bound here is generous for a loaded machine, and the time measured
 * is printed).
 */
class SigkillLeavesNoOrphanTest {

    private static final Duration START = Duration.ofSeconds(60);
    /** Generous for a machine shared with other builds; the figure each run measured is printed. */
    private static final Duration GONE = Duration.ofSeconds(10);
    private static final Path TICKER = Path.of("..", "sonde-dap", "src", "test", "python", "ticker.py").toAbsolutePath().normalize();

    @Test
    void launch() throws Exception {
        assertNoOrphanAfterSigkill("launch", List.of("launch", "--"), sleeperArgs(), isSleeper(), false);
    }

    @Test
    void debug() throws Exception {
        assertNoOrphanAfterSigkill("debug", List.of("debug", "--"), sleeperArgs(), isSleeper(), false);
    }

    @Test
    void dapOverStdio() throws Exception {
        String launch = "{\"mainClass\":\"" + Sleeper.class.getName() + "\",\"classPaths\":[\"" + Markers.classPath()
                + "\"],\"vmArgs\":\"-Xshare:auto -XX:TieredStopAtLevel=1\"}";
        assertNoOrphanAfterSigkill("dap", List.of("dap"), List.of(), isSleeper(), false,
                dapRequest(1, "initialize", "{\"adapterID\":\"sonde\"}"), dapRequest(2, "launch", launch),
                dapRequest(3, "configurationDone", "{}"));
    }

    @Test
    void launchPython() throws Exception {
        requireDebugpy();
        assertNoOrphanAfterSigkill("launch --python", List.of("launch", "--python", TICKER.toString()), List.of(), isTicker(), true);
    }

    @Test
    void debugPython() throws Exception {
        requireDebugpy();
        assertNoOrphanAfterSigkill("debug --python", List.of("debug", "--python", TICKER.toString()), List.of(), isTicker(), true);
    }

    private void assertNoOrphanAfterSigkill(String mode, List<String> sondeArgs, List<String> targetArgs, Predicate<ProcessHandle> isDebuggee,
                                            boolean python, String... input) throws Exception {
        Assumptions.assumeTrue(TiedProcesses.tied(), "setpriv is not available: debuggees are not tied to Sonde on this system");
        List<String> command = new ArrayList<>(List.of(Cli.java().toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(sondeArgs);
        command.addAll(targetArgs);
        Path log = Files.createTempFile("sonde-sigkill-", ".log");
        Process sonde = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        List<ProcessHandle> debuggees = new ArrayList<>();
        try {
            // The console and the DAP server read standard input: it stays open, as a user's terminal or editor would.
            OutputStream stdin = sonde.getOutputStream();
            for (String message : input) {
                stdin.write(message.getBytes(StandardCharsets.UTF_8));
            }
            stdin.flush();
            ProcessHandle debuggee = await(() -> sonde.descendants().filter(isDebuggee).findFirst(), START, mode + " starts its debuggee", log);
            debuggees.add(debuggee);
            if (python) {
                debuggees.add(await(() -> debugpyAdapterOf(debuggee), START, mode + ": debugpy's adapter starts", log));
            }
            sonde.descendants().filter(p -> !debuggees.contains(p)).forEach(debuggees::add);

            long killed = System.nanoTime();
            sonde.destroyForcibly(); // SIGKILL: no shutdown hook runs
            long deadline = killed + GONE.toNanos();
            while (debuggees.stream().anyMatch(SigkillLeavesNoOrphanTest::running) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            long millis = (System.nanoTime() - killed) / 1_000_000;
            assertThat(debuggees.stream().filter(SigkillLeavesNoOrphanTest::running).map(p -> p.pid() + " " + p.info().commandLine().orElse("")))
                    .as("%s: debuggees alive %d ms after SIGKILL of sonde", mode, millis).isEmpty();
            System.out.printf("sigkill %s: %d processes gone %d ms after SIGKILL of sonde%n", mode, debuggees.size(), millis);
        } finally {
            sonde.destroyForcibly();
            debuggees.forEach(ProcessHandle::destroyForcibly);
            Files.deleteIfExists(log);
        }
    }

    private static List<String> sleeperArgs() {
        return List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", Markers.classPath().toString(), Sleeper.class.getName());
    }

    private static Predicate<ProcessHandle> isSleeper() {
        return p -> executed(p) && p.info().arguments().map(a -> List.of(a).contains(Sleeper.class.getName())).orElse(false);
    }

    private static Predicate<ProcessHandle> isTicker() {
        return p -> executed(p) && p.info().arguments().map(a -> List.of(a).contains(TICKER.toString())).orElse(false);
    }

    /**
     * Whether a process still runs: a zombie has ended (its ports are closed) and only waits for its new parent, the
     * system's init, to reap it, which some container inits do late.
     */
    private static boolean running(ProcessHandle process) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return !stat.substring(stat.lastIndexOf(')') + 1).strip().startsWith("Z");
        } catch (IOException gone) {
            return false;
        }
    }

    /** Whether setpriv has set the death signal and executed the debuggee (before, the same pid runs setpriv). */
    private static boolean executed(ProcessHandle process) {
        return process.info().command().map(c -> !c.endsWith("setpriv")).orElse(false);
    }

    /** debugpy's adapter daemonizes, so it is no descendant: it is the one listening on the port the script was given. */
    private static Optional<ProcessHandle> debugpyAdapterOf(ProcessHandle script) {
        List<String> args = List.of(script.info().arguments().orElse(new String[0]));
        int listen = args.indexOf("--listen");
        if (listen < 0 || listen + 1 >= args.size()) {
            return Optional.empty();
        }
        String port = args.get(listen + 1).substring(args.get(listen + 1).lastIndexOf(':') + 1);
        return ProcessHandle.allProcesses().filter(p -> {
            List<String> adapterArgs = List.of(p.info().arguments().orElse(new String[0]));
            int portFlag = adapterArgs.indexOf("--port");
            return adapterArgs.contains("--for-server") && portFlag >= 0 && portFlag + 1 < adapterArgs.size()
                    && adapterArgs.get(portFlag + 1).equals(port);
        }).findFirst();
    }

    private static <T> T await(java.util.function.Supplier<Optional<T>> probe, Duration timeout, String what, Path log) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<T> found = probe.get();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(20);
        }
        return fail("timed out: " + what + "; sonde printed:\n" + Files.readString(log));
    }

    private static String dapRequest(int seq, String command, String arguments) {
        String body = "{\"seq\":" + seq + ",\"type\":\"request\",\"command\":\"" + command + "\",\"arguments\":" + arguments + "}";
        return "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    private static void requireDebugpy() {
        try {
            PythonFinder.find(null);
        } catch (SondeException e) {
            Assumptions.abort("no Python with debugpy: " + e.getMessage());
        }
    }
}
