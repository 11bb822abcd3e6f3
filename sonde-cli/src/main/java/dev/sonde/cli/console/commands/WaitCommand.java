package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.Reply;
import dev.sonde.core.config.DurationText;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.session.WaitOutcome;

import java.time.Duration;
import java.util.List;

final class WaitCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("wait", List.of("w"), "wait [TIMEOUT]",
            "block until the target stops or exits (TIMEOUT like 5s)", List.of("wait", "wait 30s"));

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        Duration timeout = argument.isEmpty() ? context.settings().waitTimeout() : DurationText.parse(argument);
        WaitOutcome outcome = context.session().awaitStop(timeout == null ? Duration.ofDays(3650) : timeout);
        switch (outcome) {
            case WaitOutcome.Stopped stopped -> {
                if (stopped.event().thread() != null) {
                    context.selection().selectThread(stopped.event().thread().id());
                }
            }
            case WaitOutcome.TimedOut timedOut -> throw SondeException.timeout("Nothing stopped within "
                    + DurationText.format(timedOut.waited()) + "; the target is still running.");
            case WaitOutcome.Terminated ignored -> {
            }
        }
        return new Reply.Waited(outcome);
    }
}
