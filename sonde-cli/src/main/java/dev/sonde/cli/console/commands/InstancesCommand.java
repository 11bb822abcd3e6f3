package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.Reply;
import dev.sonde.core.error.SondeException;

import java.util.List;

final class InstancesCommand implements ConsoleCommand {

    static final int DEFAULT_SHOWN = 5;
    static final int MOST_SHOWN = 1000;

    private static final Description DESCRIPTION = new Description("instances", List.of(), "instances CLASS [N]",
            "how many instances of a class the heap holds, and the first N (default " + DEFAULT_SHOWN
                    + "; `print @REF` expands one); no code runs in the target",
            List.of("instances com.acme.Order", "instances com.acme.Order 20", "instances java.lang.Thread 0"));

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        String[] words = argument.split("\\s+");
        if (argument.isEmpty() || words.length > 2) {
            throw SondeException.invalidInput("Give a class: instances CLASS [N], for example instances com.acme.Order 10.");
        }
        int shown = words.length == 2 ? Arguments.number(words[1], "number of instances") : DEFAULT_SHOWN;
        if (shown < 0 || shown > MOST_SHOWN) {
            throw SondeException.invalidInput("Show between 0 and " + MOST_SHOWN + " instances, not " + shown + ".");
        }
        return new Reply.InstanceList(words[0], context.session().instances(words[0], shown));
    }
}
