package dev.sonde.core.event;

/** Where a piece of output comes from. */
public enum OutputCategory {
    /** The target's standard output. */
    STDOUT,
    /** The target's standard error. */
    STDERR,
    /** Messages from Sonde itself about the session. */
    CONSOLE,
    /** Messages of logpoints. */
    LOG;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
