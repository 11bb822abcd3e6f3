package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.Reply;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.model.ThreadInfo;

import java.util.List;

final class ThreadCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("thread", List.of("t"), "thread ID",
            "select a thread for where, locals and print", List.of("thread 1"));

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        if (argument.isEmpty()) {
            throw SondeException.invalidInput("Give a thread id: thread ID (`threads` lists them).");
        }
        long id = Arguments.id(argument, "thread id");
        ThreadInfo thread = context.session().threads().stream().filter(t -> t.id() == id).findFirst()
                .orElseThrow(() -> SondeException.notFound("There is no thread " + id + "; `threads` lists them."));
        context.selection().selectThread(id);
        return new Reply.ThreadSelected(thread);
    }
}
