package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.BreakpointCommands;
import dev.sonde.cli.console.Reply;

import java.util.List;

final class TbreakCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("tbreak", List.of(), "tbreak LOCATION [if EXPR] ...",
            "a breakpoint removed after its first hit", List.of("tbreak Orders.java:42"));

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        return BreakpointRequests.set(BreakpointCommands.breakpoint(argument, true, context.settings().allowInvoke()), context);
    }
}
