package dev.sonde.core.stats;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A snapshot of a session's statistics.
 *
 * @param startedAt        when the session was created
 * @param duration         from creation to termination, or to now while it lives
 * @param timeStopped      total time the target spent held by the debugger
 * @param stops            number of stops
 * @param eventsByKind     events seen, by {@link dev.sonde.core.event.Event#kind()}
 * @param hitsByBreakpoint hits per breakpoint id
 */
public record SessionStats(Instant startedAt, Duration duration, Duration timeStopped, long stops,
                           Map<String, Long> eventsByKind, Map<Integer, Long> hitsByBreakpoint) {
}
