package dev.sonde.cli.console.commands;

import java.util.List;

/**
 * What {@code help} says about a command.
 *
 * @param usage    the command line's shape, such as {@code break LOCATION [if EXPR]}
 * @param examples whole command lines that {@code help NAME} shows
 */
public record Description(String name, List<String> aliases, String usage, String summary, List<String> examples) {

    public Description {
        aliases = List.copyOf(aliases);
        examples = List.copyOf(examples);
    }

    public Description(String name, List<String> aliases, String usage, String summary) {
        this(name, aliases, usage, summary, List.of());
    }
}
