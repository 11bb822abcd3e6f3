package dev.sonde.runtime.recovery;

/** What a recovery policy does about an error of some {@link ErrorClass}. */
public enum RecoveryStrategy {
    /** Try again with backoff; when the attempts run out, use the fallback if there is one, else fail. */
    RETRY,
    /** Use the fallback at once. */
    FALLBACK,
    /** Fail at once with the error. */
    FAIL_FAST
}
