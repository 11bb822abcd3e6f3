package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.Reply;
import dev.sonde.core.error.SondeException;

import java.util.List;

final class MonitorsCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("monitors", List.of("locks"), "monitors",
            "every thread's held and awaited monitors and j.u.c. locks, and deadlock cycles (a running target is suspended"
                    + " for the reads, then resumed)");

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        if (!argument.isEmpty()) {
            throw SondeException.invalidInput("`monitors` takes no argument; it shows every thread's locks.");
        }
        return new Reply.Monitors(context.session().monitors());
    }
}
