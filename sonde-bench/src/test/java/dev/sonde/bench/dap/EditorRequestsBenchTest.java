package dev.sonde.bench.dap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the editor-requests benchmark once at a tiny size, so that it cannot rot. Timing goals are not asserted here. */
class EditorRequestsBenchTest {

    @Test
    void bothMethodsAnswerEveryRequestWithTheSameItems() throws Exception {
        var report = EditorRequestsBench.run(new EditorRequestsBench.Settings(1000, 2, 50));
        assertThat(report.latencies()).extracting(EditorRequestsBench.Latency::request)
                .containsExactly("completions \"account.\"", "ArrayList first page", "HashMap first page");
        for (var latency : report.latencies()) {
            assertThat(latency.sessionNanos()).as(latency.request()).hasSize(2).allMatch(nanos -> nanos > 0);
            assertThat(latency.dapNanos()).as(latency.request()).hasSize(2).allMatch(nanos -> nanos > 0);
            assertThat(latency.dapItems()).as(latency.request()).isEqualTo(latency.sessionItems()).isPositive();
        }
        assertThat(report.latencies().get(1).dapItems()).isEqualTo(50);
        assertThat(report.latencies().get(2).dapItems()).isEqualTo(50);
    }
}
