package dev.sonde.cli.python;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.cli.ExitCodes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sonde debug --python}: batch mode and JSON lines on a real debugpy, and the ways it is refused. */
class PythonDebugTest {

    private static final String SHOP = "shop.py";

    @BeforeAll
    static void debugpy() {
        PythonCli.requireDebugpy();
    }

    @Test
    void batchModeInJsonLinesAsForAJvm() {
        int discountLine = PythonCli.line(SHOP, "discount = base * rate");
        PythonCli.Run run = PythonCli.run("debug", "--json",
                "--exec", "break " + SHOP + ":" + discountLine + " if rate > 0.1",
                "--exec", "cont",
                "--exec", "wait 20s",
                "--exec", "where",
                "--exec", "locals",
                "--exec", "print skus[0]",
                "--exec", "next",
                "--exec", "wait 20s",
                "--exec", "print discount",
                "--exec", "up",
                "--exec", "print args",
                "--exec", "threads",
                "--python", PythonCli.script(SHOP), "0.2", "--verbose");

        assertThat(run.exit()).as(run.toString()).isZero();
        List<JsonNode> lines = run.json();
        assertThat(lines.get(0).path("event").asText()).isEqualTo("stopped");
        assertThat(lines.get(0).path("reason").asText()).isEqualTo("entry");
        JsonNode launch = run.result("launch", 0);
        assertThat(launch.path("ok").asBoolean()).isTrue();
        assertThat(launch.path("address").asText()).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(launch.path("target").asText()).startsWith("Python 3.").contains(", debugpy ");
        assertThat(launch.path("held").asBoolean()).isTrue();
        assertThat(launch.path("pid").asLong()).isPositive();

        JsonNode breakpoint = run.result("break", 0).path("breakpoint");
        assertThat(breakpoint.path("verified").asBoolean()).isTrue();
        assertThat(breakpoint.path("condition").asText()).isEqualTo("rate > 0.1");
        assertThat(breakpoint.path("locations").get(0).path("method").asText()).isEqualTo("price");

        JsonNode stopped = run.result("wait", 0).path("stopped");
        assertThat(stopped.path("reason").asText()).isEqualTo("breakpoint");
        assertThat(stopped.path("breakpoints").get(0).asInt()).isEqualTo(1);
        assertThat(stopped.path("thread").path("name").asText()).isEqualTo("MainThread");
        assertThat(stopped.path("location").path("class").asText()).isEqualTo("shop");
        assertThat(stopped.path("location").path("file").asText()).isEqualTo(SHOP);
        assertThat(stopped.path("location").path("line").asInt()).isEqualTo(discountLine);

        assertThat(run.result("where", 0).path("frames").findValuesAsText("method")).containsExactly("price", "main", "<module>");
        JsonNode locals = run.result("locals", 0).path("variables");
        assertThat(locals.findValuesAsText("name")).contains("base", "counts", "items", "note", "nothing", "paid", "rate", "skus");
        assertThat(locals.findValuesAsText("valueType")).contains("float", "dict", "list", "str", "NoneType", "bool");
        JsonNode print = run.result("print", 0);
        assertThat(print.path("value").asText()).isEqualTo("\"mug\"");
        assertThat(print.path("valueType").asText()).isEqualTo("str");
        assertThat(run.result("wait", 1).path("stopped").path("reason").asText()).isEqualTo("step");
        assertThat(run.result("print", 1).path("value").asText()).startsWith("3.8");
        assertThat(run.result("up", 0).path("frame").path("method").asText()).isEqualTo("main");
        assertThat(run.result("print", 2).path("value").asText()).isEqualTo("list(size=2) [\"0.2\", \"--verbose\"]");
        assertThat(run.result("threads", 0).path("threads").get(0).path("suspended").asBoolean()).isTrue();

        JsonNode last = lines.get(lines.size() - 1);
        assertThat(last.path("event").asText()).isEqualTo("terminated");
        assertThat(last.path("reason").asText()).isEqualTo("the target was killed");
    }

    @Test
    void textModeReadsAsForAJvm() {
        int callLine = PythonCli.line(SHOP, "base = subtotal(items)");
        PythonCli.Run run = PythonCli.run("debug",
                "--exec", "break " + SHOP + ":" + callLine,
                "--exec", "cont",
                "--exec", "wait 20s",
                "--exec", "step",
                "--exec", "wait 20s",
                "--exec", "finish",
                "--exec", "wait 20s",
                "--exec", "locals",
                "--exec", "print nosuch",
                "--python", PythonCli.script(SHOP));

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.out()).containsPattern("Launched pid \\d+; debug port 127\\.0\\.0\\.1:\\d+ \\(Python 3\\.\\d+\\.\\d+, debugpy [\\d.]+\\)\\.")
                .contains("Breakpoint 1 at shop.price (shop.py:" + callLine + ")")
                .contains("Breakpoint 1 hit in thread 1 (MainThread): shop.price (shop.py:" + callLine + ")")
                .contains("Stepped to shop.subtotal (shop.py:" + PythonCli.line(SHOP, "total = 0.0") + ") in thread 1 (MainThread)")
                .contains("Stepped to shop.price (shop.py:")
                .contains("rate = 0.1")
                .contains("Session ended: the target was killed.");
        assertThat(run.err()).isEqualTo("error: `nosuch` threw NameError: name 'nosuch' is not defined." + System.lineSeparator());
    }

    @Test
    void aPythonWithoutDebugpyIsNamedWithWhatToInstall(@TempDir Path temp) throws IOException {
        Path python = temp.resolve("python3");
        Files.writeString(python, "#!/bin/sh\necho \"No module named 'debugpy'\" >&2\nexit 1\n");
        Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwxr-xr-x"));
        String expected = "error: " + python + " has no debugpy; install it with `" + python + " -m pip install debugpy`"
                + " (or `apt-get install python3-debugpy` for the system Python), or choose another Python with --python-exe."
                + System.lineSeparator();

        PythonCli.Run debug = PythonCli.run("debug", "--python-exe", python.toString(), "--exec", "threads", "--python", PythonCli.script(SHOP));
        assertThat(debug.exit()).as(debug.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(debug.err()).isEqualTo(expected);

        PythonCli.Run launch = PythonCli.run("launch", "--python-exe", python.toString(), "--python", PythonCli.script(SHOP));
        assertThat(launch.exit()).as(launch.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(launch.err()).isEqualTo(expected);
    }

    @Test
    void badCommandLinesAreRefusedInOneSentence() {
        PythonCli.Run missing = PythonCli.run("debug", "--exec", "threads", "--python", "no-such-script.py");
        assertThat(missing.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).isEqualTo("error: Python script no-such-script.py does not exist; give the path of the script to debug."
                + System.lineSeparator());

        PythonCli.Run noScript = PythonCli.run("debug", "--python");
        assertThat(noScript.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(noScript.err()).startsWith("error: Missing the script after --python; write --python app.py [ARGS...]");

        PythonCli.Run both = PythonCli.run("launch", "Main", "--python", PythonCli.script(SHOP));
        assertThat(both.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err()).startsWith("error: Give java arguments after -- or a script after --python, not both");

        PythonCli.Run nothing = PythonCli.run("debug");
        assertThat(nothing.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(nothing.err()).startsWith("error: Missing required parameter: 'JAVA_ARGS' (or --python SCRIPT)");

        PythonCli.Run remote = PythonCli.run("launch", "--bind", "0.0.0.0", "--python", PythonCli.script(SHOP));
        assertThat(remote.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(remote.err()).startsWith("error: Refusing to bind the debug port to 0.0.0.0");
    }
}
