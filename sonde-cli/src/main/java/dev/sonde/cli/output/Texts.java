package dev.sonde.cli.output;

import dev.sonde.core.breakpoints.Breakpoint;
import dev.sonde.core.event.Event;
import dev.sonde.core.event.StopDetail;
import dev.sonde.core.model.FrameLocals;
import dev.sonde.core.model.WatchResult;
import dev.sonde.core.model.Frame;
import dev.sonde.core.model.ThreadInfo;
import dev.sonde.core.model.Value;
import dev.sonde.core.model.Variable;

import java.util.List;

/** How Sonde's model reads in a terminal. */
public final class Texts {

    /** Names are cut no shorter than this, however narrow the terminal. */
    private static final int MIN_NAME_WIDTH = 12;

    private Texts() {
    }

    public static String stopped(Event.Stopped stopped) {
        String thread = stopped.thread() == null ? "" : "thread " + thread(stopped.thread());
        String where = stopped.location() == null ? "" : stopped.location().toString();
        return switch (stopped.reason()) {
            case ENTRY -> "Held at entry" + (thread.isEmpty() ? "" : " (" + thread + ")") + "; set breakpoints, then `cont`.";
            case BREAKPOINT -> "Breakpoint " + ids(stopped.breakpointIds()) + " hit in " + thread + ": " + where;
            case STEP -> "Stepped to " + where + " in " + thread;
            case PAUSE -> "Paused" + (thread.isEmpty() ? "" : ": " + thread) + (where.isEmpty() ? "" : " at " + where);
            case EXCEPTION, METHOD_EXIT, WATCHPOINT -> "Breakpoint " + ids(stopped.breakpointIds()) + ": " + detail(stopped.detail())
                    + " in " + thread + " at " + where;
        };
    }

    /** What an exception, method-exit or watchpoint stop saw. */
    public static String detail(StopDetail detail) {
        return switch (detail) {
            case null -> "hit";
            case StopDetail.ExceptionThrown thrown -> thrown.type() + (thrown.message() == null ? "" : " (\"" + thrown.message() + "\")")
                    + " thrown, " + (thrown.uncaught() ? "uncaught" : "caught at " + thrown.catchAt());
            case StopDetail.Returning returning -> returning.method() + " returns " + returning.value().render();
            case StopDetail.FieldModified modified -> modified.field() + " changes from " + modified.oldValue().render()
                    + " to " + modified.newValue().render();
            case StopDetail.FieldAccessed accessed -> accessed.field() + " is read (" + accessed.value().render() + ")";
        };
    }

    /** A snapshot in a few lines: where, the top frame's locals, the watched expressions. */
    public static String snapshot(Event.Snapshot snapshot) {
        StringBuilder out = new StringBuilder("Snapshot ").append(snapshot.sequence()).append(" of breakpoint ").append(snapshot.breakpointId())
                .append(" in thread ").append(thread(snapshot.thread()));
        if (!snapshot.stack().isEmpty()) {
            out.append(" at ").append(snapshot.stack().get(0).location());
        }
        for (FrameLocals frame : snapshot.locals()) {
            if (!frame.variables().isEmpty()) {
                out.append(System.lineSeparator()).append("  #").append(frame.frameIndex()).append(' ')
                        .append(String.join(", ", frame.variables().stream().map(v -> v.name() + " = " + v.value().render()).toList()));
            }
        }
        for (WatchResult watch : snapshot.watches()) {
            out.append(System.lineSeparator()).append("  ").append(watch.expression()).append(" = ")
                    .append(watch.value() != null ? watch.value().render() : "<" + watch.error() + ">");
        }
        return out.toString();
    }

    /** {@code main} or {@code worker-1 (virtual)}, with the id. */
    public static String thread(ThreadInfo thread) {
        boolean unnamed = thread.name() == null || thread.name().isEmpty();
        if (unnamed) {
            return thread.id() + (thread.virtual() ? " (virtual)" : "");
        }
        return thread.id() + " (" + thread.name() + (thread.virtual() ? ", virtual" : "") + ")";
    }

