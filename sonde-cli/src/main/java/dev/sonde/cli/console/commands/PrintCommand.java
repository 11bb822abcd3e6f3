package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.Reply;
import dev.sonde.core.error.SondeException;

import java.util.List;

final class PrintCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("print", List.of("p"), "print EXPR",
            "evaluate a Java expression in the selected frame",
            List.of("print order.items[0]", "p total * 2", "print customer.name().length()"));

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        if (argument.isEmpty()) {
            throw SondeException.invalidInput("Give an expression: print EXPR, for example print order.items[0].");
        }
        long thread = context.selection().requireThread();
        return new Reply.Printed(argument, context.session().evaluate(thread, context.selection().frame(), argument,
                context.settings().allowInvoke()));
    }
}
