package dev.sonde.runtime.operations;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** How an operation ended. */
public enum Outcome {
    SUCCEEDED,
    /** Ended with an error other than a cancellation or a time-out. */
    FAILED,
    /** Cancelled or interrupted. */
    CANCELLED,
    /** Ended with {@code java.util.concurrent.TimeoutException} or any exception whose name ends in {@code TimeoutException}. */
    TIMED_OUT;

    /** The outcome an error means, looking through the wrappers that futures add. */
    public static Outcome of(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof CancellationException || cause instanceof InterruptedException) {
            return CANCELLED;
        }
        if (cause.getClass().getSimpleName().endsWith("TimeoutException")) {
            return TIMED_OUT;
        }
        return FAILED;
    }

    /** The error inside {@link CompletionException} and {@link ExecutionException} wrappers. */
    public static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Whether the outcome counts against the error rate; cancellation is the caller's choice, not an error. */
    public boolean isError() {
        return this == FAILED || this == TIMED_OUT;
    }
}
