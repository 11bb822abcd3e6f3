package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.Reply;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.model.Value;

import java.util.List;

final class SetCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("set", List.of(), "set NAME = EXPR",
            "assign to a local, a field or an array element in the selected frame",
            List.of("set order.total = 10.5", "set retries = 0", "set items[2] = null"));

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        int equals = argument.indexOf('=');
        if (equals <= 0 || argument.startsWith("==", equals)) {
            throw SondeException.invalidInput("Write it as set NAME = EXPR, for example set order.total = 10.5.");
        }
        String target = argument.substring(0, equals).strip();
        if (argument.substring(equals + 1).isBlank()) {
            throw SondeException.invalidInput("No value after '=' for " + target + "; write it as set NAME = EXPR, for example set "
                    + target + " = 10.");
        }
        long thread = context.selection().requireThread();
        Value value = context.session().evaluate(thread, context.selection().frame(),
                target + " = (" + argument.substring(equals + 1).strip() + ")", context.settings().allowInvoke());
        return new Reply.Printed(target, value);
    }
}
