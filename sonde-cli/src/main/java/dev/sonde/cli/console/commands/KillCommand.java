package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.Reply;

import java.util.List;

final class KillCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("kill", List.of(), "kill", "end the target process");

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        context.session().terminate();
        return new Reply.Done("Killed the target.");
    }
}
