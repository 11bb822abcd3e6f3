package dev.sonde.core.model;

/**
 * A target thread.
 *
 * @param id        the debugger's id for the thread, stable for the session
 * @param name      thread name (virtual threads are often unnamed: empty string)
 * @param status    what it is doing
 * @param virtual   whether it is a virtual thread
 * @param suspended whether the debugger holds it
 */
public record ThreadInfo(long id, String name, ThreadStatus status, boolean virtual, boolean suspended) {

    /** The name for display: virtual threads without a name show as {@code virtual#id}. */
    public String displayName() {
        if (name == null || name.isEmpty()) {
            return (virtual ? "virtual#" : "thread#") + id;
        }
        return name;
    }
}
