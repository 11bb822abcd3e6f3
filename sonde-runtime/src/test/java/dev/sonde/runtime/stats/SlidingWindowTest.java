package dev.sonde.runtime.stats;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SlidingWindowTest {

    @Test
    void everyValueFallsInsideItsBucket() {
        for (long value : new long[] {0, 1, 7, 8, 15, 16, 17, 1000, 123_456_789, 1L << 40, (1L << 43) - 1}) {
            int index = LogBuckets.indexOf(value);
            assertThat(LogBuckets.lowerBound(index)).as("lower bound of %d", value).isLessThanOrEqualTo(value);
            assertThat(LogBuckets.upperBound(index)).as("upper bound of %d", value).isGreaterThanOrEqualTo(value);
            assertThat(LogBuckets.upperBound(index) - LogBuckets.lowerBound(index))
                    .as("width at %d", value).isLessThanOrEqualTo(Math.max(0, value / 8));
        }
        assertThat(LogBuckets.indexOf(Long.MAX_VALUE)).isEqualTo(LogBuckets.COUNT - 1);
    }

    @Test
    void percentilesAreWithinSixPercent() {
        SlidingWindow window = new SlidingWindow(Duration.ofSeconds(60));
        long now = System.nanoTime();
        for (int micros = 1; micros <= 1000; micros++) {
            window.record(now, micros * 1000L, micros % 10 == 0);
        }

        WindowSnapshot snapshot = window.snapshot(now);

        assertThat(snapshot.count()).isEqualTo(1000);
        assertThat(snapshot.errors()).isEqualTo(100);
        assertThat(snapshot.errorRate()).isEqualTo(0.1);
        assertThat(snapshot.meanNanos()).isEqualTo(500_500.0);
        assertThat((double) snapshot.p50Nanos()).isCloseTo(500_000, within(32_000.0));
        assertThat((double) snapshot.p99Nanos()).isCloseTo(990_000, within(62_000.0));
        assertThat(snapshot.maxNanos()).isEqualTo(1_000_000);
    }

    @Test
    void oldSamplesLeaveTheWindow() {
        SlidingWindow window = new SlidingWindow(Duration.ofSeconds(6));
        long start = System.nanoTime();
        window.record(start, 5_000, true);
        window.record(start + Duration.ofSeconds(3).toNanos(), 7_000, false);

        assertThat(window.snapshot(start + Duration.ofSeconds(4).toNanos()).count()).isEqualTo(2);
        WindowSnapshot later = window.snapshot(start + Duration.ofSeconds(8).toNanos());
        assertThat(later.count()).isEqualTo(1);
        assertThat(later.errors()).isZero();
        assertThat(later.maxNanos()).isEqualTo(7_000);
        assertThat(window.snapshot(start + Duration.ofSeconds(20).toNanos()).count()).isZero();
    }

    @Test
    void aSnapshotAddsTheNewestBucketFreshToTheOlderOnesItKept() {
        SlidingWindow window = new SlidingWindow(Duration.ofSeconds(6));
        long start = System.nanoTime();
        window.record(start, 5_000, true);
        long nextSecond = start + Duration.ofSeconds(1).toNanos();
        assertThat(window.snapshot(nextSecond).count()).isEqualTo(1);

        window.record(nextSecond, 9_000, false);
        WindowSnapshot both = window.snapshot(nextSecond);
        assertThat(both.count()).isEqualTo(2);
        assertThat(both.errors()).isEqualTo(1);
        assertThat(both.sumNanos()).isEqualTo(14_000);
        assertThat(both.maxNanos()).isEqualTo(9_000);

        window.record(start + Duration.ofSeconds(2).toNanos(), 1_000, false);
        assertThat(window.snapshot(start + Duration.ofSeconds(2).toNanos()).count()).isEqualTo(3);
    }

    @Test
    void mergesWindows() {
        SlidingWindow fast = new SlidingWindow(Duration.ofSeconds(60));
        SlidingWindow slow = new SlidingWindow(Duration.ofSeconds(60));
        long now = System.nanoTime();
        fast.record(now, 1_000, false);
        slow.record(now, 9_000, true);

        WindowSnapshot merged = SlidingWindow.merge(List.of(fast, slow), Duration.ofSeconds(60));

        assertThat(merged.count()).isEqualTo(2);
        assertThat(merged.errors()).isEqualTo(1);
        assertThat(merged.meanNanos()).isEqualTo(5_000.0);
        assertThat(merged.maxNanos()).isEqualTo(9_000);
    }

    @Test
    void resizingDropsWhatWasGathered() {
        SlidingWindow window = new SlidingWindow(Duration.ofSeconds(60));
        window.record(System.nanoTime(), 1_000, false);

        window.resize(Duration.ofSeconds(12));

        assertThat(window.window()).isEqualTo(Duration.ofSeconds(12));
        assertThat(window.snapshot().count()).isZero();
    }

    @Test
    void historyKeepsTheNewestEntries() {
        History<String> history = new History<>(() -> 2);
        history.add("a");
        history.add("b");
        history.add("c");

        assertThat(history.entries()).extracting(History.Entry::value).containsExactly("b", "c");
        assertThat(history.entries()).extracting(History.Entry::sequence).containsExactly(2L, 3L);
    }
}
