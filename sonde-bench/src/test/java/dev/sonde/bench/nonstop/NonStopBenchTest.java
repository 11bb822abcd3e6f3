package dev.sonde.bench.nonstop;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the non-stop benchmark once, briefly, so that it cannot rot. Timing goals are not asserted here. */
class NonStopBenchTest {

    @Test
    void everyWorkloadRunsThroughSondeAndTheFloor() throws Exception {
        var results = NonStopBench.run(new NonStopBench.Settings(Duration.ofMillis(300), Duration.ofMillis(200), 1, 1));
        assertThat(results).hasSize(NonStopBench.Workload.values().length);
        for (NonStopBench.Result result : results) {
            assertThat(result.floorMedian()).as(result.workload() + " floor").isPositive();
            assertThat(result.sondeMedian()).as(result.workload() + " Sonde").isPositive();
        }
    }
}
