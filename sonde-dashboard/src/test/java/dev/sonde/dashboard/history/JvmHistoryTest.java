package dev.sonde.dashboard.history;

import dev.sonde.dashboard.history.Sample.OperationSample;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JvmHistoryTest {

    @Test
    void keepsTheNewestSamplesOnceFullAndEverySeriesStaysAlignedWithTheTimes() {
        JvmHistory history = new JvmHistory(3);
        for (int i = 1; i <= 5; i++) {
            Map<String, OperationSample> operations = new LinkedHashMap<>();
            operations.put("always", new OperationSample(i, i * 10));
            if (i >= 4) {
                operations.put("late", new OperationSample(i * 100, Double.NaN));
            }
            history.add(sample(i * 1000L, i, operations));
        }
        Map<String, Object> columns = history.columns(0);
        assertThat((long[]) columns.get("t")).containsExactly(3000, 4000, 5000);
        assertThat((Double[]) columns.get("throughput")).containsExactly(3.0, 4.0, 5.0);
        assertThat((Double[]) columns.get("errorRate")).containsExactly(null, null, null);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Double[]>> operations = (Map<String, Map<String, Double[]>>) columns.get("operations");
        assertThat(operations.get("always").get("p99Millis")).containsExactly(30.0, 40.0, 50.0);
        assertThat(operations.get("late").get("throughput")).as("a series born late has gaps before it").containsExactly(null, 400.0, 500.0);
        assertThat(operations.get("late").get("p99Millis")).containsExactly(null, null, null);
    }

    @Test
    void anOperationMissingFromASampleGetsAGapAndSinceCutsTheOldOnes() {
        JvmHistory history = new JvmHistory(10);
        history.add(sample(1000, 1, Map.of("a", new OperationSample(1, 1))));
        history.add(sample(2000, 2, Map.of()));
        history.add(sample(3000, 3, Map.of("a", new OperationSample(3, 3))));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Double[]>> operations = (Map<String, Map<String, Double[]>>) history.columns(0).get("operations");
        assertThat(operations.get("a").get("throughput")).containsExactly(1.0, null, 3.0);
        assertThat((long[]) history.columns(2000).get("t")).containsExactly(2000, 3000);
        assertThat((long[]) history.columns(3001).get("t")).isEmpty();
    }

    private static Sample sample(long at, double throughput, Map<String, OperationSample> operations) {
        return new Sample(at, throughput, Double.NaN, 1, 0, 1, 1, 1, 1, 1, 0, Double.NaN, Double.NaN, operations);
    }
}
