package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.Reply;
import dev.sonde.core.backend.StepKind;

import java.util.List;

final class StepCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("step", List.of("s"), "step",
            "step into the call on this line (JDK code is skipped)");

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        return Steps.step(StepKind.INTO, context);
    }
}
