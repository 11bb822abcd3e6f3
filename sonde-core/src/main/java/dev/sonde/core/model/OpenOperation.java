package dev.sonde.core.model;

/**
 * A sonde-runtime operation open on a stopped thread, read from the target.
 *
 * @param name      the operation's name, as {@code orders.load}
 * @param id        identifies it in the target: the id of the thread it started on and its number there, as {@code 31.7}
 * @param ageMillis how long before the read it started (by the debugger's clock); -1 when the target's runtime does not say
 * @param thread    the thread it started on, written as {@link AsyncSegment#thread()}: its name in quotes, with
 *                  {@code virtual#ID} in front for a virtual thread
 */
public record OpenOperation(String name, String id, long ageMillis, String thread) {
}
