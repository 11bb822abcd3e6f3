package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.Reply;

import java.util.List;

final class DetachCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("detach", List.of(), "detach", "let go of the target; it keeps running");

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        context.session().detach();
        return new Reply.Done("Detached; the target keeps running.");
    }
}
