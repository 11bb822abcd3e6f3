package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.Reply;
import dev.sonde.core.backend.StepKind;

import java.util.List;

final class FinishCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("finish", List.of("fin"), "finish",
            "step out: run until this method returns");

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        return Steps.step(StepKind.OUT, context);
    }
}
