package dev.sonde.cli.console.commands;

import dev.sonde.core.error.SondeException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The console's commands by name and alias, in the order {@code help} lists them. */
public final class CommandTable {

    /** How much of an unknown command's name an error repeats. */
    private static final int SHOWN_NAME = 40;

    private final List<ConsoleCommand> commands;
    private final Map<String, ConsoleCommand> byNameOrAlias = new LinkedHashMap<>();

    public CommandTable(List<ConsoleCommand> commands) {
        this.commands = List.copyOf(commands);
        for (ConsoleCommand command : this.commands) {
            byNameOrAlias.put(command.description().name(), command);
            command.description().aliases().forEach(alias -> byNameOrAlias.put(alias, command));
        }
    }

    /** Every console command: the one place a new command is registered. */
    public static CommandTable standard() {
        return new CommandTable(List.of(
                new BreakCommand(),
                new TbreakCommand(),
                new LogCommand(),
                new SnapCommand(),
                new CatchCommand(),
                new WatchCommand(),
                new DeleteCommand(),
                new BreakpointsCommand(),
                new ContCommand(),
                new NextCommand(),
                new StepCommand(),
                new FinishCommand(),
                new PauseCommand(),
                new ThreadsCommand(),
                new ThreadCommand(),
                new WhereCommand(),
                new FrameCommand(),
                new UpCommand(),
                new DownCommand(),
                new LocalsCommand(),
                new PrintCommand(),
                new SetCommand(),
                new RedefineCommand(),
                new RestartCommand(),
                new WaitCommand(),
                new ClassesCommand(),
                new MethodsCommand(),
                new InstancesCommand(),
                new MonitorsCommand(),
                new StatsCommand(),
                new DetachCommand(),
                new KillCommand(),
                new HelpCommand(),
                new QuitCommand()));
    }

    public List<ConsoleCommand> all() {
        return commands;
    }

    /** Command names and aliases (for completion). */
    public List<String> names() {
        return List.copyOf(byNameOrAlias.keySet());
    }

    /** The command with this name or alias (any case). */
    public Optional<ConsoleCommand> find(String nameOrAlias) {
        return Optional.ofNullable(byNameOrAlias.get(nameOrAlias.toLowerCase(Locale.ROOT)));
    }

    /** The error for a name that is no command, with the nearest name when one is close. */
    public SondeException unknown(String word) {
        return SondeException.invalidInput("Unknown command '" + shown(word) + "'" + suggestion(word) + "; `help` lists the commands.");
    }

    /** A command name as echoed in an error: a long one (pasted text, say) is cut to its first characters. */
    public static String shown(String word) {
        return word.length() <= SHOWN_NAME ? word : word.substring(0, SHOWN_NAME) + "… (" + word.length() + " characters)";
    }

    private String suggestion(String word) {
        if (word.length() > SHOWN_NAME) {
            return "";
        }
        String best = null;
        int bestDistance = 3;
        for (String name : byNameOrAlias.keySet()) {
            int distance = distance(word, name);
            if (distance < bestDistance) {
                best = name;
                bestDistance = distance;
            }
        }
        return best == null ? "" : " (did you mean `" + best + "`?)";
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
