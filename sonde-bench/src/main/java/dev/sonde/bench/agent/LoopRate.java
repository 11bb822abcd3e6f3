package dev.sonde.bench.agent;

import dev.sonde.fixtures.TargetJvm;

import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How fast {@code BenchTarget}'s loop runs, read from its own {@code calls N at NANOS} lines (every 50 ms), so that
 * measuring asks nothing of the tool being measured.
 */
final class LoopRate {

    /** One measured window: the loop's hits per second and what {@code counter} (e.g. lines written) did per second. */
    record Window(double hitsPerSecond, double countedPerSecond) {
    }

    private static final Pattern REPORT = Pattern.compile("calls (\\d+) at (\\d+)");

    private LoopRate() {
    }

    /** The newest report in {@code output}: {calls, nanos}, or null before the first. */
    static long[] parse(String line) {
        Matcher m = REPORT.matcher(line);
        return m.find() ? new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))} : null;
    }

    static Supplier<long[]> of(TargetJvm target) {
        return () -> {
            List<String> output = target.output();
            for (int i = output.size() - 1; i >= 0; i--) {
                long[] report = parse(output.get(i));
                if (report != null) {
                    return report;
                }
            }
            return null;
        };
    }

    /** Waits {@code warmup}, then measures over {@code window} (to the next report after it). */
    static Window measure(Supplier<long[]> latest, Duration warmup, Duration window, LongSupplier counter) {
        TargetJvm.sleep(warmup.toMillis());
        long[] first = next(latest, null);
        long counted = counter.getAsLong();
        long countedAt = System.nanoTime();
        TargetJvm.sleep(window.toMillis());
        long[] second = next(latest, first);
        double counting = (counter.getAsLong() - counted) * 1e9 / (System.nanoTime() - countedAt);
        return new Window((second[0] - first[0]) * 1e9 / (second[1] - first[1]), counting);
    }

    /** A report newer than {@code after}, waiting up to 10 s for the target to print one. */
    private static long[] next(Supplier<long[]> latest, long[] after) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            long[] report = latest.get();
            if (report != null && (after == null || report[1] > after[1])) {
                return report;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The target stopped reporting its loop for 10 s; it may have died.");
            }
            TargetJvm.sleep(10);
        }
    }
}
