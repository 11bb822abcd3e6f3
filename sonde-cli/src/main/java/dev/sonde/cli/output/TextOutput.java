package dev.sonde.cli.output;

import dev.sonde.cli.console.Outcome;
import dev.sonde.cli.console.Reply;
import dev.sonde.core.config.DurationText;
import dev.sonde.core.event.Event;
import dev.sonde.core.session.WaitOutcome;
import dev.sonde.core.stats.SessionStats;

import java.util.Map;
import java.util.function.IntSupplier;

/** Results and events for people at a terminal. Target output passes through untouched. */
public final class TextOutput implements Output {

    /** The width tables are cut to when the terminal's is not known (batch mode, a pipe). */
    public static final int DEFAULT_WIDTH = 100;

    private final Printer printer;
    private final IntSupplier width;

    public TextOutput(Printer printer) {
        this(printer, () -> DEFAULT_WIDTH);
    }

    /** @param width the terminal's width in columns now; 0 or less when not known */
    public TextOutput(Printer printer, IntSupplier width) {
        this.printer = printer;
        this.width = width;
    }

    @Override
    public void outcome(Outcome outcome) {
        switch (outcome) {
            case Outcome.Ok ok -> {
                int columns = width.getAsInt();
                String text = render(ok.reply(), columns > 0 ? columns : DEFAULT_WIDTH);
                if (!text.isEmpty()) {
                    printer.println(text);
                }
            }
            case Outcome.Failed failed -> printer.errorln("error: " + failed.error().getMessage());
            case Outcome.Quit ignored -> {
            }
        }
    }

    @Override
    public void event(Event event) {
        switch (event) {
            case Event.Stopped stopped -> {
                // A target held at entry is announced by the launch or attach result.
                if (stopped.reason() != dev.sonde.core.event.StopReason.ENTRY) {
                    printer.println((Texts.stopped(stopped) + System.lineSeparator() + StopContextTexts.lines(stopped)).stripTrailing());
                }
            }
            case Event.Output output -> printer.print(output.text(), output.category() == dev.sonde.core.event.OutputCategory.STDERR);
            case Event.Snapshot snapshot -> printer.println(Texts.snapshot(snapshot));
            case Event.BreakpointChanged changed -> {
                switch (changed.change()) {
                    case UPDATED -> printer.println(changed.breakpoint().verified()
                            ? Texts.kind(changed.breakpoint()) + " " + changed.breakpoint().id() + " now"
                            + Texts.where(changed.breakpoint()).replaceFirst("^ at", " set at")
                            : Texts.breakpoint(changed.breakpoint()));
                    case REMOVED -> {
                        if (changed.breakpoint().options().temporary()) {
                            printer.println(Texts.kind(changed.breakpoint()) + " " + changed.breakpoint().id() + " removed after its hit.");
                        } else if (changed.breakpoint().options().action() instanceof dev.sonde.core.breakpoints.BreakpointAction.Snapshot snapshot
                                && snapshot.max() > 0) {
                            printer.println("Snapshot point " + changed.breakpoint().id() + " removed after " + snapshot.max() + " snapshots.");
                        }
                    }
                    case ADDED -> {
                    }
                }
            }
            case Event.Terminated terminated -> printer.println("Session ended: " + terminated.reason() + ".");
            case Event.Error error -> printer.errorln("error: " + error.message());
            case Event.Continued ignored -> {
            }
            case Event.ThreadStarted ignored -> {
            }
            case Event.ThreadExited ignored -> {
            }
        }
    }

    @Override
    public void note(String text) {
        printer.println(text);
    }

