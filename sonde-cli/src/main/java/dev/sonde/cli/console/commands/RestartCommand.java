package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.Reply;

import java.util.List;

final class RestartCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("restart", List.of(), "restart [FRAME]",
            "drop back to the start of the selected frame (or frame FRAME) and run its method again, in its newest code",
            List.of("restart", "restart 2", "restart frame 1"));

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        long thread = context.selection().requireThread();
        // `restart frame N` reads as well as `restart N`: the hot code replace message says "restart frame".
        String frameText = argument.strip().replaceFirst("^frame\\b\\s*", "");
        int frame = frameText.isEmpty() ? context.selection().frame() : Arguments.number(frameText, "frame number");
        context.session().restartFrame(thread, frame);
        context.selection().selectFrame(0);
        return new Reply.Done("Restarting frame " + frame + ".");
    }
}
