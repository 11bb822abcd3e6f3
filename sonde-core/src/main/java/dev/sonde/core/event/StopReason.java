package dev.sonde.core.event;

/** Why the target stopped. */
public enum StopReason {
    /** Held before {@code main} (or any code) ran, waiting for the debugger to continue. */
    ENTRY,
    BREAKPOINT,
    STEP,
    PAUSE;

    /** Lower-case name used in JSON lines and DAP ({@code breakpoint}, {@code step}, ...). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
