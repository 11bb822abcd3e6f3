package dev.sonde.cli.dap;

import dev.sonde.cli.Main;
import dev.sonde.fixtures.Counter;
import dev.sonde.fixtures.EditorRequests;
import dev.sonde.fixtures.Markers;
import dev.sonde.fixtures.Thrower;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Drives {@code sonde dap} with a DAP client this project did not write: {@code @vscode/debugadapter-testsupport}
 * from npm, through whole sessions over stdio and over a socket (the scenario is in src/test/node/dap-session.test.js).
 */
class DapNodeClientTest {

    private static final Path NODE_PROJECT = Path.of("src", "test", "node");

    @Test
    void aThirdPartyDapClientDebugsJavaThroughSondeDap(@TempDir Path directory) throws IOException, InterruptedException {
        if (!Files.isDirectory(NODE_PROJECT.resolve("node_modules/@vscode/debugadapter-testsupport"))) {
            fail("The DAP client for this test is not installed; run `npm ci` in sonde-cli/src/test/node (./test does it).");
        }
        Path argFile = directory.resolve("sonde-dap.args");
        Files.writeString(argFile, String.join("\n", quoted("-cp"), quoted(System.getProperty("java.class.path")),
                quoted(Main.class.getName()), quoted("dap")) + "\n", StandardCharsets.UTF_8);
        ProcessBuilder node = new ProcessBuilder("node", "dap-session.test.js")
                .directory(NODE_PROJECT.toFile())
                .redirectErrorStream(true);
        node.environment().put("SONDE_JAVA", DapTestSupport.java().toString());
        node.environment().put("SONDE_DAP_ARGFILE", argFile.toString());
        node.environment().put("SONDE_FIXTURES_CLASSPATH", Markers.classPath().toString());
        node.environment().put("SONDE_SOURCE_ROOT", DapTestSupport.sourceRoot(directory.resolve("src"), Counter.class, Thrower.class,
                EditorRequests.class).toString());
        Process process;
        try {
            process = node.start();
        } catch (IOException e) {
            throw new AssertionError("Node.js is needed for this test and was not found; install it (apt-get install nodejs npm).", e);
        }
        String output;
        try {
            if (!process.waitFor(6, TimeUnit.MINUTES)) {
                fail("The Node DAP client did not finish within 3 minutes; output so far:\n"
                        + new String(process.getInputStream().readNBytes(process.getInputStream().available()), StandardCharsets.UTF_8));
            }
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            DapTestSupport.destroy(process);
        }
        System.out.println(output);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("all DAP sessions passed");
        assertThat(output.lines().filter(l -> l.startsWith("ok - ")).toList()).hasSize(13);
        assertThat(output).doesNotContain("not ok");
        List<ProcessHandle> left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(Counter.class.getName())
                        || List.of(a).contains(Thrower.class.getName()) || List.of(a).contains(EditorRequests.class.getName())).orElse(false)).toList();
        assertThat(left).as("debuggees left running").isEmpty();
    }

    /** An argument in an @argfile: quoted, so paths with spaces stay whole. */
    private static String quoted(String argument) {
        return "\"" + argument.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