    private static String ids(List<Integer> ids) {
        return String.join(", ", ids.stream().map(String::valueOf).toList());
    }

    /** {@code Breakpoint}, {@code Temporary breakpoint}, {@code Logpoint} or {@code Snapshot point}. */
    public static String kind(Breakpoint breakpoint) {
        return switch (breakpoint.options().action()) {
            case dev.sonde.core.breakpoints.BreakpointAction.Log ignored -> "Logpoint";
            case dev.sonde.core.breakpoints.BreakpointAction.Snapshot ignored -> "Snapshot point";
            case dev.sonde.core.breakpoints.BreakpointAction.Stop ignored ->
                    breakpoint.options().temporary() ? "Temporary breakpoint" : "Breakpoint";
        };
    }

    public static String breakpoint(Breakpoint breakpoint) {
        String kind = kind(breakpoint) + " ";
        if (breakpoint.verified()) {
            return kind + breakpoint.id() + where(breakpoint);
        }
        return kind + breakpoint.id() + " pending: " + breakpoint.reason();
    }

    /** {@code " at Orders.place (Orders.java:42)"}, or {@code " set: catch all IllegalStateException"} for breakpoints without a line. */
    public static String where(Breakpoint breakpoint) {
        if (breakpoint.locations().isEmpty()) {
            return " set: " + breakpoint.spec().describe();
        }
        return " at " + String.join(", ", breakpoint.locations().stream().map(Object::toString).toList());
    }

    public static String frame(Frame frame) {
        return "#" + frame.index() + "  " + frame.location() + (frame.nativeMethod() ? " [native]" : "");
    }

    /**
     * The threads as a table {@code width} columns wide at most: names too long for it are cut with an ellipsis (a Jetty
     * acceptor's name is over 100 characters), never the other columns.
     */
    public static String threadTable(List<ThreadInfo> threads, long current, int width) {
        // "* " + id + name + state + kind + held, with two spaces between columns.
        int otherColumns = 2 + 6 + 2 + 2 + 11 + 2 + 8 + 2 + 4;
        int longest = Math.max(4, threads.stream().mapToInt(t -> t.displayName().length()).max().orElse(4));
        int nameWidth = Math.min(longest, Math.max(MIN_NAME_WIDTH, width - otherColumns));
        StringBuilder out = new StringBuilder(String.format("  %6s  %-" + nameWidth + "s  %-11s  %-8s  %s%n", "ID", "NAME", "STATE", "KIND", "HELD"));
        for (ThreadInfo thread : threads) {
            out.append(String.format("%s %6d  %-" + nameWidth + "s  %-11s  %-8s  %s%n", thread.id() == current ? "*" : " ",
                    thread.id(), cut(thread.displayName(), nameWidth), thread.status().label(), thread.virtual() ? "virtual" : "platform",
                    thread.suspended() ? "yes" : "no"));
        }
        return out.toString().stripTrailing();
    }

    /** {@code text} as it is when it fits in {@code width} characters, otherwise its start and an ellipsis. */
    public static String cut(String text, int width) {
        return text.length() <= width ? text : text.substring(0, Math.max(0, width - 1)) + "…";
    }

    /** {@code name = value}, with expanded objects' fields indented below. */
    public static String variables(List<Variable> variables, int indent) {
        StringBuilder out = new StringBuilder();
        for (Variable variable : variables) {
            appendVariable(out, variable.name(), variable.value(), indent);
        }
        return out.toString().stripTrailing();
    }

    public static String value(String name, Value value) {
        StringBuilder out = new StringBuilder();
        appendVariable(out, name, value, 0);
        return out.toString().stripTrailing();
    }

    private static void appendVariable(StringBuilder out, String name, Value value, int indent) {
        out.append("  ".repeat(indent)).append(name).append(" = ");
        if (value instanceof Value.ObjectRef object && object.fields() != null) {
            out.append(object.summary()).append(System.lineSeparator());
            for (Variable field : object.fields()) {
                appendVariable(out, field.name(), field.value(), indent + 1);
            }
        } else {
            out.append(value.render()).append(System.lineSeparator());
        }
    }
}
