package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.Reply;
import dev.sonde.core.error.SondeException;

import java.util.List;

final class FrameCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("frame", List.of("f"), "frame N", "select frame N of the stack",
            List.of("frame 2"));

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        if (argument.isEmpty()) {
            throw SondeException.invalidInput("Give a frame number: frame N (0 is the top; `where` lists them).");
        }
        return Frames.select(Arguments.number(argument, "frame number"), context);
    }
}
