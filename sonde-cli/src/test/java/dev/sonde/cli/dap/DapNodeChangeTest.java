package dev.sonde.cli.dap;

import dev.sonde.fixtures.Counter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hot code replace, restartFrame and the return value through {@code sonde dap}, driven by
 * {@code @vscode/debugadapter-testsupport} (the scenario is in src/test/node/dap-change.test.js): the script compiles a
 * changed class into the launch's watched classPaths directory during the session.
 */
class DapNodeChangeTest {

    @Test
    void aBuildDuringTheSessionIsHotReplacedAndTheFrameRestartedThroughSondeDap(@TempDir Path directory) throws IOException, InterruptedException {
        Path sources = DapTestSupport.sourceRoot(directory.resolve("src"), Counter.class);
        Path classes = directory.resolve("classes");
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, errors, "-g", "--release", "17", "-d", classes.toString(),
                sources.resolve("dev/sonde/fixtures/Counter.java").toString());
        assertThat(compiled).as(errors.toString()).isZero();

        String output = DapTestSupport.runNodeScript("dap-change.test.js", directory, Map.of(
                "SONDE_JAVAC", Path.of(System.getProperty("java.home"), "bin", "javac").toString(),
                "SONDE_HCR_CLASSES", classes.toRealPath().toString(),
                "SONDE_SOURCE_ROOT", sources.toString()));

        assertThat(output).contains("all change sessions passed").doesNotContain("not ok");
        assertThat(output.lines().filter(l -> l.startsWith("ok - ")).toList()).hasSize(7);
        List<ProcessHandle> left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(Counter.class.getName())).orElse(false)).toList();
        assertThat(left).as("debuggees left running").isEmpty();
    }
}
