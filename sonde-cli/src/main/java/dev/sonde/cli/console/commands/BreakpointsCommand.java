package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.Reply;
import dev.sonde.core.breakpoints.Breakpoint;

import java.util.List;
import java.util.Map;

final class BreakpointsCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("breakpoints", List.of("info break"), "breakpoints",
            "list breakpoints, their state and hit counts");

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        List<Breakpoint> list = context.session().breakpoints();
        Map<Integer, Long> hits = context.session().statistics().hitsByBreakpoint();
        return new Reply.BreakpointList(list, list.stream().map(b -> hits.getOrDefault(b.id(), 0L)).toList());
    }
}
