package dev.sonde.core.model;

/** What a target thread is doing, as far as the debugger can tell. */
public enum ThreadStatus {
    RUNNING,
    SLEEPING,
    WAITING,
    /** Blocked entering a monitor. */
    BLOCKED,
    NOT_STARTED,
    TERMINATED,
    UNKNOWN;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
