package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.Reply;
import dev.sonde.core.backend.StepKind;

/** What {@code next}, {@code step} and {@code finish} share: a step of the selected thread. */
final class Steps {

    private Steps() {
    }

    static Reply step(StepKind kind, CommandContext context) {
        long thread = context.selection().requireThread();
        context.session().step(thread, kind);
        return new Reply.Done(switch (kind) {
            case OVER -> "Stepping over.";
            case INTO -> "Stepping into.";
            case OUT -> "Stepping out.";
        });
    }
}
