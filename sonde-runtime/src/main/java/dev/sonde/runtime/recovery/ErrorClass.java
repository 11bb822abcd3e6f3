package dev.sonde.runtime.recovery;

/** What an error says about trying again. */
public enum ErrorClass {
    /** Likely to pass if tried again: I/O errors, time-outs, rejected work. */
    TRANSIENT,
    /** Will fail again: bad arguments, bad state, programming errors; also any error no rule knows. */
    PERMANENT,
    /** The work was cancelled or interrupted: someone wants it to stop. */
    CANCELLED,
    /** A scope was misused (Sonde's STRICT mode or the JDK's own checks): a bug, not bad luck. */
    SCOPE_VIOLATION
}
