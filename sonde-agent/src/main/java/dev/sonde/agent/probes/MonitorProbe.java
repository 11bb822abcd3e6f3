package dev.sonde.agent.probes;

import dev.sonde.agent.channel.Json;

import java.util.Arrays;
import java.util.function.Consumer;

/** Calls, errors and durations (mean, p50, p99) of a method, reported every {@code everyMillis}. */
public final class MonitorProbe implements Probe {

    private static final int SAMPLES = 16_384;

    private final int id;
    private final Class<?> target;
    private final String method;
    private final long everyMillis;
    private final Consumer<Json.Obj> output;

    private long calls;
    private long errors;
    private long totalNanos;
    private long[] durations = new long[SAMPLES];
    private int sampled;
    private long intervalStart = System.currentTimeMillis();
    private long allCalls;

    MonitorProbe(int id, Class<?> target, String method, long everyMillis, Consumer<Json.Obj> output) {
        this.id = id;
        this.target = target;
        this.method = method;
        this.everyMillis = everyMillis;
        this.output = output;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public Class<?> target() {
        return target;
    }

    String method() {
        return method;
    }

    synchronized void exit(long startNanos, boolean threw) {
        long took = System.nanoTime() - startNanos;
        calls++;
        allCalls++;
        if (threw) {
            errors++;
        }
        totalNanos += took;
        if (sampled < SAMPLES) {
            durations[sampled++] = took;
        }
    }

    /** Reports and starts a new interval when the current one is over. */
    void tick(long nowMillis) {
        long[] taken;
        long n;
        long failed;
        long total;
        int count;
        synchronized (this) {
            if (nowMillis - intervalStart < everyMillis) {
                return;
            }
            taken = durations;
            count = sampled;
            n = calls;
            failed = errors;
            total = totalNanos;
            durations = new long[SAMPLES];
            sampled = 0;
            calls = 0;
            errors = 0;
            totalNanos = 0;
            intervalStart = nowMillis;
        }
        Arrays.sort(taken, 0, count);
        output.accept(new Json.Obj().put("event", "monitor").put("probe", id).put("method", target.getName() + "." + method)
                .put("calls", n).put("errors", failed).put("meanMicros", n == 0 ? 0.0 : micros(total / (double) n))
                .put("p50Micros", count == 0 ? 0.0 : micros(taken[(int) (count * 0.50)]))
                .put("p99Micros", count == 0 ? 0.0 : micros(taken[Math.min(count - 1, (int) (count * 0.99))]))
                .put("intervalMillis", everyMillis));
    }

    private static double micros(double nanos) {
        return Math.round(nanos / 100.0) / 10.0;
    }

    @Override
    public synchronized Json.Obj describe() {
        return new Json.Obj().put("id", id).put("kind", "monitor").put("location", target.getName() + "." + method)
                .put("everyMillis", everyMillis).put("calls", allCalls);
    }
}
