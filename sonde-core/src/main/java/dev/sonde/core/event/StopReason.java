package dev.sonde.core.event;

/** Why the target stopped. */
public enum StopReason {
    /** Held before {@code main} (or any code) ran, waiting for the debugger to continue. */
    ENTRY,
    BREAKPOINT,
    STEP,
    PAUSE,
    /** An exception breakpoint: an exception was thrown. */
    EXCEPTION,
    /** A method-exit breakpoint: the method is returning. */
    METHOD_EXIT,
    /** A field watchpoint: the field was read or written. */
    WATCHPOINT;

    /** Lower-case name used in JSON lines and DAP ({@code breakpoint}, {@code step}, {@code method exit}, ...). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
