package dev.sonde.cli.output;

import dev.sonde.cli.console.Reply;
import dev.sonde.core.classes.ClassList;
import dev.sonde.core.classes.ClassMethods;
import dev.sonde.core.classes.Instances;
import dev.sonde.core.classes.LoadedClass;
import dev.sonde.core.classes.MethodInfo;
import dev.sonde.core.locks.Deadlock;
import dev.sonde.core.locks.LockRef;
import dev.sonde.core.locks.MonitorReport;
import dev.sonde.core.locks.ThreadLocks;
import dev.sonde.core.model.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** How the target's classes, methods, instances and locks read in a terminal. */
final class TargetTexts {

    private static final String NL = System.lineSeparator();

    private TargetTexts() {
    }

    static String classes(ClassList list) {
        if (list.classes().isEmpty()) {
            return "No loaded class matches '" + list.pattern() + "'; a class shows here once it has loaded.";
        }
        int nameWidth = list.classes().stream().mapToInt(c -> c.name().length()).max().orElse(0);
        StringBuilder out = new StringBuilder();
        for (LoadedClass type : list.classes()) {
            out.append(String.format("  %-" + nameWidth + "s  %s", type.name(), type.loader())).append(NL);
        }
        if (list.omitted() > 0) {
            out.append("  … and ").append(list.omitted()).append(" more (").append(list.total())
                    .append(" match; narrow the pattern or give a larger MAX)").append(NL);
        }
        return out.toString().stripTrailing();
    }

    static String methods(ClassMethods methods) {
        StringBuilder out = new StringBuilder(methods.type().name()).append(" (").append(methods.type().loader()).append("), ")
                .append(count(methods.methods().size(), "method")).append(':');
        for (MethodInfo method : methods.methods()) {
            String lines = method.firstLine() <= 0 ? ""
                    : method.firstLine() == method.lastLine() ? "line " + method.firstLine() : "lines " + method.firstLine() + "-" + method.lastLine();
            out.append(NL).append(String.format("  %-13s  %s", lines, marked(method)));
        }
        return out.toString().stripTrailing();
    }

    private static String marked(MethodInfo method) {
        StringBuilder marks = new StringBuilder();
        if (method.isStatic()) {
            marks.append("static ");
        }
        if (method.isNative()) {
            marks.append("native ");
        }
        if (method.isAbstract()) {
            marks.append("abstract ");
        }
        if (method.isSynthetic()) {
            marks.append("synthetic ");
        }
        return marks + method.signature();
    }

    static String instances(Reply.InstanceList list) {
        StringBuilder out = new StringBuilder();
        for (Instances type : list.types()) {
            if (!out.isEmpty()) {
                out.append(NL);
            }
            out.append(type.type().name()).append(" (").append(type.type().loader()).append("): ")
                    .append(count(type.count(), "instance"));
            if (!type.first().isEmpty()) {
                out.append(type.first().size() < type.count() ? ", the first " + type.first().size() : "")
                        .append("; `print @REF` shows one's fields");
            }
            for (Value value : type.first()) {
                out.append(NL).append("  ").append(value.ref() != 0 ? "@" + value.ref() + "  " : "").append(value.render());
            }
        }
        return out.toString();
    }

    static String monitors(MonitorReport report, int width) {
        StringBuilder out = new StringBuilder();
        if (report.suspendedMillis() >= 0) {
            out.append("Suspended the target for ").append(report.suspendedMillis()).append(" ms to read its monitors, then resumed it.")
                    .append(NL);
        }
        for (Deadlock deadlock : report.deadlocks()) {
            out.append(deadlock.describe()).append(NL);
        }
        if (report.deadlocks().isEmpty()) {
            out.append("No deadlock.").append(NL);
        }
        Map<Long, ThreadLocks> byId = report.threads().stream().collect(Collectors.toMap(ThreadLocks::threadId, Function.identity(), (a, b) -> a));
        List<ThreadLocks> involved = report.threads().stream().filter(ThreadLocks::holdsOrWaits).toList();
        int nameWidth = Math.min(Math.max(12, width / 4), involved.stream().mapToInt(t -> t.threadName().length()).max().orElse(0));
        for (ThreadLocks thread : involved) {
            List<String> parts = new ArrayList<>();
            if (!thread.owned().isEmpty()) {
                parts.add("holds " + String.join(", ", thread.owned().stream().map(TargetTexts::lock).toList()));
            }
            if (thread.awaited() != null) {
                ThreadLocks owner = byId.get(thread.ownerId());
                parts.add(switch (thread.waitKind()) {
                    case ENTER -> "blocked entering ";
                    case WAIT -> "in Object.wait() on ";
                    case PARK -> "parked on ";
                    case NONE -> "waits for ";
                } + lock(thread.awaited()) + (owner == null ? "" : " held by " + owner.threadName() + " (" + owner.threadId() + ")"));
            }
            out.append(String.format("  %6d  %-" + nameWidth + "s  %s", thread.threadId(), Texts.cut(thread.threadName(), nameWidth),
                    String.join("; ", parts))).append(NL);
        }
        int others = report.threads().size() - involved.size();
        if (others > 0) {
            out.append("  (").append(count(others, "other thread")).append(others == 1 ? " holds and waits for no lock)" : " hold and wait for no lock)").append(NL);
        }
        return out.toString().stripTrailing();
    }

    private static String lock(LockRef lock) {
        return lock.label() + (lock.synchronizer() ? " (j.u.c.)" : "");
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
