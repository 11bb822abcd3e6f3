package dev.sonde.cli.console;

import dev.sonde.core.breakpoints.Breakpoint;
import dev.sonde.core.classes.ClassList;
import dev.sonde.core.classes.ClassMethods;
import dev.sonde.core.classes.Instances;
import dev.sonde.core.hotswap.Redefinition;
import dev.sonde.core.locks.MonitorReport;
import dev.sonde.core.model.AsyncSegment;
import dev.sonde.core.model.RuntimeContext;
import dev.sonde.core.model.Frame;
import dev.sonde.core.model.ThreadInfo;
import dev.sonde.core.model.Value;
import dev.sonde.core.model.Variable;
import dev.sonde.core.session.WaitOutcome;
import dev.sonde.core.stats.SessionStats;

import java.util.List;

/** What a successful console command produced. Renderers (text, JSON lines) switch over it exhaustively. */
public sealed interface Reply {

    /** A command whose only result is that it happened ({@code cont}, {@code detach}, ...). */
    record Done(String message) implements Reply {
    }

    /** The console is connected to a target ({@code attach}) or started one ({@code launch}). */
    /** @param kind the target's runtime, {@code jvm} or {@code python} (or another DAP server's) */
    record Connected(String address, long pid, String target, String kind, boolean held) implements Reply {
    }

    record BreakpointSet(Breakpoint breakpoint) implements Reply {
    }

    record BreakpointsDeleted(List<Integer> ids) implements Reply {
    }

    /** The session's breakpoints with their hit counts (same order). */
    record BreakpointList(List<Breakpoint> breakpoints, List<Long> hits) implements Reply {
    }

    /** @param current the selected thread's id, or 0 */
    record ThreadList(List<ThreadInfo> threads, long current) implements Reply {
    }

    record ThreadSelected(ThreadInfo thread) implements Reply {
    }

    /**
     * @param current       the selected frame's index
     * @param async         the hand-offs that scheduled the thread's work, nearest first (empty without async captures)
     * @param allHandOffs   whether every kept hand-off is shown, not only the nearest {@link #HAND_OFFS_SHOWN}
     * @param withMachinery whether frames of the scheduling machinery are shown rather than folded
     * @param runtime       the sonde-runtime operations and scopes open on the thread (known for the stopped thread)
     */
    record Stack(long threadId, List<Frame> frames, int current, List<AsyncSegment> async, boolean allHandOffs, boolean withMachinery,
                 RuntimeContext runtime) implements Reply {
        public static final int HAND_OFFS_SHOWN = 5;

        public Stack {
            if (runtime == null) {
                runtime = RuntimeContext.NONE;
            }
        }

        public Stack(long threadId, List<Frame> frames, int current, List<AsyncSegment> async, boolean allHandOffs, boolean withMachinery) {
            this(threadId, frames, current, async, allHandOffs, withMachinery, RuntimeContext.NONE);
        }

        public Stack(long threadId, List<Frame> frames, int current) {
            this(threadId, frames, current, List.of(), false, false);
        }
    }

    record FrameSelected(Frame frame) implements Reply {
    }

    record Locals(Frame frame, List<Variable> variables) implements Reply {
    }

    record Printed(String expression, Value value) implements Reply {
    }

    record Waited(WaitOutcome outcome) implements Reply {
    }

    record Stats(SessionStats stats) implements Reply {
    }

    /** The fields or elements of a value shown earlier ({@code print @REF}). */
    record Expanded(long ref, List<Variable> fields) implements Reply {
    }

    record Classes(ClassList list) implements Reply {
    }

    record Methods(ClassMethods methods) implements Reply {
    }

    /** One entry per loaded class of that name (a class loaded by two loaders is two classes). */
    record InstanceList(String className, List<Instances> types) implements Reply {
    }

    record Monitors(MonitorReport report) implements Reply {
    }

    /** What hot code replace did ({@code redefine}). */
    record Redefined(Redefinition redefinition) implements Reply {
    }

    record Help(List<CommandHelp> commands) implements Reply {
    }

    /**
     * One line of help: {@code usage} like {@code break LOCATION}, and what the command does.
     *
     * @param examples whole command lines, shown by {@code help NAME} (empty in the list of every command)
     */
    record CommandHelp(String usage, List<String> aliases, String summary, List<String> examples) {
    }
}
