package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.Reply;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.event.Event;
import dev.sonde.core.model.AsyncSegment;
import dev.sonde.core.model.RuntimeContext;
import dev.sonde.core.model.Frame;

import java.util.List;

final class WhereCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("where", List.of("bt", "backtrace"), "where [all] [full]",
            "show the selected thread's stack (frame 0 is the top), then the code that scheduled its work: `all` every kept"
                    + " hand-off, `full` with the scheduling machinery's frames");

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        boolean all = false;
        boolean full = false;
        for (String word : argument == null ? new String[0] : argument.trim().split("\\s+")) {
            switch (word) {
                case "" -> {
                }
                case "all" -> all = true;
                case "full" -> full = true;
                default -> throw SondeException.invalidInput("`where` takes `all` (every hand-off) and `full` (the scheduling frames too),"
                        + " not '" + word + "'.");
            }
        }
        long thread = context.selection().requireThread();
        List<Frame> frames = context.session().stackTrace(thread);
        if (frames.isEmpty()) {
            throw SondeException.badState("Thread " + thread + " has not run any code yet (held at entry); set breakpoints, then `cont`.");
        }
        List<AsyncSegment> async = context.session().asyncStack(thread, full);
        // The operations open on a thread are read at its stop; other threads held with it show none.
        RuntimeContext runtime = context.session().currentStop().filter(stop -> stop.thread() != null && stop.thread().id() == thread)
                .map(Event.Stopped::runtime).orElse(RuntimeContext.NONE);
        return new Reply.Stack(thread, frames, Math.min(context.selection().frame(), frames.size() - 1), async, all, full, runtime);
    }
}
