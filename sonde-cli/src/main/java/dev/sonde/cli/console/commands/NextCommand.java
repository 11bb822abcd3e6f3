package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.Reply;
import dev.sonde.core.backend.StepKind;

import java.util.List;

final class NextCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("next", List.of("n"), "next",
            "step over: to the next line of this method");

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        return Steps.step(StepKind.OVER, context);
    }
}
