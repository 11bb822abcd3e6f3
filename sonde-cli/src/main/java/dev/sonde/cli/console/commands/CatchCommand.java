package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.BreakpointCommands;
import dev.sonde.cli.console.Reply;

import java.util.List;

final class CatchCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("catch", List.of(),
            "catch [caught|uncaught|all] CLASS [--include PKG.*]... [--exclude PKG.*]...",
            "stop when an exception of CLASS (or a subclass; * for any) is thrown",
            List.of("catch java.lang.IllegalStateException", "catch uncaught *", "catch all java.io.IOException --include com.acme.*"));

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        return BreakpointRequests.set(BreakpointCommands.exception(argument, context.settings().allowInvoke()), context);
    }
}
