package dev.sonde.runtime.resources;

import dev.sonde.runtime.threads.ThreadRef;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A registered resource that is still open. */
public record LiveResource(long id, String type, String description, Instant createdAt, Duration age, ThreadRef owner,
                           List<StackTraceElement> allocationStack) {
}
