package dev.sonde.cli.launch;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.cli.GlobalOptions;
import dev.sonde.cli.SondeCommand;
import dev.sonde.cli.python.PythonOptions;
import dev.sonde.cli.python.PythonTargets;
import dev.sonde.core.config.ConfigLoader;
import dev.sonde.core.event.OutputCategory;
import dev.sonde.core.launch.BindChoice;
import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.launch.LaunchSpec;
import dev.sonde.core.launch.ServerManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code sonde launch -- <java args>}: a JVM listening for a debugger, until it exits or Ctrl-C. */
@Command(name = "launch",
        mixinStandardHelpOptions = true,
        description = {"Start a JVM with its debug port open (JDWP, loopback, a free port unless --port) and wait for it.",
                "Prints the address to attach to — with `sonde attach` or an IDE's \"Remote JVM Debug\" — then",
                "passes the JVM's output through. Ctrl-C or the JVM's exit ends it; nothing is left running: the debuggee",
                "ends with Sonde however Sonde ends (kill -9 included). --detach is the one way to leave it running."},
        footer = {"", "Examples:",
                "  sonde launch -- -cp build/classes com.acme.Main",
                "  sonde launch --port 5005 --suspend -- -jar app.jar      (IntelliJ: Run > Edit Configurations > Remote JVM Debug, port 5005)",
                "  sonde launch --json -- -cp out Main                     (first line: {\"address\":\"127.0.0.1:NNNNN\",\"pid\":N,\"bound\":\"127.0.0.1:NNNNN\"})",
                "  sonde launch --detach -- -cp out Main                   (prints the address and returns; the JVM runs on, its output in a log file)",
                "  sonde launch --port 5678 --python app.py --verbose      (debugpy; attach with sonde attach --dap 127.0.0.1:5678)"},
        sortOptions = false)
public final class LaunchCommand implements Callable<Integer> {

    @ParentCommand
    SondeCommand root;

    @Mixin
    GlobalOptions global;

    @Mixin
    ServerOptions server;

    @Mixin
    PythonOptions python;

    @Option(names = "--suspend", description = "Hold the JVM before main until a debugger attaches.")
    boolean suspend;

    @Option(names = "--detach", description = {"Start the debuggee, print its address, pid and log file, and return, leaving it running"
            + " (its output goes to the log file). Anyone who can reach its debug port can run code in it until it ends: end it"
            + " with kill PID when done."})
    boolean detach;

    @Option(names = "--json", description = "Print the address as one JSON line: {\"address\":\"HOST:PORT\",\"pid\":N,\"bound\":\"ADDR:PORT\"}"
            + " (address: where to connect; bound: what the port listens on; with --detach also log).")
    boolean json;

    @Parameters(paramLabel = "JAVA_ARGS", arity = "0..*", description = "Arguments to java after --, e.g. -- -cp DIR Main arg1.")
    List<String> javaArgs = new ArrayList<>();

    /** The debuggee's output, held back until released, then passed straight through. */
    private static final class HeldOutput {
        private final PrintStream out;
        private final PrintStream err;
        private final List<Map.Entry<OutputCategory, String>> held = new ArrayList<>();
        private boolean released;

        HeldOutput(PrintStream out, PrintStream err) {
            this.out = out;
            this.err = err;
        }

        synchronized void accept(OutputCategory category, String text) {
            if (released) {
                print(category, text);
            } else {
                held.add(Map.entry(category, text));
            }
        }

        synchronized void release() {
            released = true;
            held.forEach(entry -> print(entry.getKey(), entry.getValue()));
            held.clear();
        }

        private void print(OutputCategory category, String text) {
            PrintStream stream = category == OutputCategory.STDERR ? err : out;
            synchronized (stream) {
                stream.print(text);
                stream.flush();
            }
        }
    }

    private static void printLine(PrintStream stream, String line) {
        synchronized (stream) {
            stream.println(line);
            stream.flush();
        }
    }

    @Override
    public Integer call() throws Exception {
        python.requireOneTarget(javaArgs);
        var loaded = server.apply(global.loadConfig());
        var config = loaded.config();
        BindChoice bind = ServerOptions.bindChoice(loaded);
        LaunchSpec spec = python.requested() ? python.spec(config).withInheritStdin(true)
                : ServerOptions.spec(server.javaArgs(javaArgs), config).withSuspend(suspend).withInheritStdin(true);
        PrintStream out = root.out();
        PrintStream err = root.err();
        if (detach) {
            return detached(spec, bind, loaded, out, err);
        }
        try (ServerManager servers = new ServerManager()) {
            // The address line comes first: output the debuggee writes before it is printed waits for it.
            HeldOutput output = new HeldOutput(out, err);
            noteJava(loaded, err);
            DebugServer debuggee = servers.start(spec, output::accept);
            String bound = warnAndBound(debuggee, bind, err);
            if (json) {
                printJson(out, debuggee, bound, null);
            } else {
                synchronized (err) {
                    if (python.requested()) {
                        PythonTargets.howToAttach(debuggee).forEach(err::println);
                    } else {
                        err.println("Debug port " + bound + " (pid " + debuggee.pid() + ")"
                                + (suspend ? ", held before main until a debugger attaches" : "") + ".");
                        err.println("Attach with `sonde attach " + debuggee.address() + "`, or an IDE's Remote JVM Debug on host "
                                + debuggee.address().host() + ", port " + debuggee.address().port() + ". Ctrl-C ends it.");
                    }
                    err.flush();
                }
            }
            output.release();
            int exitCode = debuggee.exit().get();
            debuggee.outputDrained().get();
            return exitCode;
        }
    }

    /** The note when the config file chose the java that runs the target (a JVM target only). */
    private void noteJava(ConfigLoader.Loaded loaded, PrintStream err) {
        if (!python.requested()) {
            ServerOptions.javaNote(loaded).ifPresent(note -> printLine(err, note));
        }
    }

    /** The address the debug port really listens on, with the warning a bind beyond loopback earns. */
    private static String warnAndBound(DebugServer debuggee, BindChoice bind, PrintStream err) {
        String bound = debuggee.boundAddress();
        bind.warning("the debug port", bound).ifPresent(warning -> printLine(err, warning));
        return bound;
    }

    /** The one JSON line --json prints: where to connect, the pid, what the port listens on (and the log when detached). */
    private static void printJson(PrintStream out, DebugServer debuggee, String bound, Path log) throws IOException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("address", debuggee.address().toString());
        line.put("pid", debuggee.pid());
        line.put("bound", bound);
        if (log != null) {
            line.put("log", log.toString());
        }
        synchronized (out) {
            out.println(new ObjectMapper().writeValueAsString(line));
            out.flush();
        }
    }

    private int detached(LaunchSpec spec, BindChoice bind, ConfigLoader.Loaded loaded, PrintStream out, PrintStream err) throws Exception {
        noteJava(loaded, err);
        Path log = Files.createTempFile("sonde-launch-", ".log");
        DebugServer debuggee = DebugServer.startDetached(spec, log);
        String bound = warnAndBound(debuggee, bind, err);
        if (json) {
            printJson(out, debuggee, bound, log);
        } else {
            err.println("Debug port " + bound + " (pid " + debuggee.pid() + "), left running"
                    + (spec.suspend() ? ", held until a debugger attaches" : "") + "; its output goes to " + log + ".");
            err.println("Attach with `sonde attach " + (python.requested() ? "--dap " : "") + debuggee.address()
                    + "`; anyone who can reach this port can run code in it, so end it with `kill " + debuggee.pid() + "` when done.");
            err.flush();
        }
        return 0;
    }
}
