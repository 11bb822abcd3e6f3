package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.Reply;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.session.SessionState;

import java.util.List;

final class ContCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("cont", List.of("c", "continue"), "cont", "resume the target");

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        if (context.session().state() == SessionState.RUNNING) {
            throw SondeException.badState("The target is already running; `pause` stops it, `wait` waits for a breakpoint.");
        }
        context.session().resume();
        return new Reply.Done("Resumed.");
    }
}
