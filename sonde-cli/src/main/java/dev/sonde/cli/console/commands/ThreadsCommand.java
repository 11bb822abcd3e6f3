package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.Reply;

import java.util.List;

final class ThreadsCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("threads", List.of(), "threads", "list threads (platform and virtual)");

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        return new Reply.ThreadList(context.session().threads(), context.selection().thread());
    }
}
