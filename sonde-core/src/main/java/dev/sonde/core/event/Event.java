package dev.sonde.core.event;

import dev.sonde.core.breakpoints.Breakpoint;
import dev.sonde.core.model.AsyncSegment;
import dev.sonde.core.model.Frame;
import dev.sonde.core.model.FrameLocals;
import dev.sonde.core.model.Location;
import dev.sonde.core.model.RuntimeContext;
import dev.sonde.core.model.ThreadInfo;
import dev.sonde.core.model.WatchResult;

import java.time.Instant;
import java.util.List;

/**
 * Everything a session reports, in order. Renderers (console, JSON lines, DAP, dashboard) switch over
 * this hierarchy exhaustively, so adding a kind of event is a compile error until every one handles it.
 */
public sealed interface Event {

    /** The event's name in JSON lines ({@code stopped}, {@code output}, ...). */
    default String kind() {
        return switch (this) {
            case Stopped ignored -> "stopped";
            case Continued ignored -> "continued";
            case Output ignored -> "output";
            case Snapshot ignored -> "snapshot";
            case ThreadStarted ignored -> "threadStarted";
            case ThreadExited ignored -> "threadExited";
            case BreakpointChanged ignored -> "breakpointChanged";
            case Terminated ignored -> "terminated";
            case Error ignored -> "error";
        };
    }

    /**
     * The target stopped.
     *
     * @param reason        why
     * @param thread        the thread that stopped; null when the whole target was paused with no particular thread
     * @param location      where; null when the thread has not run any code yet (held at entry)
     * @param breakpointIds the breakpoints hit, empty when the stop is not a breakpoint
     * @param allThreads    whether every thread is held (otherwise only {@code thread})
     * @param async         the first hand-off behind the work the thread runs (see {@code where}), or null when there is none
     * @param runtime       the sonde-runtime operations and scopes open on the thread; never null
     */
    record Stopped(StopReason reason, ThreadInfo thread, Location location, List<Integer> breakpointIds,
                   boolean allThreads, StopDetail detail, AsyncSegment async, RuntimeContext runtime) implements Event {
        public Stopped {
            breakpointIds = List.copyOf(breakpointIds);
            if (runtime == null) {
                runtime = RuntimeContext.NONE;
            }
        }

        public Stopped(StopReason reason, ThreadInfo thread, Location location, List<Integer> breakpointIds, boolean allThreads,
                       StopDetail detail) {
            this(reason, thread, location, breakpointIds, allThreads, detail, null, RuntimeContext.NONE);
        }

        /** A stop with nothing more to say than where and why. */
        public Stopped(StopReason reason, ThreadInfo thread, Location location, List<Integer> breakpointIds, boolean allThreads) {
            this(reason, thread, location, breakpointIds, allThreads, null);
        }
    }

    /**
     * The target runs again.
     *
     * @param threadId   the thread resumed, or 0 when {@code allThreads}
     * @param allThreads whether every thread was resumed
     */
    record Continued(long threadId, boolean allThreads) implements Event {
    }

    /**
     * Text from the target, from a logpoint or about the session; {@code text} keeps its line ends.
     *
     * @param breakpointId the logpoint that wrote it, or 0
     * @param viaAgent     whether the Sonde agent in the target wrote it (in process), rather than the debugger through JDWP
     */
    record Output(OutputCategory category, String text, int breakpointId, boolean viaAgent) implements Event {
        public Output(OutputCategory category, String text) {
            this(category, text, 0, false);
        }

        public Output(OutputCategory category, String text, int breakpointId) {
            this(category, text, breakpointId, false);
        }
    }

    /**
     * A snapshot breakpoint captured a thread and let it go on.
     *
     * @param breakpointId the snapshot breakpoint
     * @param sequence     1 for its first capture, then 2, ...
     * @param time         when it was captured
     * @param thread       the thread that hit it
     * @param stack        its whole stack, top first
     * @param locals       the locals of its top frames
     * @param watches      the watched expressions' values (or why each failed)
     * @param viaAgent     whether the Sonde agent in the target captured it (in process), rather than the debugger through JDWP
     */
    record Snapshot(int breakpointId, long sequence, Instant time, ThreadInfo thread, List<Frame> stack,
                    List<FrameLocals> locals, List<WatchResult> watches, boolean viaAgent) implements Event {
        public Snapshot {
            stack = List.copyOf(stack);
            locals = List.copyOf(locals);
            watches = List.copyOf(watches);
        }

        public Snapshot(int breakpointId, long sequence, Instant time, ThreadInfo thread, List<Frame> stack,
                        List<FrameLocals> locals, List<WatchResult> watches) {
            this(breakpointId, sequence, time, thread, stack, locals, watches, false);
        }
    }

    record ThreadStarted(ThreadInfo thread) implements Event {
    }

    record ThreadExited(long threadId, String name) implements Event {
    }

    /** A breakpoint was verified, moved, or removed. */
    record BreakpointChanged(Breakpoint breakpoint, Change change) implements Event {
        public enum Change {
            ADDED, UPDATED, REMOVED;

            public String label() {
                return name().toLowerCase(java.util.Locale.ROOT);
            }
        }
    }

    /**
     * The session is over: the target exited, was killed, or the debugger detached.
     *
     * @param reason   one sentence for a user
     * @param exitCode the target's exit code when known, else null
     */
    record Terminated(String reason, Integer exitCode) implements Event {
    }

    /** Something went wrong in the background (a deferred breakpoint failed to install, say). */
    record Error(String message) implements Event {
    }
}
