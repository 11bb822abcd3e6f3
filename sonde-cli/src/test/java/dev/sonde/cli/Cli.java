package dev.sonde.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.fixtures.Markers;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the sonde command line in this process, capturing what it prints. */
public final class Cli {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a run printed and returned. */
    public record Run(int exit, String out, String err) {

        /** Every line of standard output, parsed as JSON. */
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

        /** JSON result lines, in order. */
        List<JsonNode> results() {
            return json().stream().filter(n -> n.path("type").asText().equals("result")).toList();
        }

        /** The result of the nth command named {@code command} (0-based). */
        JsonNode result(String command, int nth) {
            List<JsonNode> matching = results().stream().filter(n -> n.path("command").asText().equals(command)).toList();
            if (matching.size() <= nth) {
                throw new AssertionError("no result #" + nth + " for " + command + " in:\n" + out + "\nerr: " + err);
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

    private Cli() {
    }

    public static Run run(String... args) {
        return run(new ByteArrayInputStream(new byte[0]), args);
    }

    public static Run run(InputStream in, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = Main.run(args, in, outStream, errStream);
        }
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static InputStream input(String... lines) {
        return new ByteArrayInputStream((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** {@code args} followed by {@code -- <fast JVM flags> -cp FIXTURES mainClass programArgs}. */
    static String[] withTarget(List<String> args, Class<?> mainClass, String... programArgs) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--", "-XX:TieredStopAtLevel=1", "-cp", Markers.classPath().toString(), mainClass.getName()));
        all.addAll(List.of(programArgs));
        return all.toArray(String[]::new);
    }

    /** The path of the java running the tests. */
    static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

}
