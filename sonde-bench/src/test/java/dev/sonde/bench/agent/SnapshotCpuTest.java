package dev.sonde.bench.agent;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs {@code ./sonde bench snapshot}'s measurement once at a tiny size, so that it cannot rot. No timing goal is asserted. */
class SnapshotCpuTest {

    @Test
    void everyModeIsMeasuredAndTheSnapshotsReachTheClient() throws Exception {
        SnapshotCpu.Report report = SnapshotCpu.run(new SnapshotCpu.Settings(1, 2, 4_000, 4_000));
        System.out.println(report);
        for (String mode : SnapshotCpu.MODES) {
            assertThat(report.nanosPerCall().get(mode)).as(mode).hasSize(2).allSatisfy(nanos -> assertThat(nanos).isPositive());
        }
        // two rounds of the two snapshot modes, warm-up included, each call a snapshot; the client may still be reading the last
        assertThat(report.snapshots()).isPositive().isLessThanOrEqualTo(4 * 8_000);
        assertThat(report.median("two")).isGreaterThan(report.median("none"));
    }
}
