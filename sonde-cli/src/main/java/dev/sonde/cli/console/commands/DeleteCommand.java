package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.Reply;

import java.util.ArrayList;
import java.util.List;

final class DeleteCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("delete", List.of("d"), "delete [ID...]",
            "delete breakpoints by id (all when no id is given)", List.of("delete 2", "delete 1 3", "delete"));

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        List<Integer> ids = new ArrayList<>();
        if (argument.isEmpty()) {
            context.session().breakpoints().forEach(b -> ids.add(b.id()));
        } else {
            for (String token : argument.split("[\\s,]+")) {
                ids.add(Arguments.number(token, "breakpoint id"));
            }
        }
        for (int id : ids) {
            context.session().removeBreakpoint(id);
        }
        return new Reply.BreakpointsDeleted(ids);
    }
}
