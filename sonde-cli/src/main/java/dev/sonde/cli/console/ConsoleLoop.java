package dev.sonde.cli.console;

import dev.sonde.cli.output.Output;
import dev.sonde.cli.output.Printer;
import dev.sonde.cli.output.RoutedOutput;
import dev.sonde.cli.output.TextOutput;
import dev.sonde.core.event.Event;
import dev.sonde.core.session.SessionState;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs console commands: from {@code --exec} (batch), from a terminal with JLine (history, completion of
 * commands and class names), or line by line from piped input.
 */
public final class ConsoleLoop {

    private ConsoleLoop() {
    }

    /**
     * Runs each command in order, whatever happened to the previous one, and reports every outcome.
     *
     * @return 0 when every command succeeded, 1 otherwise
     */
    public static int batch(ConsoleCommands commands, List<String> lines, Output output) {
        boolean allOk = true;
        for (String line : lines) {
            Outcome outcome = commands.execute(line);
            if (outcome == null) {
                continue;
            }
            output.outcome(outcome);
            allOk &= outcome.ok();
            if (outcome instanceof Outcome.Quit) {
                break;
            }
        }
        return allOk ? 0 : 1;
    }

    /**
     * An interactive console on this process's terminal, or — when input is not a terminal — a plain loop
     * over input lines. Returns when the user quits, input ends, or the session ends.
     *
     * @return 0 when the last command succeeded, 1 otherwise
     */
    public static int interactive(ConsoleCommands commands, RoutedOutput output, InputStream in, Path history) {
        Logger.getLogger("org.jline").setLevel(Level.OFF);
        Terminal terminal;
        try {
            terminal = TerminalBuilder.builder().system(true).dumb(true).build();
        } catch (IOException e) {
            terminal = null;
        }
        if (terminal == null || Terminal.TYPE_DUMB.equals(terminal.getType()) || Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())) {
            closeQuietly(terminal);
            return piped(commands, output, in);
        }
        try (Terminal tty = terminal) {
            return withJLine(commands, output, tty, history);
        } catch (IOException e) {
            return 1;
        }
    }

    private static int piped(ConsoleCommands commands, Output output, InputStream in) {
        int last = 0;
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                Outcome outcome = commands.execute(line);
                if (outcome == null) {
                    continue;
                }
                output.outcome(outcome);
                last = outcome.ok() ? 0 : 1;
                if (outcome instanceof Outcome.Quit || commands.session().state() == SessionState.TERMINATED) {
                    break;
                }
            }
        } catch (IOException e) {
            return 1;
        }
        return last;
    }

    private static int withJLine(ConsoleCommands commands, RoutedOutput routed, Terminal terminal, Path history) {
        LineReaderBuilder builder = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("sonde")
                .completer(completer(commands))
                .variable(LineReader.HISTORY_SIZE, 2000);
        if (history != null) {
            builder.variable(LineReader.HISTORY_FILE, history);
        }
        LineReader reader = builder.build();
        AbovePrompt printer = new AbovePrompt(reader, commands);
        TextOutput console = new TextOutput(printer, terminal::getWidth);
        Output previous = routed.route(new Output() {
            @Override
            public void outcome(Outcome outcome) {
                console.outcome(outcome);
            }

            @Override
            public void event(Event event) {
                console.event(event);
                if (event instanceof Event.Terminated) {
                    // Wake the prompt so the console ends with its session.
                    terminal.raise(Terminal.Signal.INT);
                }
            }

            @Override
            public void note(String text) {
                console.note(text);
            }
        });
        int last = 0;
        Thread consoleThread = Thread.currentThread();
        try {
            printer.println("Type `help` for commands; Tab completes commands and class names.");
            while (commands.session().state() != SessionState.TERMINATED) {
                String line;
                try {
                    line = reader.readLine(prompt(commands));
                } catch (UserInterruptException e) {
                    if (commands.session().state() != SessionState.TERMINATED) {
                        printer.println("(`quit` leaves the console)");
                    }
                    continue;
                } catch (EndOfFileException e) {
                    break;
                }
                Terminal.SignalHandler interrupted = terminal.handle(Terminal.Signal.INT, signal -> consoleThread.interrupt());
                Outcome outcome;
                try {
                    outcome = commands.execute(line);
                } finally {
                    terminal.handle(Terminal.Signal.INT, interrupted);
                    Thread.interrupted();
                }
                if (outcome == null) {
                    continue;
                }
                console.outcome(outcome);
                last = outcome.ok() ? 0 : 1;
                if (outcome instanceof Outcome.Quit) {
                    break;
                }
            }
        } finally {
            routed.route(previous);
            try {
                reader.getHistory().save();
            } catch (IOException ignored) {
                // history is a convenience
            }
        }
        return last;
    }

    private static String prompt(ConsoleCommands commands) {
        SessionState state = commands.session().state();
        return "(sonde" + (state == SessionState.STOPPED ? ":stopped" : state == SessionState.RUNNING ? ":running" : "") + ") ";
    }

    /** Completes command names, then class names for breakpoint, methods and instances commands, and command names for help. */
    private static Completer completer(ConsoleCommands commands) {
        return (reader, line, candidates) -> {
            List<String> words = line.words();
            if (line.wordIndex() == 0) {
                commands.names().forEach(name -> candidates.add(new Candidate(name)));
                return;
            }
            String command = words.get(0);
            String prefix = line.word().substring(0, line.wordCursor());
            switch (command) {
                case "break", "b", "tbreak", "methods", "instances" -> {
                    try {
                        commands.session().async().classNames(prefix).get(500, TimeUnit.MILLISECONDS)
                                .forEach(name -> candidates.add(new Candidate(name, name, null, null, null, null, false)));
                    } catch (Exception e) {
                        // no completion is better than a stuck prompt
                    }
                }
                case "help", "h" -> commands.names().forEach(name -> candidates.add(new Candidate(name)));
                default -> {
                }
            }
        };
    }

    private static void closeQuietly(Terminal terminal) {
        if (terminal != null) {
            try {
                terminal.close();
            } catch (IOException ignored) {
                // nothing to release
            }
        }
    }

    /**
     * Prints above the prompt, redrawing the prompt with the session's state as it is now; target output
     * without a line end waits for the rest of its line.
     */
    private static final class AbovePrompt implements Printer {
        private final LineReader reader;
        private final ConsoleCommands commands;
        private final StringBuilder partial = new StringBuilder();

        AbovePrompt(LineReader reader, ConsoleCommands commands) {
            this.reader = reader;
            this.commands = commands;
        }

        @Override
        public synchronized void print(String text, boolean error) {
            partial.append(text);
            int end = partial.lastIndexOf("\n");
            if (end < 0) {
                return;
            }
            String lines = partial.substring(0, end);
            partial.delete(0, end + 1);
            if (reader instanceof LineReaderImpl impl) {
                impl.setPrompt(prompt(commands));
            }
            reader.printAbove(lines);
        }
    }
}
