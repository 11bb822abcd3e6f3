package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.BreakpointCommands;
import dev.sonde.cli.console.Reply;

import java.util.List;

final class WatchCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("watch", List.of(), "watch [access|modify|all] pkg.Class.field [if EXPR]",
            "stop when a field is written (modify, the default: old and new value) or read",
            List.of("watch com.acme.Order.status", "watch access com.acme.Cache.entries"));

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        return BreakpointRequests.set(BreakpointCommands.watchpoint(argument, context.settings().allowInvoke()), context);
    }
}
