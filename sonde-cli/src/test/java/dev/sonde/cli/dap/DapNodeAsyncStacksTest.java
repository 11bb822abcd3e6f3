package dev.sonde.cli.dap;

import dev.sonde.fixtures.AsyncCoverage;
import dev.sonde.fixtures.Markers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The async part of a stack through {@code sonde dap}, read by {@code @vscode/debugadapter-testsupport} (the scenario
 * is in src/test/node/dap-async.test.js): the chain across three pools that AsyncCoverageTest reads with {@code where}.
 */
class DapNodeAsyncStacksTest {

    @Test
    void aThirdPartyDapClientSeesTheHandOffsAcrossThreePools(@TempDir Path directory) throws IOException, InterruptedException {
        String output = DapTestSupport.runNodeScript("dap-async.test.js", directory, Map.of(
                "SONDE_FIXTURES_CLASSPATH", Markers.classPath().toString(),
                "SONDE_SOURCE_ROOT", DapTestSupport.sourceRoot(directory.resolve("src"), AsyncCoverage.class).toString()));

        assertThat(output).contains("all async sessions passed").doesNotContain("not ok");
        assertThat(output.lines().filter(l -> l.startsWith("ok - ")).toList()).hasSize(3);
        List<ProcessHandle> left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(AsyncCoverage.class.getName())).orElse(false)).toList();
        assertThat(left).as("debuggees left running").isEmpty();
    }
}
