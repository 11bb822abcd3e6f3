package dev.sonde.cli.dap;

import dev.sonde.cli.Main;
import dev.sonde.fixtures.Counter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Hot code replace, restartFrame and the return value through {@code sonde dap}, driven by
 * {@code @vscode/debugadapter-testsupport} (the scenario is in src/test/node/dap-change.test.js): the script compiles a
 * changed class into the launch's watched classPaths directory during the session.
 */
class DapNodeChangeTest {

    private static final Path NODE_PROJECT = Path.of("src", "test", "node");

    @Test
    void aBuildDuringTheSessionIsHotReplacedAndTheFrameRestartedThroughSondeDap(@TempDir Path directory) throws IOException, InterruptedException {
        if (!Files.isDirectory(NODE_PROJECT.resolve("node_modules/@vscode/debugadapter-testsupport"))) {
            fail("The DAP client for this test is not installed; run `npm ci` in sonde-cli/src/test/node (./test does it).");
        }
        Path sources = DapTestSupport.sourceRoot(directory.resolve("src"), Counter.class);
        Path classes = directory.resolve("classes");
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, errors, "-g", "--release", "17", "-d", classes.toString(),
                sources.resolve("dev/sonde/fixtures/Counter.java").toString());
        assertThat(compiled).as(errors.toString()).isZero();
        Path argFile = directory.resolve("sonde-dap.args");
        Files.writeString(argFile, String.join("\n", quoted("-cp"), quoted(System.getProperty("java.class.path")),
                quoted(Main.class.getName()), quoted("dap")) + "\n", StandardCharsets.UTF_8);
        ProcessBuilder node = new ProcessBuilder("node", "dap-change.test.js").directory(NODE_PROJECT.toFile()).redirectErrorStream(true);
        node.environment().put("SONDE_JAVA", DapTestSupport.java().toString());
        node.environment().put("SONDE_JAVAC", Path.of(System.getProperty("java.home"), "bin", "javac").toString());
        node.environment().put("SONDE_DAP_ARGFILE", argFile.toString());
        node.environment().put("SONDE_HCR_CLASSES", classes.toRealPath().toString());
        node.environment().put("SONDE_SOURCE_ROOT", sources.toString());
        Process process = node.start();
        String output;
        try {
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                fail("The Node DAP client did not finish within 3 minutes; output so far:\n"
                        + new String(process.getInputStream().readNBytes(process.getInputStream().available()), StandardCharsets.UTF_8));
            }
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            DapTestSupport.destroy(process);
        }
        System.out.println(output);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("all change sessions passed").doesNotContain("not ok");
        assertThat(output.lines().filter(l -> l.startsWith("ok - ")).toList()).hasSize(7);
        List<ProcessHandle> left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(Counter.class.getName())).orElse(false)).toList();
        assertThat(left).as("debuggees left running").isEmpty();
    }

    private static String quoted(String argument) {
        return "\"" + argument.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
