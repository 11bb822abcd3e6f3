package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.Reply;

import java.util.List;

final class StatsCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("stats", List.of(), "stats", "show session statistics");

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        return new Reply.Stats(context.session().statistics());
    }
}
