package dev.sonde.runtime.operations;

import dev.sonde.runtime.threads.ThreadRef;

import java.time.Duration;
import java.time.Instant;

/** An asynchronous operation that has not ended yet: a long age points at work that hangs. */
public record InFlightOperation(String operation, Instant startedAt, Duration age, ThreadRef startedOn) {
}
