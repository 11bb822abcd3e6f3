package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.Reply;

import java.util.List;

final class HelpCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("help", List.of("h", "?"), "help [COMMAND]",
            "list commands, or describe one", List.of("help", "help break"));

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        if (!argument.isEmpty()) {
            Description one = context.commands().find(argument).orElseThrow(() -> context.commands().unknown(argument)).description();
            return new Reply.Help(List.of(help(one, true)));
        }
        return new Reply.Help(context.commands().all().stream().map(c -> help(c.description(), false)).toList());
    }

    private static Reply.CommandHelp help(Description description, boolean withExamples) {
        return new Reply.CommandHelp(description.usage(), description.aliases(), description.summary(),
                withExamples ? description.examples() : List.of());
    }
}
