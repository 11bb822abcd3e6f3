package dev.sonde.core.stats;

import dev.sonde.core.event.Event;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live statistics of one session. Updated on the session's event path, read from anywhere.
 * Time is measured with {@link System#nanoTime()}; wall-clock time only marks the start.
 */
public final class SessionStatistics {

    private final Instant startedAt = Instant.now();
    private final long startNanos = System.nanoTime();
    private final Map<String, LongAdder> eventsByKind = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> hitsByBreakpoint = new ConcurrentHashMap<>();
    private final LongAdder stops = new LongAdder();
    private long stoppedSinceNanos = -1;
    private long stoppedTotalNanos;
    private long endNanos = -1;

    /** Counts an event; {@code stoppedNow} tells whether the session is held after it. */
    public void record(Event event, boolean stoppedNow) {
        eventsByKind.computeIfAbsent(event.kind(), k -> new LongAdder()).increment();
        switch (event) {
            case Event.Stopped stopped -> {
                stops.increment();
                stopped.breakpointIds().forEach(this::hit);
            }
            case Event.Snapshot snapshot -> hit(snapshot.breakpointId());
            case Event.Output output when output.breakpointId() > 0 -> hit(output.breakpointId());
            default -> {
            }
        }
        synchronized (this) {
            long now = System.nanoTime();
            if (stoppedNow && stoppedSinceNanos < 0) {
                stoppedSinceNanos = now;
            } else if (!stoppedNow && stoppedSinceNanos >= 0) {
                stoppedTotalNanos += now - stoppedSinceNanos;
                stoppedSinceNanos = -1;
            }
            if (event instanceof Event.Terminated && endNanos < 0) {
                endNanos = now;
            }
        }
    }

    private void hit(int breakpointId) {
        hitsByBreakpoint.computeIfAbsent(breakpointId, k -> new LongAdder()).increment();
    }

    public long hits(int breakpointId) {
        LongAdder adder = hitsByBreakpoint.get(breakpointId);
        return adder == null ? 0 : adder.sum();
    }

    public SessionStats snapshot() {
        long now;
        long stopped;
        synchronized (this) {
            now = endNanos >= 0 ? endNanos : System.nanoTime();
            stopped = stoppedTotalNanos + (stoppedSinceNanos >= 0 ? now - stoppedSinceNanos : 0);
        }
        Map<String, Long> events = new TreeMap<>();
        eventsByKind.forEach((k, v) -> events.put(k, v.sum()));
        Map<Integer, Long> hits = new TreeMap<>();
        hitsByBreakpoint.forEach((k, v) -> hits.put(k, v.sum()));
        return new SessionStats(startedAt, Duration.ofNanos(now - startNanos), Duration.ofNanos(stopped),
                stops.sum(), java.util.Collections.unmodifiableMap(events), java.util.Collections.unmodifiableMap(hits));
    }
}
