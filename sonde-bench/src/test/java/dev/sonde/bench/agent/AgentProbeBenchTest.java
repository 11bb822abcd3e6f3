package dev.sonde.bench.agent;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the agent benchmark once at its tiny size (Arthas included), so that it cannot rot. Timing goals are not asserted here. */
class AgentProbeBenchTest {

    @Test
    void everyRowMeasuresTheLoopArmedAndNotAndTheProbesWriteTheirFiles() throws Exception {
        AgentProbeBench.Result result = AgentProbeBench.run(AgentProbeBench.Settings.tiny());
        System.out.println(result);
        assertThat(result.idle().unarmedMedian()).isPositive();
        assertThat(result.idle().armedMedian()).isPositive();
        assertThat(result.rows()).extracting(AgentProbeBench.Row::label).contains(AgentProbeBench.SNAPSHOT, AgentProbeBench.CONDITION);
        assertThat(result.rows()).extracting(AgentProbeBench.Row::peer)
                .contains(AgentProbeBench.Peer.SONDE_AGENT, AgentProbeBench.Peer.JDWP, AgentProbeBench.Peer.ARTHAS);
        for (AgentProbeBench.Row row : result.rows()) {
            assertThat(row.unarmedMedian()).as(row.label() + " unarmed").isPositive();
            assertThat(row.armedMedian()).as(row.label() + " armed").isPositive();
            if (row.label().equals(AgentProbeBench.CONDITION)) {
                assertThat(row.linesPerSecondMedian()).as("a condition false on every hit prints nothing").isZero();
            } else if (!row.label().equals(AgentProbeBench.LOGPOINT_LIMITED) && !row.label().equals(AgentProbeBench.LOGPOINT_UNREAD)) {
                assertThat(row.linesPerSecondMedian()).as(row.label() + " lines written").isPositive();
            }
        }
        AgentProbeBench.Row logpoint = result.row(AgentProbeBench.Peer.SONDE_AGENT, AgentProbeBench.LOGPOINT);
        AgentProbeBench.Row limited = result.row(AgentProbeBench.Peer.SONDE_AGENT, AgentProbeBench.LOGPOINT_LIMITED);
        // the raised limit lets far more lines through than the default 100 a second (spent in the warm-up of so short a round)
        assertThat(logpoint.linesPerSecondMedian()).isGreaterThan(limited.linesPerSecondMedian());
        assertThat(limited.linesPerSecondMedian()).isLessThanOrEqualTo(200);
        assertThat(logpoint.nanosPerHit()).isPositive();
        AgentProbeBench.ArmTimes arm = result.armTimes();
        assertThat(arm.agentClientCold()).isPositive();
        assertThat(arm.agentClientWarm()).isPositive();
        assertThat(arm.commandCold()).isPositive();
        assertThat(arm.commandWarm()).isPositive();
        assertThat(arm.arthasAttach()).isPositive();
        assertThat(result.skipped()).isEmpty();
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
