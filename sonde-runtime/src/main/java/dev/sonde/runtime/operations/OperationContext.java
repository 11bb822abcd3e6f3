package dev.sonde.runtime.operations;

import dev.sonde.runtime.threads.ThreadRef;

import java.time.Instant;

/**
 * The operation that the current code runs in: on its own thread, or on an executor that Sonde
 * wraps, where it was carried over from the thread that submitted the task.
 *
 * @param name      the operation's name
 * @param startedAt when the operation started
 * @param startedOn the thread where it started
 */
public record OperationContext(String name, Instant startedAt, ThreadRef startedOn) {
}
