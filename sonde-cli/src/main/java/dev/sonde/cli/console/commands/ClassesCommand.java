package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.Reply;
import dev.sonde.core.classes.ClassPattern;
import dev.sonde.core.error.SondeException;

import java.util.List;

final class ClassesCommand implements ConsoleCommand {

    static final int DEFAULT_MAX = 50;

    private static final Description DESCRIPTION = new Description("classes", List.of(), "classes PATTERN [MAX]",
            "loaded classes whose names contain PATTERN (or match it as a glob, with * and ?), with their class loaders",
            List.of("classes Order", "classes com.acme.*Service", "classes java.util.concurrent.* 200"));

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        String[] words = argument.split("\\s+");
        if (argument.isEmpty() || words.length > 2) {
            throw SondeException.invalidInput("Give a pattern: classes PATTERN [MAX], for example classes Order or classes com.acme.*Service.");
        }
        int max = words.length == 2 ? Arguments.number(words[1], "maximum") : DEFAULT_MAX;
        if (max <= 0) {
            throw SondeException.invalidInput("The maximum must be positive, not " + max + "; classes PATTERN MAX shows at most MAX classes.");
        }
        return new Reply.Classes(context.session().classes(new ClassPattern(words[0]), max));
    }
}
