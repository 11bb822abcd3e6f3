package dev.sonde.runtime.operations;

import dev.sonde.runtime.threads.ThreadRef;

import java.time.Duration;
import java.time.Instant;

/** One operation that ended badly, kept in the recent-failures history. */
public record OperationFailure(Instant at, String operation, Outcome outcome, String errorClass, String message,
                               Duration duration, ThreadRef thread) {
}
