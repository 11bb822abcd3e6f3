package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.Reply;
import dev.sonde.core.error.SondeException;

import java.util.List;

final class MethodsCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("methods", List.of(), "methods CLASS",
            "the methods a loaded class declares: signatures, line ranges, static/native/abstract marks",
            List.of("methods com.acme.Orders", "methods Orders"));

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        if (argument.isEmpty() || argument.split("\\s+").length > 1) {
            throw SondeException.invalidInput("Give one class: methods CLASS, for example methods com.acme.Orders.");
        }
        return new Reply.Methods(context.session().methods(argument));
    }
}
