package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.BreakpointCommands;
import dev.sonde.cli.console.Reply;

import java.util.List;

final class LogCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("log", List.of(),
            "log LOCATION \"TEXT {EXPR}\" [in OPERATION] [if EXPR] [hits N|every N|after N]",
            "logpoint: print a message at each hit without stopping (the thread waits only while it is made)",
            List.of("log Orders.java:42 \"order {order.id} for {customer}\"", "log Orders.java:42 \"slow: {elapsed}\" if elapsed > 500"));

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        return BreakpointRequests.set(BreakpointCommands.logpoint(argument, context.settings().allowInvoke()), context);
    }
}
