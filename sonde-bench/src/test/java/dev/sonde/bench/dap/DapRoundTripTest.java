package dev.sonde.bench.dap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the DAP benchmark once at a tiny size, so that it cannot rot. Timing goals are not asserted here. */
class DapRoundTripTest {

    @Test
    void bothMethodsMakeTheSameReadsAndComplete() throws Exception {
        var report = DapRoundTrip.run(new DapRoundTrip.Settings(20, 1, 5));
        for (var measurement : new DapRoundTrip.Measurement[] {report.session(), report.dap()}) {
            assertThat(measurement.stopNanos()).as(measurement.method()).hasSize(20).allMatch(nanos -> nanos > 0);
            assertThat(measurement.readNanos()).as(measurement.method()).hasSize(20);
            assertThat(measurement.microsPerHit()).as(measurement.method()).isPositive();
            // hit(i, name) at the marked line: two frames; two arguments and two locals so far.
            assertThat(measurement.framesPerHit()).as(measurement.method()).isEqualTo(2);
            assertThat(measurement.localsPerHit()).as(measurement.method()).isEqualTo(4);
        }
    }
}
