package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.Reply;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.model.Frame;

import java.util.List;

final class WhereCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("where", List.of("bt", "backtrace"), "where",
            "show the selected thread's stack (frame 0 is the top)");

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        long thread = context.selection().requireThread();
        List<Frame> frames = context.session().stackTrace(thread);
        if (frames.isEmpty()) {
            throw SondeException.badState("Thread " + thread + " has not run any code yet (held at entry); set breakpoints, then `cont`.");
        }
        return new Reply.Stack(thread, frames, Math.min(context.selection().frame(), frames.size() - 1));
    }
}
