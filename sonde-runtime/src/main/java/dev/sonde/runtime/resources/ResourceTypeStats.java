package dev.sonde.runtime.resources;

import java.time.Duration;

/**
 * Figures of one resource type since start.
 *
 * @param live       open now
 * @param opened     registered
 * @param closed     closed normally
 * @param failed     ended with {@link ResourceHandle#fail}
 * @param collected  garbage collected without being closed
 * @param oldestAge  age of the oldest open one, zero when none is open
 */
public record ResourceTypeStats(String type, long live, long opened, long closed, long failed, long collected,
                                Duration oldestAge) {
}
