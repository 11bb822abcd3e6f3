package dev.sonde.bench.dashboard;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The fleet benchmark once, at a tiny size, so it cannot rot; its figures are for docs/performance.md, not asserted. */
class DashboardBenchTest {

    @Test
    void runsOnceWithTwoJvms() throws Exception {
        DashboardBench.Result result = DashboardBench.run(new DashboardBench.Settings(2, Duration.ofSeconds(3), Duration.ofSeconds(3),
                Duration.ofMinutes(1)));
        assertThat(result.liveJvms()).isEqualTo(2);
        assertThat(result.roundMillis()).isNotEmpty();
        assertThat(result.samplesPerJvm()).isEqualTo(60);
        assertThat(result.operationsPerJvm()).isGreaterThanOrEqualTo(6);
    }
}
