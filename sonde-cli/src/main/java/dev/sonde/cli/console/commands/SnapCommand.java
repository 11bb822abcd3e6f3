package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.BreakpointCommands;
import dev.sonde.cli.console.Reply;

import java.util.List;

final class SnapCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("snap", List.of(),
            "snap LOCATION [in OPERATION] [if EXPR] [max N] [frames N] [watch EXPR]...",
            "snapshot point: capture thread, stack, locals and expressions at each hit, then go on at once",
            List.of("snap Orders.java:42 max 5", "snap Orders.java:42 watch order.items.size() watch customer"));

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        return BreakpointRequests.set(BreakpointCommands.snapshot(argument, context.settings().allowInvoke(),
                context.settings().snapshotFrames()), context);
    }
}
