package dev.sonde.cli.python;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.cli.Main;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.launch.PythonFinder;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.fail;

/** Runs {@code sonde} in this process for the Python tests, and finds their scripts and a Python with debugpy. */
final class PythonCli {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The Python test scripts live with the DAP client's tests. */
    private static final Path SCRIPTS = Path.of("..", "sonde-dap", "src", "test", "python").toAbsolutePath().normalize();

    /** What a run printed and returned. */
    record Run(int exit, String out, String err) {

        List<JsonNode> json() {
            List<JsonNode> lines = new ArrayList<>();
            for (String line : out.lines().filter(l -> !l.isBlank()).toList()) {
                try {
                    lines.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new AssertionError("not a JSON line: " + line + "\nerr: " + err, e);
                }
            }
            return lines;
        }

        JsonNode result(String command, int nth) {
            List<JsonNode> matching = json().stream()
                    .filter(n -> n.path("type").asText().equals("result") && n.path("command").asText().equals(command)).toList();
            if (matching.size() <= nth) {
                throw new AssertionError("no result #" + nth + " for " + command + " in:\n" + this);
            }
            return matching.get(nth);
        }

        List<JsonNode> events(String kind) {
            return json().stream().filter(n -> n.path("type").asText().equals("event") && n.path("event").asText().equals(kind)).toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    private PythonCli() {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = Main.run(args, new ByteArrayInputStream(new byte[0]), outStream, errStream);
        }
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A test script's absolute path. */
    static String script(String name) {
        Path path = SCRIPTS.resolve(name);
        if (!Files.isRegularFile(path)) {
            fail("No test script " + path);
        }
        return path.toString();
    }

    /** The 1-based number of the first line of a test script that contains {@code text}. */
    static int line(String name, String text) {
        try {
            List<String> lines = Files.readAllLines(Path.of(script(name)));
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(text)) {
                    return i + 1;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fail("No line with '" + text + "' in " + name);
    }

    /** Fails the test, saying what to install, when no Python has debugpy. */
    static void requireDebugpy() {
        try {
            PythonFinder.find(null);
        } catch (SondeException noDebugpy) {
            fail("No Python with debugpy found for the Python tests (tried python3 on the PATH and /usr/bin/python3);"
                    + " install it with `apt-get install python3-debugpy`, as .ci/run does.");
        }
    }

    /** {@code java} arguments that run {@code sonde} in a process of its own, from this test's class path. */
    static List<String> sondeProcess(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return command;
    }
}
