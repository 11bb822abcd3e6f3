package dev.sonde.bench.runtime;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs every JMH benchmark once, briefly, so that none can rot. Timing goals are checked by real runs (docs/performance.md). */
class JmhBenchmarksRunTest {

    @Test
    void everyBenchmarkRuns() throws Exception {
        // JMH takes a machine-wide lock so that benchmarks do not skew each other; this run measures nothing, and a second
        // suite running at the same time (a load test) must not make it fail.
        System.setProperty("jmh.ignoreLock", "true");
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include("dev\\.sonde\\.bench\\.runtime\\..*")
                .forks(1)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                // The dashboard poll benchmark at a tiny size: its runtime is built in a moment, its three paths still run.
                .param("operationNames", "3")
                .param("liveResources", "5")
                .param("historySize", "4")
                .param("stacks", "ALL")
                .addProfiler(ProcessCpuProfiler.class)
                .shouldFailOnError(true)
                .build()).run();
        assertThat(results).hasSizeGreaterThanOrEqualTo(8);
        for (RunResult result : results) {
            assertThat(result.getPrimaryResult().getScore()).as(result.getParams().getBenchmark()).isPositive();
        }
        List<String> pollBenchmarks = results.stream().map(result -> result.getParams().getBenchmark())
                .filter(name -> name.contains(".DashboardPollBenchmark.")).map(name -> name.replaceAll(".*\\.", "")).toList();
        assertThat(pollBenchmarks).containsExactlyInAnyOrder("snapshotJsonDirect", "snapshotJsonPlatformMBeanServer",
                "snapshotJsonJmxConnector", "compactSnapshotJsonJmxConnector", "platformMBeansJmxConnector");
        assertThat(results).allSatisfy(result -> assertThat(result.getSecondaryResults()).containsKey("cpu.threads"));
    }
}
