package dev.sonde.bench.roundtrip;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the round-trip benchmark once at a tiny size, so that it cannot rot. Timing goals are not asserted here. */
class BreakpointRoundTripTest {

    @Test
    void everyMethodMakesTheSameReadsAndCompletes() throws Exception {
        var report = BreakpointRoundTrip.run(new BreakpointRoundTrip.Settings(20, 1, 5));
        for (var measurement : new BreakpointRoundTrip.Measurement[] {report.floor(), report.sessionBlocking(), report.sessionAsync()}) {
            assertThat(measurement.median()).as(measurement.method()).isPositive();
            assertThat(measurement.framesPerHit()).as(measurement.method()).isEqualTo(2);
        }
        // hit(i, name) at the marked line: two arguments and two locals so far; Sonde lists what the floor reads.
        assertThat(report.floor().variablesPerHit()).isEqualTo(4);
        assertThat(report.sessionBlocking().variablesPerHit()).isEqualTo(4);
        assertThat(report.sessionAsync().variablesPerHit()).isEqualTo(4);
    }
}
