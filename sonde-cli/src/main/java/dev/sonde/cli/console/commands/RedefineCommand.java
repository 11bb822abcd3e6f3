package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.Reply;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.hotswap.ClassFiles;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

final class RedefineCommand implements ConsoleCommand {

    private static final Description DESCRIPTION = new Description("redefine", List.of("hotswap"), "redefine PATH...",
            "hot code replace: send the class files (or directories of them) whose bytes changed since last sent; new calls run"
                    + " the new code",
            List.of("redefine target/classes", "redefine build/classes/java/main/com/acme/Orders.class"));

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public Reply run(String argument, CommandContext context) {
        if (argument.isBlank()) {
            throw SondeException.invalidInput("Give the class files to send, or the directory a build writes them to,"
                    + " for example `redefine target/classes`.");
        }
        List<Path> paths = Arrays.stream(argument.strip().split("\\s+")).map(RedefineCommand::path).toList();
        return new Reply.Redefined(context.session().redefineClasses(ClassFiles.read(paths)));
    }

    private static Path path(String text) {
        try {
            return Path.of(text);
        } catch (java.nio.file.InvalidPathException e) {
            throw SondeException.invalidInput("'" + text.replace("\0", "\\0") + "' is not a file path (" + e.getReason()
                    + "); give class files or the directory a build writes them to.");
        }
    }
}