    static String render(Reply reply, int columns) {
        return switch (reply) {
            case Reply.Done done -> done.message();
            case Reply.Connected connected -> (connected.pid() > 0 ? "Launched pid " + connected.pid() + "; debug port " : "Attached to ")
                    + connected.address() + " (" + connected.target() + ")."
                    + (connected.held() ? " The target is held " + (connected.kind().equals("jvm") ? "before main" : "before its first line")
                    + ": set breakpoints, then `cont`." : "");
            case Reply.BreakpointSet set -> Texts.breakpoint(set.breakpoint());
            case Reply.BreakpointsDeleted deleted -> deleted.ids().isEmpty() ? "No breakpoints to delete."
                    : "Deleted breakpoint" + (deleted.ids().size() == 1 ? " " : "s ")
                    + String.join(", ", deleted.ids().stream().map(String::valueOf).toList()) + ".";
            case Reply.BreakpointList list -> {
                if (list.breakpoints().isEmpty()) {
                    yield "No breakpoints.";
                }
                StringBuilder out = new StringBuilder();
                for (int i = 0; i < list.breakpoints().size(); i++) {
                    long hits = list.hits().get(i);
                    out.append(list.breakpoints().get(i).summary()).append(" — ").append(hits).append(hits == 1 ? " hit" : " hits")
                            .append(System.lineSeparator());
                }
                yield out.toString().stripTrailing();
            }
            case Reply.ThreadList list -> Texts.threadTable(list.threads(), list.current(), columns);
            case Reply.ThreadSelected selected -> "Thread " + Texts.thread(selected.thread()) + ", " + selected.thread().status().label() + ".";
            case Reply.Stack stack -> {
                StringBuilder out = new StringBuilder(StopContextTexts.runtime(stack.runtime()));
                for (var frame : stack.frames()) {
                    out.append(frame.index() == stack.current() ? "→ " : "  ").append(Texts.frame(frame)).append(System.lineSeparator());
                }
                out.append(AsyncTexts.handOffs(stack.async(), stack.allHandOffs() ? Integer.MAX_VALUE : Reply.Stack.HAND_OFFS_SHOWN,
                        stack.withMachinery()));
                yield out.toString().stripTrailing();
            }
            case Reply.FrameSelected selected -> Texts.frame(selected.frame());
            case Reply.Locals locals -> locals.variables().isEmpty() ? "No locals here." : Texts.variables(locals.variables(), 0);
            case Reply.Printed printed -> Texts.value(printed.expression(), printed.value());
            case Reply.Waited waited -> switch (waited.outcome()) {
                case WaitOutcome.Stopped stopped -> stopped.event().location() == null ? "The target is held."
                        : "Stopped at " + stopped.event().location()
                        + (stopped.event().thread() == null ? "" : " in thread " + Texts.thread(stopped.event().thread())) + ".";
                case WaitOutcome.Terminated terminated -> "";
                case WaitOutcome.TimedOut timedOut -> "";
            };
            case Reply.Stats stats -> stats(stats.stats());
            case Reply.Expanded expanded -> expanded.fields().isEmpty() ? "@" + expanded.ref() + " has no fields."
                    : "@" + expanded.ref() + System.lineSeparator() + Texts.variables(expanded.fields(), 1);
            case Reply.Classes classes -> TargetTexts.classes(classes.list());
            case Reply.Methods methods -> TargetTexts.methods(methods.methods());
            case Reply.InstanceList instances -> TargetTexts.instances(instances);
            case Reply.Monitors monitors -> TargetTexts.monitors(monitors.report(), columns);
            case Reply.Redefined redefined -> redefined.redefinition().summary();
            case Reply.Help help -> {
                int width = help.commands().stream().mapToInt(c -> c.usage().length()).max().orElse(10);
                StringBuilder out = new StringBuilder();
                for (Reply.CommandHelp command : help.commands()) {
                    out.append(String.format("  %-" + width + "s  %s", command.usage(), command.summary()));
                    if (!command.aliases().isEmpty()) {
                        out.append(" (also: ").append(String.join(", ", command.aliases())).append(')');
                    }
                    out.append(System.lineSeparator());
                    for (String example : command.examples()) {
                        out.append("      ").append(example).append(System.lineSeparator());
                    }
                }
                yield out.toString().stripTrailing();
            }
        };
    }

    private static String stats(SessionStats stats) {
        StringBuilder out = new StringBuilder()
                .append("duration      ").append(DurationText.format(stats.duration())).append(System.lineSeparator())
                .append("time stopped  ").append(DurationText.format(stats.timeStopped())).append(System.lineSeparator())
                .append("stops         ").append(stats.stops()).append(System.lineSeparator())
                .append("events        ");
        out.append(String.join(", ", stats.eventsByKind().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()));
        if (!stats.hitsByBreakpoint().isEmpty()) {
            out.append(System.lineSeparator()).append("hits          ");
            out.append(String.join(", ", stats.hitsByBreakpoint().entrySet().stream()
                    .map((Map.Entry<Integer, Long> e) -> "#" + e.getKey() + " " + e.getValue()).toList()));
        }
        return out.toString();
    }
}
