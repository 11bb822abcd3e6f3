package dev.sonde.bench.agent;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs `sonde bench async` once, briefly, so that it cannot rot. Timing goals are not asserted here. */
class AsyncCaptureCpuTest {

    @Test
    void everyModeMeasuresEveryWorkload() throws Exception {
        AsyncCaptureCpu.Report report = AsyncCaptureCpu.run(new AsyncCaptureCpu.Settings(1, 0.05, 0.02));

        assertThat(report.figures().keySet()).containsExactlyElementsOf(AsyncCaptureCpu.MODES);
        report.figures().forEach((mode, byWorkload) -> {
            assertThat(byWorkload.keySet()).as(mode).containsExactlyElementsOf(AsyncCaptureCpu.WORKLOADS);
            byWorkload.forEach((workload, rounds) -> assertThat(rounds).as(mode + " " + workload).isNotEmpty()
                    .allSatisfy(round -> assertThat(round[0]).as("CPU ns per hand-off").isPositive().isFinite()));
        });
    }
}
