package dev.sonde.cli.console;

import dev.sonde.cli.ExitCodes;
import dev.sonde.cli.output.JsonLines;
import dev.sonde.cli.output.Printer;
import dev.sonde.cli.output.RoutedOutput;
import dev.sonde.cli.output.TextOutput;
import dev.sonde.core.backend.Connector;
import dev.sonde.core.config.SondeConfig;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.event.Event;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.SessionOptions;
import dev.sonde.core.session.SessionState;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Connects a session and drives it from the console: batch mode when there are {@code --exec} commands,
 * interactive otherwise. Shared by {@code sonde attach} and {@code sonde debug}.
 */
public final class ConsoleSession {

    /**
     * @param command  {@code attach} or {@code launch}: the name of the first result line
     * @param execs    batch commands; empty for an interactive console
     * @param json     JSON lines instead of text
     * @param launched whether Sonde started the target (then leaving the console ends it; otherwise detaches)
     */
    public record Plan(String command, String name, Connector connector, List<String> execs, boolean json, boolean launched) {
    }

    private ConsoleSession() {
    }

    public static int run(Plan plan, SondeConfig config, InputStream in, PrintStream out, PrintStream err) {
        RoutedOutput output = new RoutedOutput(plan.json() ? new JsonLines(out) : new TextOutput(Printer.of(out, err)));
        SessionOptions options = SessionOptions.DEFAULT
                .withRequestTimeout(config.session().requestTimeout())
                .withOnClose(plan.launched() ? SessionOptions.CloseAction.TERMINATE : SessionOptions.CloseAction.DETACH);
        Session session;
        try {
            // Launching includes the JVM's start and the attach retries.
            Duration connectTimeout = config.attach().timeout().plusSeconds(plan.launched() ? 40 : 5);
            session = Session.connect(plan.name(), plan.connector(), options, connectTimeout, List.of(output::event));
        } catch (SondeException e) {
            output.outcome(new Outcome.Failed(plan.command(), e));
            return ExitCodes.of(e.kind());
        }
        try {
            var target = session.target().orElseThrow();
            boolean held = session.currentStop().map(stop -> stop.reason() == dev.sonde.core.event.StopReason.ENTRY).orElse(false)
                    || plan.launched();
            output.outcome(new Outcome.Ok(plan.command(), new Reply.Connected(target.address(), target.pid(), target.description(), target.kind(), held)));
            boolean batch = !plan.execs().isEmpty();
            ConsoleCommands commands = new ConsoleCommands(session, new ConsoleCommands.Settings(
                    batch ? config.console().waitTimeout() : null, config.eval().invoke(), config.snapshots().frames()));
            if (batch) {
                return ConsoleLoop.batch(commands, plan.execs(), output);
            }
            return ConsoleLoop.interactive(commands, output, in, history(config));
        } finally {
            end(session);
        }
    }

    /** Detaches from or ends the target, and waits for the session's last event so nothing is lost. */
    private static void end(Session session) {
        if (session.state() != SessionState.TERMINATED) {
            session.close();
        }
        try {
            Event.Terminated ignored = session.terminated().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the target did not confirm; the process exit ends it anyway
        }
    }

    private static Path history(SondeConfig config) {
        String file = config.console().history();
        if (file == null || file.isBlank()) {
            return null;
        }
        return Path.of(file.startsWith("~/") ? System.getProperty("user.home") + file.substring(1) : file);
    }
}
