package dev.sonde.bench.agent;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the expression benchmark once, briefly, so that it cannot rot. Timing goals are not asserted here. */
class ExpressionProbeBenchTest {

    @Test
    void everyProbeStateIsMeasuredAndTheUnlimitedLogpointPrintsEveryHit() {
        long window = Long.getLong("sonde.bench.agent.millis", 300);
        int rounds = Integer.getInteger("sonde.bench.agent.rounds", 1);
        ExpressionProbeBench.Result result = ExpressionProbeBench.run(new ExpressionProbeBench.Settings(Duration.ofMillis(window),
                Duration.ofMillis(window / 2), rounds));
        System.out.println(result);
        assertThat(result.idleHitsPerSecond()).isPositive();
        assertThat(result.linesReceived()).isGreaterThan(100);
        assertThat(result.falseConditionNanos()).isFinite();
        assertThat(result.everyHitLogNanos()).isFinite();
    }
}
