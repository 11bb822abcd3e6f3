package dev.sonde.dashboard.watch;

import dev.sonde.dashboard.jvm.RuntimeSnapshot;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.KpiReading;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HealthTest {

    @Test
    void aBreachedKpiOrADeadlockIsRedANearOneOrABlockedThreadAmberElseGreen() {
        assertThat(Health.of(kpis(new KpiReading("meanOperationDuration", "ms", 50.0, 100.0, "below", false)), 0, 0, 0.8).colour())
                .isEqualTo(Health.Colour.GREEN);
        Health near = Health.of(kpis(new KpiReading("meanOperationDuration", "ms", 85.0, 100.0, "below", false)), 0, 0, 0.8);
        assertThat(near.colour()).isEqualTo(Health.Colour.AMBER);
        assertThat(near.reasons()).singleElement().asString().contains("meanOperationDuration 85", "goal below 100");
        assertThat(Health.of(kpis(new KpiReading("meanOperationDuration", "ms", 120.0, 100.0, "below", true)), 0, 0, 0.8).colour())
                .isEqualTo(Health.Colour.RED);
        // "above 0.99": 1 % may fail; amber once 0.8 % fail.
        assertThat(Health.of(kpis(new KpiReading("sessionSuccessRate", "", 0.995, 0.99, "above", false)), 0, 0, 0.8).colour())
                .isEqualTo(Health.Colour.GREEN);
        assertThat(Health.of(kpis(new KpiReading("sessionSuccessRate", "", 0.991, 0.99, "above", false)), 0, 0, 0.8).colour())
                .isEqualTo(Health.Colour.AMBER);
        assertThat(Health.of(kpis(), 2, 0, 0.8)).satisfies(h -> {
            assertThat(h.colour()).isEqualTo(Health.Colour.RED);
            assertThat(h.reasons()).containsExactly("2 threads deadlocked");
        });
        assertThat(Health.of(null, 0, 1, 0.8).colour()).isEqualTo(Health.Colour.AMBER);
        assertThat(Health.of(kpis(new KpiReading("recoveryTime", "ms", null, 100.0, "below", false)), 0, 0, 0.8).colour())
                .as("a KPI with nothing to compute it from").isEqualTo(Health.Colour.GREEN);
    }

    private static RuntimeSnapshot kpis(KpiReading... readings) {
        return new RuntimeSnapshot(null, null, null, null, null, null, null, null, List.of(), null, List.of(),
                new RuntimeSnapshot.Kpis(List.of(readings), List.of()));
    }
}
