package dev.sonde.cli;

import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.session.SessionPublisher;
import picocli.CommandLine;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;

/** The {@code sonde} command. Errors are one sentence on standard error; {@code --debug} adds the stack trace. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /** Runs a command line in this process and returns its exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.in, out, err);
    }

    /** Runs a command line in this process, with its own standard streams, and returns its exit code. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        boolean debug = Arrays.asList(args).contains("--debug");
        CommandLine commandLine = SondeCommand.commandLine(new SondeCommand(out, err, in), args);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setUsageHelpAutoWidth(true);
        commandLine.setParameterExceptionHandler((ex, arguments) -> {
            CommandLine command = ex.getCommandLine();
            err.println("error: " + ex.getMessage() + "; run `" + command.getCommandSpec().qualifiedName() + " --help` for usage.");
            return ExitCodes.USAGE;
        });
        commandLine.setExecutionExceptionHandler((ex, command, parseResult) -> {
            SondeException error = SondeException.from(ex);
            err.println("error: " + error.getMessage());
            if (debug || error.kind() == ErrorKind.INTERNAL) {
                ex.printStackTrace(err);
            }
            return ExitCodes.of(error.kind());
        });
        commandLine.setExecutionStrategy(parseResult -> {
            // Sessions this command opens are published over JMX under the command's name.
            List<CommandLine> commands = parseResult.asCommandLineList();
            SessionPublisher.process().command(commands.getLast().getCommandName());
            return new CommandLine.RunLast().execute(parseResult);
        });
        return commandLine.execute(args);
    }
}
