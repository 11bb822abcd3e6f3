package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.Reply;

import java.util.List;

final class UpCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("up", List.of(), "up [N]", "select the caller's frame (N frames up)",
            List.of("up", "up 3"));

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        return Frames.move(Arguments.frameCount(argument), context);
    }
}
