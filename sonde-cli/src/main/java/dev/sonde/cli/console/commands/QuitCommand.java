package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.Reply;

import java.util.List;

/** Leaves the console: the dispatcher answers it with {@link dev.sonde.cli.console.Outcome.Quit} instead of running it. */
public final class QuitCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("quit", List.of("q", "exit"), "quit",
            "leave the console (a launched target is ended, an attached one detached)");

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        return null;
    }
}
