package dev.sonde.cli.console;

import dev.sonde.cli.console.commands.CommandContext;
import dev.sonde.cli.console.commands.CommandTable;
import dev.sonde.cli.console.commands.ConsoleCommand;
import dev.sonde.cli.console.commands.QuitCommand;
import dev.sonde.cli.console.commands.Selection;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.event.Event;
import dev.sonde.core.session.Session;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Runs console command lines, for the interactive console and batch mode ({@code --exec}): finds the command
 * ({@link CommandTable#standard()} lists them, one class each) and turns what it did into an {@link Outcome}.
 * Keeps the {@link Selection}: a stop selects the stopped thread and its top frame.
 */
public final class ConsoleCommands {

    /**
     * @param waitTimeout    how long {@code wait} with no argument waits; null to wait until a stop or the end
     * @param allowInvoke    whether expressions may run code in the target unless a breakpoint says otherwise
     * @param snapshotFrames how many top frames a snapshot captures the locals of, unless {@code snap} says
     */
    public record Settings(Duration waitTimeout, boolean allowInvoke, int snapshotFrames) {
    }

    private final Session session;
    private final CommandTable commands = CommandTable.standard();
    private final Selection selection = new Selection();
    private final CommandContext context;

    /**
     * @param defaultWait how long {@code wait} with no argument waits; null to wait until a stop or the end
     */
    public ConsoleCommands(Session session, Duration defaultWait) {
        this(session, new Settings(defaultWait, true, 3));
    }

    public ConsoleCommands(Session session, Settings settings) {
        this.session = session;
        this.context = new CommandContext(session, settings, selection, commands);
        session.subscribe(event -> {
            if (event instanceof Event.Stopped stopped && stopped.thread() != null) {
                selection.selectThread(stopped.thread().id());
            }
        });
        session.currentStop().ifPresent(stop -> {
            if (stop.thread() != null) {
                selection.selectThread(stop.thread().id());
            }
        });
    }

    /** Command names and aliases, for completion. */
    public List<String> names() {
        return commands.names();
    }

    public Session session() {
        return session;
    }

    /** The selected thread's id, or 0 when none is selected. */
    public long currentThread() {
        return selection.thread();
    }

    /** Runs one command line. Empty lines and {@code #} comments return null. */
    public Outcome execute(String line) {
        String text = line == null ? "" : line.strip();
        if (text.isEmpty() || text.startsWith("#")) {
            return null;
        }
        String word = text.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        String argument = text.length() > word.length() ? text.substring(word.length()).strip() : "";
        if (word.equals("info") && argument.startsWith("break")) {
            word = "info break";
            argument = "";
        }
        Optional<ConsoleCommand> found = commands.find(word);
        if (found.isEmpty()) {
            return new Outcome.Failed(CommandTable.shown(word), commands.unknown(word));
        }
        ConsoleCommand command = found.get();
        String name = command.description().name();
        if (command instanceof QuitCommand) {
            return new Outcome.Quit(name);
        }
        try {
            return new Outcome.Ok(name, command.run(argument, context));
        } catch (RuntimeException e) {
            return new Outcome.Failed(name, SondeException.from(e));
        }
    }
}
