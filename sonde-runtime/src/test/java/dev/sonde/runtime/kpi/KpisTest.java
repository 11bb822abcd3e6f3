package dev.sonde.runtime.kpi;

import dev.sonde.runtime.SondeRuntime;
import dev.sonde.runtime.recovery.RecoveryPolicy;
import dev.sonde.runtime.resources.ResourceHandle;
import dev.sonde.runtime.scopes.Scope;
import dev.sonde.runtime.settings.RuntimeSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class KpisTest {

    private final RuntimeSettings settings = withoutBackgroundRounds();
    private final SondeRuntime runtime = SondeRuntime.create(settings);

    /** The tests evaluate the KPIs themselves; the monitor's rounds would add evaluations in between. */
    private static RuntimeSettings withoutBackgroundRounds() {
        RuntimeSettings settings = RuntimeSettings.defaults();
        settings.set("monitor.interval", "1h");
        return settings;
    }

    @AfterEach
    void close() {
        runtime.close();
    }

    @Test
    void withoutDataNoKpiIsBreached() {
        List<KpiReading> readings = runtime.kpis().evaluate();

        assertThat(readings).extracting(KpiReading::kpi).containsExactly(Kpi.values());
        assertThat(readings).allSatisfy(reading -> {
            assertThat(reading.value()).isNaN();
            assertThat(reading.breached()).isFalse();
        });
        assertThat(runtime.kpis().alerts()).isEmpty();
    }

    @Test
    void aScopeViolationRateAboveTheGoalRaisesOneAlert() throws Exception {
        for (int i = 0; i < 99; i++) {
            runtime.scopes().enter("fine").close();
        }
        Scope misused = runtime.scopes().enter("misused");
        Thread other = new Thread(misused::close);
        other.start();
        other.join();

        KpiReading rate = reading(runtime.kpis().evaluate(), Kpi.SCOPE_VIOLATION_RATE);
        runtime.kpis().evaluate();

        assertThat(rate.value()).isEqualTo(0.01);
        assertThat(rate.threshold()).isEqualTo(0.001);
        assertThat(rate.breached()).isTrue();
        assertThat(runtime.kpis().alerts()).hasSize(1);
        KpiAlert alert = runtime.kpis().alerts().get(0).value();
        assertThat(alert.kpi()).isEqualTo(Kpi.SCOPE_VIOLATION_RATE);
        assertThat(alert.value()).isEqualTo(0.01);
        assertThat(alert.describe()).contains("scopeViolationRate", "0.01");
    }

    @Test
    void aRaisedThresholdEndsTheBreach() {
        for (int i = 0; i < 10; i++) {
            Scope scope = runtime.scopes().enter("twice");
            scope.close();
            if (i == 0) {
                scope.close();
            }
        }
        assertThat(reading(runtime.kpis().evaluate(), Kpi.SCOPE_VIOLATION_RATE).breached()).isTrue();

        settings.set("kpi.scopeViolationRate.max", "0.5");

        assertThat(reading(runtime.kpis().evaluate(), Kpi.SCOPE_VIOLATION_RATE).breached()).isFalse();
    }

    @Test
    void sessionSuccessRateCountsFailuresAgainstTheGoal() {
        for (int i = 0; i < 9; i++) {
            runtime.resources().register("session", new Object()).close();
        }
        ResourceHandle failed = runtime.resources().register("session", new Object());
        failed.fail();
        runtime.resources().register("connection", new Object()).fail();

        KpiReading success = reading(runtime.kpis().evaluate(), Kpi.SESSION_SUCCESS_RATE);

        assertThat(success.value()).isEqualTo(0.9);
        assertThat(success.breached()).isTrue();
        assertThat(runtime.kpis().alerts()).extracting(e -> e.value().kpi()).containsExactly(Kpi.SESSION_SUCCESS_RATE);
    }

    @Test
    void meanOperationDurationAndRecoveryTimeFollowTheirThresholds() throws Exception {
        runtime.operations().run("slow", () -> sleep(30));
        settings.apply(java.util.Map.of("kpi.meanOperationDuration.max", "10ms", "kpi.recoveryTime.max", "1ms",
                "recovery.initialBackoff", "5ms"));
        RecoveryPolicy<String> policy = runtime.recovery().<String>policy("flaky").build();
        AtomicInteger calls = new AtomicInteger();
        policy.call(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IOException("once");
            }
            return "ok";
        });

        List<KpiReading> readings = runtime.kpis().evaluate();

        assertThat(reading(readings, Kpi.MEAN_OPERATION_DURATION).value()).isGreaterThanOrEqualTo(30.0);
        assertThat(reading(readings, Kpi.MEAN_OPERATION_DURATION).breached()).isTrue();
        assertThat(reading(readings, Kpi.ERROR_RECOVERY_TIME).value()).isGreaterThanOrEqualTo(2.5);
        assertThat(reading(readings, Kpi.ERROR_RECOVERY_TIME).breached()).isTrue();
        assertThat(runtime.kpis().alerts()).extracting(e -> e.value().kpi())
                .containsExactly(Kpi.MEAN_OPERATION_DURATION, Kpi.ERROR_RECOVERY_TIME);
    }

    @Test
    void ratesLookOnlyAtTheKpiWindow() throws Exception {
        settings.set("kpi.window", "50ms");
        Scope scope = runtime.scopes().enter("old misuse");
        scope.close();
        scope.close();
        runtime.kpis().evaluate();
        Thread.sleep(60);
        runtime.kpis().evaluate();
        for (int i = 0; i < 10; i++) {
            runtime.scopes().enter("fine").close();
        }

        assertThat(reading(runtime.kpis().evaluate(), Kpi.SCOPE_VIOLATION_RATE).value()).isZero();
    }

    private static KpiReading reading(List<KpiReading> readings, Kpi kpi) {
        return readings.stream().filter(r -> r.kpi() == kpi).findFirst().orElseThrow();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
