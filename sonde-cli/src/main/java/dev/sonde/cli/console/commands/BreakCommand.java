package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.BreakpointCommands;
import dev.sonde.cli.console.Reply;

import java.util.List;

final class BreakCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("break", List.of("b"),
            "break LOCATION [exit] [in OPERATION] [if EXPR] [hits N|every N|after N] [--no-invoke]",
            "breakpoint at File.java:LINE, pkg.Class:LINE or pkg.Class.method (exit: when it returns; in: only inside that sonde-runtime operation, innermost or enclosing)",
            List.of("break Orders.java:42", "break com.acme.Orders.place if order.total() > 100", "break com.acme.Orders.place exit",
                    "break Orders.java:42 in orders.load",
                    "b Orders.java:42 every 10"));

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        return BreakpointRequests.set(BreakpointCommands.breakpoint(argument, false, context.settings().allowInvoke()), context);
    }
}
