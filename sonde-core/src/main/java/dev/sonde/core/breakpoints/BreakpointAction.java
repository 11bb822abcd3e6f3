package dev.sonde.core.breakpoints;

import java.util.List;

/** What a breakpoint does when it is hit and its conditions hold. */
public sealed interface BreakpointAction {

    /** Stop the target (every thread). */
    record Stop() implements BreakpointAction {
    }

    /**
     * Log a message and go on: the thread is held only while the message is made.
     *
     * @param template text with {@code {expression}} parts; {@code {{} and {@code }}} for literal braces
     */
    record Log(String template) implements BreakpointAction {
    }

    /**
     * Capture the thread, its stack, the locals of its top frames and some expressions, then go on at once.
     *
     * @param max     snapshots to take before the breakpoint removes itself; 0 for no limit
     * @param watches expressions evaluated at each capture
     * @param frames  how many frames from the top get their locals captured
     */
    record Snapshot(int max, List<String> watches, int frames) implements BreakpointAction {
        public Snapshot {
            watches = List.copyOf(watches);
        }
    }

    Stop STOP = new Stop();
}
