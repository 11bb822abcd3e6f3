package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.Reply;
import dev.sonde.core.model.Frame;

import java.util.List;

final class LocalsCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("locals", List.of("l"), "locals [DEPTH]",
            "show this, arguments and locals of the selected frame, objects expanded DEPTH levels", List.of("locals", "locals 2"));

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        long thread = context.selection().requireThread();
        int depth = argument.isEmpty() ? 0 : Arguments.number(argument, "depth");
        int frameIndex = context.selection().frame();
        List<Frame> frames = context.session().stackTrace(thread, frameIndex, 1);
        Frame frame = frames.isEmpty() ? null : frames.get(0);
        return new Reply.Locals(frame, context.session().variables(thread, frameIndex, depth));
    }
}
