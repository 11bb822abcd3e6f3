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
 * @param sequence  the operation's number among those started on {@code startedOn} (1 for the first); 0 when unknown
 */
public record OperationContext(String name, Instant startedAt, ThreadRef startedOn, long sequence) {

    public OperationContext(String name, Instant startedAt, ThreadRef startedOn) {
        this(name, startedAt, startedOn, 0);
    }

    /** Identifies the operation in the JVM: the id of the thread it started on and its number there, as {@code 31.7}. */
    public String id() {
        return startedOn.id() + "." + sequence;
    }
}
