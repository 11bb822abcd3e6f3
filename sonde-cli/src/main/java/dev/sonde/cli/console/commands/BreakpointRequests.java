package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.BreakpointCommands;
import dev.sonde.cli.console.Reply;

/** Sets a breakpoint the way a breakpoint command described it. */
final class BreakpointRequests {

    private BreakpointRequests() {
    }

    static Reply set(BreakpointCommands.Request request, CommandContext context) {
        return new Reply.BreakpointSet(context.session().addBreakpoint(request.spec(), request.options()));
    }
}
