package dev.sonde.bench.agent;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the agent benchmark once, briefly, so that it cannot rot. Timing goals are not asserted here. */
class AgentProbeBenchTest {

    @Test
    void theLoopRunsInEveryStateAndTheLogpointPrintsWithinItsBudget() {
        long window = Long.getLong("sonde.bench.agent.millis", 400);
        AgentProbeBench.Result result = AgentProbeBench.run(new AgentProbeBench.Settings(Duration.ofMillis(window), Duration.ofMillis(window / 2)));
        System.out.println(result + " nanosPerHit=" + result.nanosPerHit());
        assertThat(result.plainHitsPerSecond()).isPositive();
        assertThat(result.idleAgentHitsPerSecond()).isPositive();
        assertThat(result.logpointHitsPerSecond()).isPositive();
        // the logpoint is armed for one warmup and one window, at 100 lines/s
        assertThat(result.linesReceived()).isBetween(1L, 100 + 100 * (window + window / 2) / 1000);
    }

    @Test
    void snapshotsOnEveryHitSlowTheLoopButItRuns() {
        long window = Long.getLong("sonde.bench.agent.millis", 400);
        AgentProbeBench.SnapshotResult result = AgentProbeBench.snapshots(new AgentProbeBench.Settings(Duration.ofMillis(window),
                Duration.ofMillis(window / 2)));
        System.out.println(result + " microsPerSnapshot=" + result.microsPerSnapshot() + " microsPerTopFrameSnapshot="
                + result.microsPerTopFrameSnapshot() + "; " + result.cpuSummary());
        assertThat(result.twoFramesHitsPerSecond()).isPositive();
        assertThat(result.topFrameHitsPerSecond()).isPositive();
        assertThat(result.snapshotsReceived()).isPositive();
    }
}
