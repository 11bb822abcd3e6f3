package dev.sonde.cli;

import dev.sonde.core.launch.ListeningSockets;
import dev.sonde.fixtures.Markers;
import dev.sonde.fixtures.Sleeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No port opens beyond loopback without a word: the warning names where the bind came from (flag, environment
 * variable, file), the printed address is the one the kernel shows bound, a config file found in the working directory
 * cannot widen a bind on its own nor choose the java silently, and {@code sonde doctor} warns. Sonde runs as its own
 * process here, so that the working directory and the environment are the test's to choose.
 */
class ExposureTest {

    private static final Pattern DEBUG_PORT = Pattern.compile("Debug port (\\S+) \\(pid (\\d+)\\)");

    @TempDir
    Path dir;

    @Test
    void aFileFoundInTheWorkingDirectoryCannotWidenTheBindOnItsOwn() throws Exception {
        Path file = write("server:\n  bind: 0.0.0.0\n  allowRemote: true\n");
        Finished run = sonde(Map.of(), launchSleeper());
        assertThat(run.exit()).as(run.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).isEqualTo("error: Refusing to bind the debug port to 0.0.0.0: server.allowRemote: true in " + file
                + " does not count, because a config file found in the working directory may have come with a cloned repository;"
                + " pass --allow-remote (or set SONDE_SERVER_ALLOW_REMOTE=true, or name the file with --config) if you mean it."
                + System.lineSeparator());
    }

    @Test
    void aWideBindFromTheFileIsAnnouncedWithTheFileAndThePrintedAddressIsTheBoundOne() throws Exception {
        Path file = write("server:\n  bind: 0.0.0.0\n");
        List<String> args = new ArrayList<>(List.of("launch", "--allow-remote"));
        args.addAll(launchSleeper().subList(1, launchSleeper().size()));
        Started started = start(Map.of(), args);
        try {
            assertThat(started.before()).contains("warning: the debug port listens on " + started.printed() + ", every network interface"
                    + " (server.bind from " + file + ", allowed by flag --allow-remote): anyone who can reach a debug port can run any"
                    + " code in the target.");
            assertBound(started);
            assertThat(started.printed()).matches("(0\\.0\\.0\\.0|\\[::]):\\d+");
        } finally {
            started.stop();
        }
    }

    @Test
    void environmentVariablesAreNamedInTheWarning() throws Exception {
        Started started = start(Map.of("SONDE_SERVER_BIND", "0.0.0.0", "SONDE_SERVER_ALLOW_REMOTE", "true"), launchSleeper());
        try {
            assertThat(started.before()).contains("(server.bind from env SONDE_SERVER_BIND, allowed by env SONDE_SERVER_ALLOW_REMOTE)");
            assertBound(started);
        } finally {
            started.stop();
        }
    }

    @Test
    void loopbackStaysQuietAndPrintsTheLoopbackAddress() throws Exception {
        Started started = start(Map.of(), launchSleeper());
        try {
            assertThat(started.before()).doesNotContain("warning");
            assertThat(started.printed()).matches("127\\.0\\.0\\.1:\\d+");
            assertBound(started);
        } finally {
            started.stop();
        }
    }

    @Test
    void aJavaChosenByAFoundFileIsAnnounced() throws Exception {
        Path file = write("server:\n  java: " + Cli.java() + "\n");
        Started started = start(Map.of(), launchSleeper());
        try {
            assertThat(started.before()).contains("note: the target runs " + Cli.java() + ", chosen by server.java in " + file
                    + "; pass --java to choose another.");
        } finally {
            started.stop();
        }
    }

    @Test
    void doctorWarnsAboutAWideBindAndNamesTheFile() throws Exception {
        Path file = write("server:\n  bind: 0.0.0.0\n  allowRemote: true\ndashboard:\n  bind: 0.0.0.0\n");
        Finished run = sonde(Map.of("SONDE_SERVER_ALLOW_REMOTE", "true"), List.of("doctor"));
        assertThat(run.out()).containsPattern("\\[warn] listening +the debug port listens on 0\\.0\\.0\\.0, every network interface \\(server\\.bind from "
                + Pattern.quote(file.toString()) + ", allowed by env SONDE_SERVER_ALLOW_REMOTE\\)")
                .contains("Refusing to bind the dashboard to 0.0.0.0 (dashboard.bind from " + file + ")")
                .contains("fix: bind 127.0.0.1");
    }

    @Test
    void theDashboardRefusesAWideBindFromAFoundFile() throws Exception {
        Path file = write("dashboard:\n  bind: 0.0.0.0\n  allowRemote: true\n");
        Finished run = sonde(Map.of(), List.of("dashboard", "--port", "0", "--no-local"));
        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("error: Refusing to bind the dashboard to 0.0.0.0: dashboard.allowRemote: true in " + file
                + " does not count");
    }

    private static void assertBound(Started started) {
        int port = Integer.parseInt(started.printed().substring(started.printed().lastIndexOf(':') + 1));
        assertThat(ListeningSockets.on(started.debuggee(), port)).as("the debuggee listens on port %d", port)
                .map(ListeningSockets::describe).contains(started.printed());
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("sonde.yaml"), yaml);
    }

    private static List<String> launchSleeper() {
        return List.of("launch", "--", "-XX:TieredStopAtLevel=1", "-cp", Markers.classPath().toString(), Sleeper.class.getName());
    }

    private record Finished(int exit, String out, String err) {
    }

    /** A running {@code sonde launch}: its standard error up to the "Debug port" line, and the address and pid printed there. */
    private record Started(Process sonde, String before, String printed, long debuggee) {
        void stop() throws InterruptedException {
            sonde.descendants().forEach(ProcessHandle::destroyForcibly);
            sonde.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private ProcessBuilder command(Map<String, String> environment, List<String> args) {
        List<String> command = new ArrayList<>(List.of(Cli.java().toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("SONDE_"));
        builder.environment().putAll(environment);
        return builder;
    }

    private Finished sonde(Map<String, String> environment, List<String> args) throws Exception {
        Process process = command(environment, args).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        process.getOutputStream().close();
        var out = process.getInputStream().readAllBytes();
        var err = process.getErrorStream().readAllBytes();
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return new Finished(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private Started start(Map<String, String> environment, List<String> args) throws Exception {
        Process sonde = command(environment, args).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader err = new BufferedReader(new InputStreamReader(sonde.getErrorStream(), StandardCharsets.UTF_8));
        StringBuilder before = new StringBuilder();
        String line;
        while ((line = err.readLine()) != null) {
            Matcher port = DEBUG_PORT.matcher(line);
            if (port.find()) {
                Started started = new Started(sonde, before.toString(), port.group(1), Long.parseLong(port.group(2)));
                // Keep draining standard error, so the launch never blocks on a full pipe.
                Thread.ofVirtual().start(() -> err.lines().forEach(ignored -> { }));
                return started;
            }
            before.append(line).append('\n');
        }
        sonde.destroyForcibly();
        throw new AssertionError("sonde launch ended before printing its debug port:\n" + before);
    }
}
