package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.Reply;

import java.util.List;

final class DownCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("down", List.of(), "down [N]",
            "select the callee's frame (N frames down)", List.of("down", "down 2"));

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        return Frames.move(-Arguments.frameCount(argument), context);
    }
}
