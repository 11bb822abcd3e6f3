package dev.sonde.core.model;

import java.util.List;

/**
 * One hand-off in a stopped thread's async stack: the code that scheduled the work the thread (or the segment before)
 * runs, captured in the target by the Sonde agent (or by sonde-runtime's wrapped executors).
 *
 * @param kind      the scheduling call, as {@code thenApply}, {@code supplyAsync}, {@code execute}, {@code submit}, {@code start}
 * @param thread    the scheduling thread: its name in quotes, with {@code virtual#ID} in front for a virtual thread
 * @param ageMillis how long before the read the work was scheduled (by the debugger's clock)
 * @param frames    the scheduling stack, innermost first; locations carry no file when the class is not loaded
 */
public record AsyncSegment(String kind, String thread, long ageMillis, List<Frame> frames) {

    public AsyncSegment {
        frames = List.copyOf(frames);
    }

    /**
     * Whether a frame belongs to the scheduling machinery (CompletableFuture, executors, ForkJoin, thread start, and
     * sonde-runtime's wrapped executors and operations) and is
     * folded away unless asked for.
     */
    public static boolean machinery(Location location) {
        String name = location.className();
        return name.startsWith("java.util.concurrent.") || name.startsWith("java.lang.Thread") || name.startsWith("java.lang.VirtualThread")
                || name.startsWith("java.lang.System$") || name.startsWith("jdk.internal.") || name.startsWith("dev.sonde.agent.spy.")
                || name.startsWith("dev.sonde.runtime.");
    }
}
