package dev.sonde.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.fixtures.Counter;
import dev.sonde.fixtures.Markers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code redefine}, {@code restart} and the return value {@code locals} shows after {@code finish}, on a real JVM. */
class ConsoleChangeTest {

    @Test
    void redefineNamesTheFrameOnOldCodeRestartReentersItAndFinishShowsTheNewReturnValue(@TempDir Path directory) throws IOException {
        Path classes = compileCounter(directory, "round * 2 + 100");
        int body = Markers.line(Counter.class, "tick-body");
        Cli.Run run = Cli.run(Cli.input(
                        "break Counter.java:" + body,
                        "cont",
                        "wait",
                        "redefine " + classes,
                        "redefine " + classes,
                        "restart 5",
                        "restart frame",
                        "wait",
                        "finish",
                        "wait",
                        "locals",
                        "quit"),
                Cli.withTarget(List.of("debug"), Counter.class, "5", "0"));

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out())
                .contains("Replaced 1 class (dev.sonde.fixtures.Counter). 1 frame still runs the old code (main#0 Counter.tick);"
                        + " `restart frame` re-enters it.")
                .contains("Nothing to replace: 1 class unchanged since last sent.")
                .contains("Restarting frame 0.")
                .contains("<return> Counter.tick() = 107");
        // The restarted call runs into the breakpoint on its first line again: the breakpoint survived the redefinition.
        assertThat(run.out().split("Breakpoint 1 hit in thread 1 \\(main\\): Counter.tick \\(Counter.java:" + body + "\\)", -1)).hasSize(3);
        assertThat(run.err()).contains("There is no frame 5; the stack has 2 frames (0 is the top).");
    }

    @Test
    void jsonLinesCarryTheReplacedClassesTheStaleFramesAndTheReturnValue(@TempDir Path directory) throws IOException {
        Path classes = compileCounter(directory, "round * 2 + 100");
        Cli.Run run = Cli.run(Cli.input(
                        "break Counter.java:" + Markers.line(Counter.class, "tick-return"),
                        "cont",
                        "wait",
                        "redefine " + classes,
                        "delete",
                        "finish",
                        "wait",
                        "locals",
                        "quit"),
                Cli.withTarget(List.of("debug", "--json"), Counter.class, "5", "0"));

        assertThat(run.exit()).as(run.toString()).isZero();
        JsonNode redefined = run.result("redefine", 0);
        assertThat(redefined.path("replaced").get(0).asText()).isEqualTo(Counter.class.getName());
        assertThat(redefined.path("staleFrames").get(0).path("method").asText()).isEqualTo("Counter.tick");
        assertThat(redefined.path("staleFrames").get(0).path("frame").asInt()).isZero();
        JsonNode returned = run.result("locals", 0).path("variables").get(0);
        assertThat(returned.path("name").asText()).isEqualTo("<return> Counter.tick()");
        assertThat(returned.path("kind").asText()).isEqualTo("return_value");
        assertThat(returned.path("value").asText()).as("the old code still ran: the frame was not restarted").isEqualTo("7");
    }

    /** Counter's source with the body of {@code tick} computing {@code doubled} as given, compiled on its own. */
    private static Path compileCounter(Path directory, String doubled) throws IOException {
        String source = String.join("\n", Markers.source(Counter.class)).replace("round * 2", doubled);
        Path file = directory.resolve("src/dev/sonde/fixtures/Counter.java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, source);
        Path classes = directory.resolve("classes");
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, errors, "-g", "--release", "17", "-d", classes.toString(),
                file.toString());
        assertThat(status).as(errors.toString()).isZero();
        return classes;
    }
}
