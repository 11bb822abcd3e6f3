package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.Reply;

import java.util.List;

final class PauseCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("pause", List.of(), "pause [THREAD]",
            "stop every thread, or only the given one", List.of("pause", "pause 27"));

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        if (argument.isEmpty()) {
            context.session().pause();
            return new Reply.Done("Paused every thread.");
        }
        long thread = Arguments.id(argument, "thread id");
        context.session().pauseThread(thread);
        return new Reply.Done("Paused thread " + thread + ".");
    }
}
