package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.Reply;
import dev.sonde.core.error.SondeException;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

final class PrintCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("print", List.of("p"), "print EXPR | print @REF",
            "evaluate a Java expression in the selected frame, or expand a value shown earlier (@REF)",
            List.of("print order.items[0]", "p total * 2", "print customer.name().length()", "print @312"));

    /** {@code @312}: a value shown earlier, by its ref. */
    private static final Pattern REF = Pattern.compile("@(\\d{1,18})");

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        if (argument.isEmpty()) {
            throw SondeException.invalidInput("Give an expression: print EXPR, for example print order.items[0].");
        }
        Matcher ref = REF.matcher(argument);
        if (ref.matches()) {
            long id = Long.parseLong(ref.group(1));
            return new Reply.Expanded(id, context.session().children(id, 1));
        }
        long thread = context.selection().requireThread();
        return new Reply.Printed(argument, context.session().evaluate(thread, context.selection().frame(), argument,
                context.settings().allowInvoke()));
    }
}
